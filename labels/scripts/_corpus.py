"""Reading the ``news-intl`` corpus, shared by the labelling scripts."""

from __future__ import annotations

import json
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
