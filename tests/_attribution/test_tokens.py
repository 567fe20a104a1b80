"""Tokens and their offsets (framing._attribution.tokens)."""

from hypothesis import given
from hypothesis import strategies as st

from framing._attribution.tokens import tokenize_spans


@given(st.text(max_size=200))
def test_tokens_are_slices(text):
    toks, starts, ends = tokenize_spans(text)
    assert [text[a:b] for a, b in zip(starts.tolist(), ends.tolist())] == toks
    assert all(t and not t[0].isspace() for t in toks)
    assert "".join(text.split()) == "".join(toks)
