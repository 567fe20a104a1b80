"""The command line: formats, batch guarantees, exit codes, atomic output, resume."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from framing import LABELS
from framing._cli import main

ROOT = Path(__file__).resolve().parents[1]
SEED = str(ROOT / "seeds" / "kursk_propaganda_video.txt")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_segment_jsonl_contract(capsys):
    code, out, err = run(capsys, "segment", SEED)
    rows = [json.loads(line) for line in out.splitlines()]
    text = Path(SEED).read_text(encoding="utf-8")
    assert code == 0 and rows
    for i, r in enumerate(rows):
        assert set(r) >= {"doc_id", "index", "start", "end", "text"}
        assert r["doc_id"] == SEED and r["index"] == i and r["text"] == text[r["start"] : r["end"]]
    assert "1 documents segmented, 0 failed" in err


def test_score_jsonl_contract(capsys):
    code, out, _ = run(capsys, "score", SEED, "--format", "jsonl")
    (doc,) = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and doc["id"] == SEED
    for s in doc["sentences"]:
        assert set(s) >= {"index", "start", "end", "text", "label", "probabilities"}
        assert list(s["probabilities"]) == list(LABELS)
        assert all(len(str(v).split(".")[-1]) <= 4 for v in s["probabilities"].values())
    assert set(doc["profile"]) >= {"n_sentences", "counts", "shares"}


def test_score_json_table_csv_and_sentence_csv(capsys, tmp_path):
    (tmp_path / "b.txt").write_text("Officials said talks failed. Analysts doubted it.", encoding="utf-8")
    code, out, _ = run(capsys, "score", SEED, str(tmp_path / "b.txt"), "--format", "json")
    assert code == 0 and [d["id"] for d in json.loads(out)] == [SEED, str(tmp_path / "b.txt")]
    code, out, _ = run(capsys, "score", SEED, "--format", "json")
    assert json.loads(out)["id"] == SEED  # one document: one object
    code, out, _ = run(capsys, "score", SEED, "--format", "table")
    assert "state_media_quote" in out and "STATE" in out
    code, out, _ = run(capsys, "score", SEED, str(tmp_path / "b.txt"), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 2 and float(rows[0]["share_state_media_quote"]) > 0
    assert rows[0]["sources_state_media_quote"]  # "name (count); ..." for the seed's state outlets
    code, out, _ = run(capsys, "score", SEED, "--format", "csv", "--level", "sentence")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["doc_id"] == SEED and rows[0]["label"] in LABELS and "p_official_claim" in rows[0]
    text = Path(SEED).read_text(encoding="utf-8")
    with_cue = [r for r in rows if r["cue"]]
    assert with_cue and all(r["label"] != "reporter_narration" and r["mode"] for r in with_cue)
    assert all(r["cue"] in text[int(r["start"]):int(r["end"])] for r in with_cue)
    assert all(r["source"] == r["cue"] == r["mode"] == "" for r in rows if r["label"] == "reporter_narration")


def test_directory_input_with_html_and_jsonl_metadata(capsys, tmp_path):
    (tmp_path / "page.html").write_text("<html><body><script>x()</script><p>KCNA said it. Fine.</p></body></html>",
                                        encoding="utf-8")
    (tmp_path / "recs.jsonl").write_text(json.dumps({"id": "r1", "text": "He said so.", "outlet": "X"}) + "\n",
                                         encoding="utf-8")
    code, out, _ = run(capsys, "score", str(tmp_path), "--format", "jsonl")
    docs = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [d["id"] for d in docs] == [str(tmp_path / "page.html"), "r1"]
    assert docs[0]["sentences"][0]["text"] == "KCNA said it."
    assert docs[1]["meta"] == {"outlet": "X"}


def test_no_record_lost_in_a_large_batch_with_failures(capsys, tmp_path):
    lines = []
    for i in range(10_000):
        if i % 100 == 37:
            lines.append("{broken json" if i % 200 == 37 else json.dumps({"id": f"d{i}", "body": "wrong field"}))
        else:
            lines.append(json.dumps({"id": f"d{i}", "text": f"Report {i}. Officials said so."}))
    src = tmp_path / "big.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "score", str(src), "--format", "jsonl")
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 10_000
    failed = [r for r in records if "error" in r]
    assert len(failed) == 100 and all(set(r["error"]) == {"type", "message"} for r in failed)
    ids = [r["id"] for r in records]
    assert ids[0] == "d0" and ids[-1] == "d9999" and ids[38] == "d38"
    assert code == 1 and "9900 documents scored, 100 failed" in err


def test_output_file_is_atomic_and_resume_skips_done_ids(capsys, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"a{i}", "text": f"Item {i}."}) + "\n" for i in range(5)),
                   encoding="utf-8")
    out = tmp_path / "out.jsonl"
    # An interrupted earlier run left a partial file: two complete lines and a torn one.
    partial = tmp_path / "out.jsonl.partial"
    done = [json.dumps({"id": "a0", "sentences": [], "profile": None, "meta": {}}),
            json.dumps({"id": "a1", "sentences": [], "profile": None, "meta": {}})]
    partial.write_text("\n".join(done) + '\n{"id": "a2", "senten', encoding="utf-8")
    code, _, err = run(capsys, "score", str(src), "-o", str(out), "--format", "jsonl", "--resume")
    ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert code == 0 and ids == ["a0", "a1", "a2", "a3", "a4"]
    assert not partial.exists() and "2 already done" in err


def test_usage_and_data_errors_have_exit_codes(capsys, tmp_path):
    assert run(capsys, "score", "--format", "pdf")[0] == 2
    assert run(capsys, "score", SEED, "--level", "sentence", "--format", "json")[0] == 2
    assert run(capsys, "score", SEED, "--resume")[0] == 2
    assert run(capsys, "nonsense")[0] == 2
    code, _, err = run(capsys, "score", str(tmp_path / "missing.txt"), "--format", "jsonl")
    assert code == 1 and "no such file" in err
    code, _, err = run(capsys, "score", SEED, "--model", str(tmp_path))
    assert code == 1 and "not a framing model directory" in err


def test_python_dash_m_and_stdin():
    proc = subprocess.run([sys.executable, "-m", "framing", "score", "-", "--format", "jsonl"],
                          input="KCNA said the test succeeded.", capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0
    doc = json.loads(proc.stdout)
    assert doc["id"] == "<stdin>" and doc["sentences"][0]["label"] in LABELS
    assert proc.stderr.strip().endswith("1 documents scored, 0 failed")


def test_benchmark_command_json_contract(capsys, tmp_path):
    with (ROOT / "labels" / "sentences.jsonl").open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    keep = sorted({r["doc_id"] for r in rows if r["split"] == "test"})[:5]
    data = tmp_path / "bench.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows if r["doc_id"] in keep), encoding="utf-8")
    code, out, _ = run(capsys, "benchmark", str(data), "--format", "json")
    report = json.loads(out)
    assert code == 0
    for key in ("n", "labels", "accuracy", "macro_f1", "per_label", "confusion_matrix", "ece", "sentences_per_second",
                "profile_error"):
        assert key in report
    assert report["labels"] == list(LABELS)
    assert sum(map(sum, report["confusion_matrix"])) == report["n"]
    code, out, _ = run(capsys, "benchmark", str(data), "--format", "markdown")
    assert out.startswith("| model |")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"text": "x", "label": "propaganda"}) + "\n", encoding="utf-8")
    code, _, err = run(capsys, "benchmark", str(bad))
    assert code == 1 and "unknown label" in err


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_benchmark_reads_csv_and_parquet(capsys, tmp_path, fmt):
    import pandas as pd

    frame = pd.DataFrame([{"sentence": "KCNA said so.", "gold": "state_media_quote", "doc": "a"},
                          {"sentence": "It rained.", "gold": "reporter_narration", "doc": "a"}])
    path = tmp_path / f"set.{fmt}"
    frame.to_csv(path, index=False) if fmt == "csv" else frame.to_parquet(path, index=False)
    code, out, _ = run(capsys, "benchmark", str(path), "--text-column", "sentence", "--label-column", "gold",
                       "--doc-column", "doc", "--format", "json")
    assert code == 0 and json.loads(out)["n"] == 2


def test_score_reads_parquet_records_and_reports_bad_rows(capsys, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [{"id": "p1", "text": "KCNA said the test succeeded.", "outlet": "x"},
            {"id": "p2", "text": None, "outlet": "y"},
            {"id": "p3", "text": "Analysts doubt it.", "outlet": "z"}]
    src = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist(rows), src, row_group_size=2)
    assert main(["score", str(src), "--format", "jsonl"]) == 1  # the null text is a data error
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == ["p1", "p2", "p3"]
    assert "error" in out[1] and "must be a string" in out[1]["error"]["message"]
    assert out[0]["meta"] == {"outlet": "x"} and out[2]["sentences"][0]["text"] == "Analysts doubt it."


def test_dask_engine_needs_files_of_one_known_kind(capsys, tmp_path):
    assert main(["score", "a.jsonl", "b.parquet", "--engine", "dask", "-o", str(tmp_path / "o")]) == 2
    assert "one kind per run" in capsys.readouterr().err
    assert main(["score", "-", "--engine", "dask", "-o", str(tmp_path / "o")]) == 2
