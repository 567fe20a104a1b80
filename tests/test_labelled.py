"""The labelled corpus: schema, offsets, splits, counts, and loading through `datasets`."""

from __future__ import annotations

import collections
import json
import re
from pathlib import Path

import pytest

from framing import LABELS, DatasetError, segment
from framing._labelled import group_documents, load_labelled

ROOT = Path(__file__).resolve().parents[1]
LABELS_DIR = ROOT / "labels"


def jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


DOCS = {d["id"]: d for d in jsonl(LABELS_DIR / "docs.jsonl")}
ROWS = jsonl(LABELS_DIR / "sentences.jsonl")


def norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def test_schema_and_offsets():
    for d in DOCS.values():
        assert set(d) >= {"id", "text", "outlet", "date", "url", "corpus", "split"}
    for r in ROWS:
        assert set(r) >= {"doc_id", "sentence_index", "start", "end", "text", "label", "annotator"}
        assert r["label"] in LABELS
        assert r["text"] == DOCS[r["doc_id"]]["text"][r["start"] : r["end"]]


def test_every_sentence_of_every_document_is_labelled_once_with_the_project_segmentation():
    by_doc = collections.defaultdict(list)
    for r in ROWS:
        by_doc[r["doc_id"]].append(r)
    assert set(by_doc) == set(DOCS)
    for doc_id, rows in by_doc.items():
        rows.sort(key=lambda r: r["sentence_index"])
        assert [r["sentence_index"] for r in rows] == list(range(len(rows)))
        assert [(r["start"], r["end"]) for r in rows] == segment(DOCS[doc_id]["text"])


def test_counts_meet_the_minimums():
    counts = collections.Counter(r["label"] for r in ROWS)
    assert len(ROWS) >= 5000 and len(DOCS) >= 300
    assert all(counts[lab] >= 400 for lab in LABELS), counts


def test_splits_are_disjoint_by_article_and_test_outlets_are_unseen():
    split_of = {d["id"]: d["split"] for d in DOCS.values()}
    assert set(split_of.values()) == {"train", "dev", "test"}
    assert all(r["split"] == split_of[r["doc_id"]] for r in ROWS)
    outlets = collections.defaultdict(set)
    for d in DOCS.values():
        outlets[d["split"]].add(d["outlet"])
    assert not outlets["test"] & (outlets["train"] | outlets["dev"])
    assert len(outlets["test"]) >= 3


def test_no_content_sentence_is_shared_across_splits():
    splits_of = collections.defaultdict(set)
    docs_of = collections.defaultdict(set)
    for r in ROWS:
        splits_of[norm(r["text"])].add(r["split"])
        docs_of[norm(r["text"])].add(r["doc_id"])
    for text, splits in splits_of.items():
        if len(splits) > 1:
            # Only page furniture ("Advertisement", "The Associated Press contributed to this
            # report") may recur: short, and found in several articles.
            assert len(text.split()) <= 12 and len(docs_of[text]) >= 2, text


def test_no_near_duplicate_long_sentences_across_splits():
    def shingles(text: str) -> set[str]:
        w = norm(text).split()
        return {" ".join(w[i : i + 4]) for i in range(len(w) - 3)}

    long = [(r["split"], shingles(r["text"])) for r in ROWS if len(norm(r["text"]).split()) >= 12]
    index = collections.defaultdict(list)
    for i, (_split, sh) in enumerate(long):
        for g in sh:
            index[g].append(i)
    for posting in index.values():
        if len(posting) > 100:
            continue
        for a in posting:
            for b in posting:
                if a < b and long[a][0] != long[b][0]:
                    jac = len(long[a][1] & long[b][1]) / len(long[a][1] | long[b][1])
                    assert jac < 0.5


@pytest.fixture(scope="module")
def small_set(tmp_path_factory):
    rows = [r for r in ROWS if r["doc_id"] in sorted(DOCS)[:3]]
    base = tmp_path_factory.mktemp("labelled")
    jl = base / "small.jsonl"
    jl.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    import pandas as pd

    frame = pd.DataFrame(rows)
    frame.to_csv(base / "small.csv", index=False)
    frame.to_parquet(base / "small.parquet", index=False)
    return base, rows


@pytest.mark.parametrize("suffix", ["jsonl", "csv", "parquet"])
def test_loader_reads_every_format_with_a_classlabel(small_set, suffix):
    import datasets

    base, rows = small_set
    ds = load_labelled(base / f"small.{suffix}")
    assert isinstance(ds.features["label"], datasets.ClassLabel)
    assert ds.features["label"].names == list(LABELS)
    assert len(ds) == len(rows)
    assert [LABELS[i] for i in ds["label"]] == [r["label"] for r in rows]
    docs = group_documents(ds)
    assert sum(len(d.spans) for d in docs) == len(rows)
    for d in docs:
        assert [d.text[s:e] for s, e in d.spans] == [r["text"] for r in d.rows]


def test_loader_split_and_renamed_columns(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text(
        json.dumps({"sentence": "A said.", "gold": "official_claim", "split": "train"}) + "\n"
        + json.dumps({"sentence": "B.", "gold": "reporter_narration", "split": "test"}) + "\n",
        encoding="utf-8",
    )
    ds = load_labelled(path, split="test", text_column="sentence", label_column="gold")
    assert ds["text"] == ["B."] and ds["label"] == [LABELS.index("reporter_narration")]


def test_unknown_labels_and_missing_columns_are_clear_errors(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"text": "A.", "label": "propaganda"}) + "\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"unknown label\(s\) \['propaganda'\]"):
        load_labelled(path)
    with pytest.raises(DatasetError, match=r"missing column\(s\) \['sentence'\].*--text-column"):
        load_labelled(path, text_column="sentence")
    with pytest.raises(DatasetError, match="split 'dev'"):
        load_labelled(path, split="dev")


def test_hub_names_fail_clearly_offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(DatasetError, match="offline"):
        load_labelled("hf:someone/some-framing-set")


def test_a_missing_path_fails_at_once_without_the_network(monkeypatch):
    # Only hf: names may reach the hub; a mistyped path must not be tried there.
    import datasets

    def no_network(*args, **kwargs):
        raise AssertionError("load_dataset was called for a path that does not exist")

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("HF_DATASETS_OFFLINE", raising=False)
    monkeypatch.setattr(datasets, "load_dataset", no_network)
    for name in ("labels/sentence.jsonl", "someone/some-framing-set"):
        with pytest.raises(DatasetError, match=r"no such file or directory \(for a Hugging Face hub dataset, "
                                                r"write hf:OWNER/NAME\)"):
            load_labelled(name)


def test_the_project_set_loads_by_split():
    test = load_labelled(LABELS_DIR / "sentences.jsonl", split="test")
    assert len(test) == sum(r["split"] == "test" for r in ROWS)


def test_integer_labels_are_class_indices(tmp_path):
    path = tmp_path / "ints.jsonl"
    path.write_text(json.dumps({"text": "A.", "label": 0}) + "\n" + json.dumps({"text": "B.", "label": 3}) + "\n",
                    encoding="utf-8")
    ds = load_labelled(path)
    assert ds["label"] == [0, 3] and ds.features["label"].names == list(LABELS)
    path.write_text(json.dumps({"text": "A.", "label": 7}) + "\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"outside 0-3"):
        load_labelled(path)


def test_classlabel_in_another_order_is_reindexed(tmp_path):
    import datasets

    names = ["reporter_narration", "official_claim", "state_media_quote", "analyst_assessment"]
    ds = datasets.Dataset.from_dict({"text": ["a", "b"], "label": [0, 2]},
                                    features=datasets.Features({"text": datasets.Value("string"),
                                                                "label": datasets.ClassLabel(names=names)}))
    path = tmp_path / "order.parquet"
    ds.to_parquet(str(path))
    out = load_labelled(path)
    assert [LABELS[i] for i in out["label"]] == ["reporter_narration", "state_media_quote"]


def test_gaps_rebuild_each_article_exactly():
    by_doc = collections.defaultdict(list)
    for r in ROWS:
        by_doc[r["doc_id"]].append(r)
    for doc_id, rows in by_doc.items():
        rows.sort(key=lambda r: r["sentence_index"])
        rebuilt = "".join(r["gap"] + r["text"] for r in rows)
        assert rebuilt == DOCS[doc_id]["text"][: rows[-1]["end"]], doc_id


def test_grouped_documents_keep_the_article_layout(tmp_path):
    text = "Headline here\n\nKCNA said so. Officials agreed.\n\nPhoto: KCNA"
    spans = segment(text)
    rows = [{"doc_id": "d", "sentence_index": i, "text": text[s:e], "gap": text[spans[i - 1][1] if i else 0 : s],
             "label": "reporter_narration"} for i, (s, e) in enumerate(spans)]
    path = tmp_path / "set.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (doc,) = group_documents(load_labelled(path))
    assert doc.text == text and doc.spans == spans
    no_gap = tmp_path / "plain.jsonl"
    no_gap.write_text("".join(json.dumps({k: v for k, v in r.items() if k != "gap"}) + "\n" for r in rows),
                      encoding="utf-8")
    (plain,) = group_documents(load_labelled(no_gap))
    assert plain.text == "\n".join(text[s:e] for s, e in spans)


@pytest.mark.parametrize(("rows", "message"), [
    ([], "holds no rows"),
    ([{"doc_id": "d", "text": None, "label": "official_claim"}], "have no text"),
    ([{"doc_id": "d", "text": 3, "label": "official_claim"}], "have no text"),
    ([{"doc_id": "d", "sentence_index": "x", "text": "t", "label": "official_claim"}], "whole numbers"),
    ([{"doc_id": "d", "text": "t", "label": None}, {"doc_id": "d", "text": "u", "label": "official_claim"}],
     "1 row\\(s\\) have no label"),
])
def test_unusable_rows_are_named(tmp_path, rows, message):
    path = tmp_path / "l.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(DatasetError, match=message):
        load_labelled(path)
