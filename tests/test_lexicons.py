"""Tests for the lexicon tokenizer and matcher (framing._lexicons)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from framing._lexicons import load_lexicons, token_spans, tokenize


@given(st.text(alphabet=st.sampled_from(list("ab’'- .,U.S\n\"“”Kim")), max_size=60))
def test_token_spans_are_the_tokens_at_their_offsets(text: str) -> None:
    tokens, spans = token_spans(text)
    assert tokens == tokenize(text)
    for tok, (a, b) in zip(tokens, spans, strict=True):
        assert text[a:b].replace("’", "'") == tok
    assert all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))


@given(st.text(alphabet=st.sampled_from(list("aZ9_’'-. ,\n\"é")), max_size=80) | st.text(max_size=40))
def test_tokens_are_those_of_the_plain_greedy_pattern(text: str) -> None:
    plain = re.compile(r"(?:[^\W\d_]\.){2,}|\w+(?:['’\-]\w+)*|[^\w\s]")
    assert tokenize(text) == plain.findall(text.replace("’", "'"))


def test_token_spans_keep_curly_apostrophes_in_place() -> None:
    text = "China’s People’s Daily said"
    tokens, spans = token_spans(text)
    assert tokens == ["China's", "People's", "Daily", "said"]
    assert [text[a:b] for a, b in spans] == ["China’s", "People’s", "Daily", "said"]


def test_longest_match_wins_and_types_come_from_the_files() -> None:
    tokens = tokenize("North Korean state media said on Monday")
    found = load_lexicons().find(tokens, [t.lower() for t in tokens])
    assert (2, 4, "state_media") in found
    assert any(kind == "cue" and tokens[a] == "said" for a, _b, kind in found)
