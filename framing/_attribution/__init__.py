"""Attribution spans: who said it (source), how it was said (cue), and in what mode.

For every sentence of a document this finds the *cue* ("said", "according to",
"told Reuters") and the *source* ("KCNA", "a senior U.S. official", "he") of each
attribution as character offsets into the document, whether the attributed content
is a direct quotation, indirect speech or mixed, and the canonical name and lexicon
type of the source. A pronoun or definite-description source ("he said", "the
agency added") is resolved to the nearest compatible named source earlier in the
document when one is near enough.

How it works
------------
A linear token tagger (labels ``O``, ``B-CUE``, ``I-CUE``, ``B-SRC``, ``I-SRC``)
trained on PolNeAR (see ``framing/models/attribution/README.md``). Every feature is
an index into a weight table, so a document is scored with a handful of numpy
gathers over all its tokens at once (no per-token Python beyond the tokenizer and
one dictionary look-up):

- the lower-cased word at offsets -3..+3 and its shape at -2..+2;
- the word bigrams (previous, current) and (current, next);
- the suffix (last three letters) and a crude stem (one inflectional ending off: "claims",
  "claimed", "claiming" share it) of the words at -1..+1, which generalise to unseen
  reporting verbs and to other forms of known ones (the windows are in ``model.json``;
  a model without them uses the current word's suffix only);
- whether the token is inside a quotation, and its distance from the sentence edges.

A second, equally cheap stage rescoring each token from the first stage's
probabilities around it (stacking) makes the spans hang together. The labels are then
decoded under the BIO transitions (an ``I`` only inside a span of its kind: Viterbi over
the short runs of tokens where that matters, see :func:`.tagger.decode`). Runs of ``B``/``I``
tokens of one kind inside one sentence become spans; each cue takes the nearest
source in its sentence.

Modules (imports run one way: tokens, encode, tagger, then assemble, which also uses
names and resolve; model imports none of them):

- :mod:`.tokens`: tokens with their offsets; word shape, suffix and crude stem;
- :mod:`.encode`: every token as rows of the weight tables;
- :mod:`.tagger`: stage-1 scores, the stacked stages, BIO decoding, spans from labels;
- :mod:`.names`: the canonical name and lexicon type of a source phrase;
- :mod:`.resolve`: a pronoun or definite description resolved to an earlier source;
- :mod:`.assemble`: cues paired with sources, the mode; the entry points;
- :mod:`.model`: the weight tables, :class:`SpanAttribution`, loading and its checks;
- :mod:`.stance`: how the reporter's wording frames a cue's claim (neutral, distancing, endorsing);
- :mod:`.implicit`: sources read from the lexicons: a source of a label's type next to a cue, and
  for sentences without a cue, an act's subject;
- :mod:`.train`: training the tagger from PolNeAR (scikit-learn, imported lazily;
  never imported here).
"""

from .assemble import _agent as _agent
from .assemble import _single_quoted as _single_quoted
from .assemble import extract_attributions, extract_attributions_many
from .model import AttributionModel, SpanAttribution, default_model_dir, load_attribution_model
from .model import _KeyIndex as _KeyIndex
from .tagger import _softmax as _softmax
from .tagger import decode
from .tokens import tokenize_spans

__all__ = [
    "SpanAttribution", "AttributionModel", "extract_attributions", "extract_attributions_many",
    "load_attribution_model", "default_model_dir", "decode", "tokenize_spans",
]
