"""Running the extractor on a text and reading its spans back, for the tests here."""

from __future__ import annotations

from framing import segment
from framing._attribution import SpanAttribution, extract_attributions


def run(text: str) -> list[list[SpanAttribution]]:
    return extract_attributions(text, segment(text))


def flat(text: str) -> list[SpanAttribution]:
    return [a for sent in run(text) for a in sent]


def sl(text: str, span: tuple[int, int] | None) -> str | None:
    return None if span is None else text[span[0] : span[1]]


def only(text: str) -> SpanAttribution:
    found = flat(text)
    assert len(found) == 1, [(sl(text, a.cue), sl(text, a.source)) for a in found]
    return found[0]
