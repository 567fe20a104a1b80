"""Sort a model's errors into the families the accuracy work tracks.

The families are decided from the gold label, the prediction, the annotators' speaker
role (``speaker_role`` on narration sentences from round 2 on) and a few surface
patterns of the sentence. They describe *errors already made*; nothing here labels
anything. The order of the checks is the order of the families below: the first that
fits wins, so every error falls in exactly one family.
"""

from __future__ import annotations

import re
from collections import Counter

FAMILIES = [
    "headline",
    "caption or credit line",
    "non-answer (declined to comment) read as a claim",
    "non-governing speaker read as a claim",
    "independent media read as a claim",
    "source with no role read as a claim",
    "government acting or mentioned, no claim -> official",
    "narration read as analyst",
    "analyst read as official",
    "official read as analyst",
    "state-media claim missed",
    "false state media",
    "claim missed despite a reporting cue",
    "official act or decision without a reporting verb -> narration",
    "analyst view without a reporting verb -> narration",
    "other",
]

_CAPTION = re.compile(r"\b(?:Photo|Image|Getty|REUTERS|Reuters/|AP Photo|AFP|Caption|Hide Caption|EPA)\b|\|\s*\w+\s*$")
_NON_ANSWER = re.compile(r"\b(?:declined to (?:comment|say|elaborate)|did not (?:respond|reply|return|immediately)|"
                         r"(?:no|without) (?:immediate )?comment|would not (?:comment|say)|could not be reached)\b",
                         re.I)
_CUE = re.compile(r"\b(?:said|says|told|tells|according to|reported|reports|announced|stated|added|claimed|warned|"
                  r"wrote|argued|noted|believes?|notified|confirmed|denied|insisted|estimated?)\b", re.I)


def family(gold: str, pred: str, text: str, *, index: int, role: str | None = None) -> str:
    """The family of one error (``gold != pred``)."""
    if index == 0:
        return "headline"
    if _CAPTION.search(text) and len(text) < 400:
        return "caption or credit line"
    if gold == "state_media_quote":
        return "state-media claim missed"
    if pred == "state_media_quote":
        return "false state media"
    if gold == "reporter_narration":
        if _NON_ANSWER.search(text):
            return "non-answer (declined to comment) read as a claim"
        if role == "non_governing":
            return "non-governing speaker read as a claim"
        if role == "independent_media":
            return "independent media read as a claim"
        if role == "unnamed":
            return "source with no role read as a claim"
        return "government acting or mentioned, no claim -> official" if pred == "official_claim" \
            else "narration read as analyst"
    if gold == "analyst_assessment" and pred == "official_claim":
        return "analyst read as official"
    if gold == "official_claim" and pred == "analyst_assessment":
        return "official read as analyst"
    if pred == "reporter_narration":
        if _CUE.search(text):
            return "claim missed despite a reporting cue"
        return ("official act or decision without a reporting verb -> narration" if gold == "official_claim"
                else "analyst view without a reporting verb -> narration")
    return "other"


def count(errors: list[dict]) -> list[dict]:
    """``errors``: dicts with gold, pred, text, index, role. Rows of family, count, share."""
    c = Counter(family(e["gold"], e["pred"], e["text"], index=e["index"], role=e.get("role")) for e in errors)
    total = sum(c.values()) or 1
    return [{"family": f, "errors": c[f], "share": c[f] / total} for f in FAMILIES if c[f]]
