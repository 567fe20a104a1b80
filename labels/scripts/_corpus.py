"""Reading the ``news-intl`` corpus, shared by the labelling scripts."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path


def read_articles(path: Path, ids: Iterable[str]) -> dict[str, dict]:
    """The corpus articles whose ``id`` is in ``ids``, by id (one pass over the file)."""
    wanted = set(ids)
    out = {}
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            a = json.loads(line)
            if a["id"] in wanted:
                out[a["id"]] = a
    return out


def document_text(article: dict) -> str:
    """The labelled text of an article: its title, a blank line, then its text as in the corpus."""
    return f"{article['title'].strip()}\n\n{article['text']}" if article.get("title") else article["text"]


# Two sentences "share content" (wire copy, or the same letter or tweet quoted in two
# stories) when both are long and half their word 4-grams are common.
SHARED_MIN_WORDS = 12
SHARED_JACCARD = 0.5


def sentence_grams(sentence: str) -> set[str] | None:
    """The word 4-grams of a sentence of ``SHARED_MIN_WORDS`` words or more (else None)."""
    w = re.findall(r"\w+", sentence.lower())
    return {" ".join(w[i : i + 4]) for i in range(len(w) - 3)} if len(w) >= SHARED_MIN_WORDS else None


def same_content(a: set[str], b: set[str]) -> bool:
    """Whether two sentences' 4-grams overlap enough to be the same content."""
    return len(a & b) / len(a | b) >= SHARED_JACCARD
