"""The command line: formats, batch guarantees, exit codes, atomic output, resume."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import framing
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
    assert "1 document segmented, 0 failed" in err


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
    assert code == 1 and "9,900 documents scored, 100 failed" in err


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
    assert proc.stderr.strip().endswith("1 document scored, 0 failed")


def _test_articles(tmp_path: Path, n: int) -> tuple[Path, list[dict], set[str]]:
    """The first ``n`` test-split articles of the labelled set, as a JSONL file."""
    with (ROOT / "labels" / "sentences.jsonl").open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    keep = set(sorted({r["doc_id"] for r in rows if r["split"] == "test"})[:n])
    data = tmp_path / "bench.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows if r["doc_id"] in keep), encoding="utf-8")
    return data, rows, keep


def test_benchmark_command_json_contract(capsys, tmp_path):
    data, _rows, _keep = _test_articles(tmp_path, 5)
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


# ------------------------------------------------------------ every option, by its effect
def _jsonl(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def test_version_prints_the_package_version(capsys):
    from framing import __version__

    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and capsys.readouterr().out.strip() == f"framing {__version__}"


def test_standard_input_on_a_terminal_says_what_it_waits_for():
    import os
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "framing", "score", "--format", "jsonl"], stdin=slave,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        first = proc.stderr.readline()  # said before it waits for input
    finally:
        proc.kill()
        proc.communicate(timeout=60)
        os.close(slave)
        os.close(master)
    assert "reading a document from standard input" in first and "Ctrl-D" in first
    piped = subprocess.run([sys.executable, "-m", "framing", "score", "--format", "jsonl"], input="KCNA said so.",
                           capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert "reading a document" not in piped.stderr  # a pipe needs no hint


def test_no_arguments_is_a_usage_error(capsys):
    code, _, err = run(capsys)
    assert code == 2 and "usage:" in err
    assert "framing: error: the following arguments are required: COMMAND" in err and "error: framing" not in err
    code, _, err = run(capsys, "score", "--format", "pdf")
    assert code == 2 and "framing: error: score: argument --format" in err


def test_segment_text_format_writes_one_sentence_a_line(capsys, tmp_path):
    text = "First one here. Second one here.\nStill second? Third!"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "segment", str(tmp_path / "a.txt"), "--format", "text")
    spans = framing.segment(text)
    assert code == 0 and out == "".join(text[s:e].replace("\n", " ") + "\n" for s, e in spans) + "\n"
    assert len(spans) == 4


def test_segment_failed_document_exits_1_and_keeps_the_others(capsys, tmp_path):
    (tmp_path / "ok.txt").write_text("Fine. Also fine.", encoding="utf-8")
    code, out, err = run(capsys, "segment", str(tmp_path / "ok.txt"), str(tmp_path / "missing.txt"))
    rows = _jsonl(out)
    assert code == 1 and "1 document segmented, 1 failed" in err
    assert [r["doc_id"] for r in rows] == [str(tmp_path / "ok.txt")] * 2 + [str(tmp_path / "missing.txt")]
    assert "error" in rows[-1]
    code, out, _ = run(capsys, "segment", str(tmp_path / "missing.txt"), "--format", "text")
    assert code == 1 and out == ""


def test_input_options_fields_encoding_errors_and_limits(capsys, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"key": "k1", "body": "Officials said so. It rained."}) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "segment", str(src), "--id-field", "key", "--text-field", "body")
    assert code == 0 and [r["doc_id"] for r in _jsonl(out)] == ["k1", "k1"]
    code, out, _ = run(capsys, "score", str(src), "--id-field", "key", "--text-field", "body", "--format", "jsonl")
    assert code == 0 and _jsonl(out)[0]["id"] == "k1" and len(_jsonl(out)[0]["sentences"]) == 2
    # --input-format text: a .jsonl file read as one plain-text document
    code, out, _ = run(capsys, "segment", str(src), "--input-format", "text")
    assert code == 0 and {r["doc_id"] for r in _jsonl(out)} == {str(src)} and '"key"' in _jsonl(out)[0]["text"]
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Café said so. Fine.".encode("latin-1"))
    assert run(capsys, "segment", str(latin))[0] == 1  # strict UTF-8: reported
    code, out, _ = run(capsys, "segment", str(latin), "--encoding", "latin-1")
    assert code == 0 and _jsonl(out)[0]["text"] == "Café said so."
    code, out, _ = run(capsys, "segment", str(latin), "--errors", "replace")
    assert code == 0 and _jsonl(out)[0]["text"] == "Caf\ufffd said so."
    code, out, _ = run(capsys, "segment", str(latin), "--errors", "ignore")
    assert code == 0 and _jsonl(out)[0]["text"] == "Caf said so."
    code, out, err = run(capsys, "segment", str(latin), "--encoding", "latin-1", "--max-chars", "5")
    assert code == 1 and "error" in _jsonl(out)[0] and "5" in err
    assert run(capsys, "segment", str(latin), "--encoding", "latin-1", "--max-chars", "0")[0] == 0
    assert run(capsys, "segment", str(latin), "--max-chars", "-1")[0] == 2


def test_explain_attaches_features_and_no_attribution_drops_spans(capsys):
    code, out, _ = run(capsys, "score", SEED, "--format", "jsonl")
    plain = _jsonl(out)[0]
    code, out, _ = run(capsys, "score", SEED, "--format", "jsonl", "--explain")
    explained = _jsonl(out)[0]
    assert code == 0 and all("explanation" not in s for s in plain["sentences"])
    assert all(s["explanation"]["label"] == s["label"] for s in explained["sentences"])
    code, out, _ = run(capsys, "score", SEED, "--format", "jsonl", "--no-attribution")
    bare = _jsonl(out)[0]
    assert code == 0 and any(s["attribution"] for s in plain["sentences"])
    assert all(s["attribution"] is None for s in bare["sentences"])
    assert [s["label"] for s in bare["sentences"]] == [s["label"] for s in plain["sentences"]]


def test_format_follows_the_output_suffix_and_html_is_a_report(capsys, tmp_path):
    for suffix, check in (("json", lambda t: json.loads(t)["id"] == SEED),
                          ("csv", lambda t: t.startswith("id,") or t.startswith("doc_id,")),
                          ("html", lambda t: t.lstrip().lower().startswith("<!doctype html>") and "<script" in t),
                          ("jsonl", lambda t: json.loads(t.splitlines()[0])["id"] == SEED),
                          ("txt", lambda t: json.loads(t.splitlines()[0])["id"] == SEED)):
        target = tmp_path / f"out.{suffix}"
        assert run(capsys, "score", SEED, "--output" if suffix == "csv" else "-o", str(target))[0] == 0
        assert check(target.read_text(encoding="utf-8")), suffix
    code, out, _ = run(capsys, "score", SEED, "--format", "html")
    assert code == 0 and "state_media_quote" in out and "</html>" in out


def test_jobs_and_batch_size_give_identical_output(capsys, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"d{i}", "text": f"Report {i}. KCNA said so. Experts doubt it."})
                           + "\n" for i in range(12)), encoding="utf-8")
    code, one, _ = run(capsys, "score", str(src), "--format", "jsonl")
    code2, many, _ = run(capsys, "score", str(src), "--format", "jsonl", "--jobs", "-1", "--batch-size", "5")
    assert code == code2 == 0 and one == many and len(_jsonl(one)) == 12
    for bad in ("0", "-2"):
        code, _, err = run(capsys, "score", str(src), "--jobs", bad)
        assert code == 2 and "--jobs" in err


def _read_pty(master: int) -> bytes:
    """Everything written to a pseudo-terminal until its other end closes; closes ``master``."""
    import os

    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO once the writer has closed the other end
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return b"".join(chunks)


def test_no_progress_silences_the_bar_on_a_terminal(tmp_path):
    import fcntl
    import os
    import pty
    import struct
    import termios

    pytest.importorskip("tqdm")
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"d{i}", "text": "KCNA said so."}) + "\n" for i in range(3)),
                   encoding="utf-8")

    def stderr_on_a_tty(*extra: str) -> str:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))  # a 0-column tty hides bars
        proc = subprocess.run([sys.executable, "-m", "framing", "score", str(src), "--format", "jsonl", *extra],
                              stdout=subprocess.DEVNULL, stderr=slave, cwd=ROOT, timeout=120)
        os.close(slave)
        output = _read_pty(master)
        assert proc.returncode == 0
        return output.decode("utf-8", "replace")

    assert "doc/s" in stderr_on_a_tty()
    quiet = stderr_on_a_tty("--no-progress")
    assert "doc/s" not in quiet and "3 documents scored" in quiet


@pytest.mark.parametrize("no_color", ["", "1"])
def test_table_on_a_terminal_wraps_has_no_progress_text_and_colours_labels(tmp_path, no_color):
    import fcntl
    import os
    import pty
    import struct
    import termios

    pytest.importorskip("tqdm")  # the bar that must stay out of the table
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"d{i}", "text": Path(SEED).read_text(encoding="utf-8")}) + "\n"
                           for i in range(3)), encoding="utf-8")
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 72, 0, 0))
    env = {**os.environ, "NO_COLOR": no_color, "TERM": "xterm", "COLUMNS": "72"}
    proc = subprocess.Popen([sys.executable, "-m", "framing", "score", str(src)], stdout=slave, stderr=slave,
                            cwd=ROOT, env=env)
    os.close(slave)
    output = _read_pty(master)
    assert proc.wait(timeout=120) == 0
    screen = output.decode("utf-8").replace("\r\n", "\n")
    assert "doc/s" not in screen and "\r" not in screen  # no bar redrawn into the table
    plain = re.sub(r"\x1b\[[0-9;]*m", "", screen)
    assert ("\x1b[1;31mSTATE" in screen) is not bool(no_color)
    lines = plain.splitlines()
    assert all(len(line) <= 72 for line in lines if len(max(line.split(), key=len, default="")) < 40)
    # Each sentence is one block: its first line carries index, label and confidence; the
    # rest hang under its text, and the words read back in order.
    doc = framing.analyze(Path(SEED).read_text(encoding="utf-8"))
    first = lines.index(next(line for line in lines if line.startswith("== ") and "d0" in line))
    body = lines[first:]
    for s in doc.sentences:
        start = next(i for i, line in enumerate(body) if re.match(rf"\s*{s.index} [A-Z]+\s+\d\.\d\d  ", line))
        block = [body[start][21:]]
        for line in body[start + 1:]:
            if not line.startswith(" " * 21) or not line.strip():
                break
            block.append(line[21:])
        assert " ".join(" ".join(block).split()).startswith(" ".join(s.text.split()))


def test_benchmark_options_split_model_baselines_and_table(capsys, tmp_path):
    with (ROOT / "labels" / "sentences.jsonl").open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    test_docs = sorted({r["doc_id"] for r in rows if r["split"] == "test"})[:3]
    train_docs = sorted({r["doc_id"] for r in rows if r["split"] == "train"})[:15]
    data = tmp_path / "bench.jsonl"
    keep = set(test_docs) | set(train_docs)
    data.write_text("".join(json.dumps(r) + "\n" for r in rows if r["doc_id"] in keep), encoding="utf-8")
    n_test = sum(r["doc_id"] in test_docs for r in rows)
    code, out, _ = run(capsys, "benchmark", str(data), "--split", "test", "--format", "json")
    assert code == 0 and json.loads(out)["n"] == n_test
    # --model: a model that knows only two labels' words still loads and is the one used
    code, out, _ = run(capsys, "benchmark", str(data), "--split", "test", "--format", "json", "--model",
                       str(Path(framing.__file__).parent / "models" / "default"))
    assert code == 0 and json.loads(out)["n"] == n_test
    code, out, _ = run(capsys, "benchmark", str(data), "--split", "test", "--model", str(tmp_path))
    assert code == 1
    code, out, _ = run(capsys, "benchmark", str(data), "--split", "test", "--format", "json", "--baselines",
                       "--baselines-train", str(data))
    report = json.loads(out)
    assert code == 0 and set(report["baselines"]) >= {"majority"}
    majority = report["baselines"]["majority"]
    assert majority["macro_f1"] < report["macro_f1"] and sum(1 for v in majority["per_label"].values()
                                                             if (v["f1"] or 0) > 0) == 1
    code, out, _ = run(capsys, "benchmark", str(data), "--split", "test", "--baselines", "--baselines-train", str(data))
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:3] == ["model", "accuracy", "macro-F1"]
    assert all(h in lines[0] for h in ("F1 state", "F1 official", "F1 analyst", "F1 reporter"))  # whole headers
    assert [ln.split()[0] for ln in lines[1:1 + 1 + len(report["baselines"])]] == ["framing", *report["baselines"]]
    assert f"n={n_test}" in out


def test_benchmark_json_values_are_consistent_with_the_confusion_matrix(capsys, tmp_path):
    import numpy as np

    data, rows, keep = _test_articles(tmp_path, 5)
    code, out, _ = run(capsys, "benchmark", str(data), "--format", "json")
    report = json.loads(out)
    cm = np.asarray(report["confusion_matrix"])
    assert code == 0 and report["n"] == sum(r["doc_id"] in keep for r in rows) == cm.sum()
    assert report["accuracy"] == pytest.approx(np.trace(cm) / cm.sum(), abs=1e-4)
    f1s = []
    for i, lab in enumerate(LABELS):
        if not cm[:, i].sum() and not cm[i].sum():  # neither gold nor predicted: no F1, not in the mean
            assert report["per_label"][lab]["f1"] is None
            continue
        p = cm[i, i] / cm[:, i].sum() if cm[:, i].sum() else 0.0
        r = cm[i, i] / cm[i].sum() if cm[i].sum() else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        assert report["per_label"][lab]["f1"] == pytest.approx(f1, abs=1e-3)
        f1s.append(f1)
    assert report["macro_f1"] == pytest.approx(np.mean(f1s), abs=1e-3)
    # the same figures through the public function
    assert framing.benchmark(str(data))["confusion_matrix"] == report["confusion_matrix"]
    assert 0 <= report["ece"] <= 1 and 0 <= report["profile_error"]["mae"] <= 1


def test_interrupt_and_broken_pipe_exit_codes(tmp_path):
    import signal
    import time

    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"d{i}", "text": "KCNA said so. " * 40}) + "\n" for i in range(4000)),
                   encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "framing", "score", str(src), "--format", "jsonl",
                             "-o", str(tmp_path / "out.jsonl")], stderr=subprocess.PIPE, cwd=ROOT, text=True)
    deadline = time.time() + 60
    while not (tmp_path / "out.jsonl.partial").exists() and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err
    assert not (tmp_path / "out.jsonl").exists()  # an interrupted run publishes nothing
    # standard output closed early (| head): no traceback, exit 0
    head = subprocess.run(f"{sys.executable} -m framing score {src} --format jsonl | head -c 10",
                          shell=True, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert head.returncode == 0 and "Traceback" not in head.stderr and len(head.stdout) == 10


def test_to_html_renders_documents():
    docs = [framing.analyze("KCNA said the <b>test</b> succeeded.", id="a<1>"), framing.analyze("It rained.", id="b")]
    page = framing.to_html(docs)
    assert page.lower().startswith("<!doctype html>") and "a&lt;1&gt;" in page and "<b>test</b>" not in page
    assert page.count("state_media_quote") >= 1 and "&lt;b&gt;test&lt;/b&gt;" in page


def test_every_option_of_every_command_is_exercised_here():
    from framing._cli import _build_parser

    parser = _build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    here = Path(__file__).read_text(encoding="utf-8")
    tests_dir = Path(__file__).parent
    elsewhere = "".join(p.read_text(encoding="utf-8") for p in tests_dir.glob("test_*.py"))
    missing = []
    for name, p in sub.choices.items():
        for action in p._actions:
            for opt in action.option_strings:
                if opt in ("-h", "--help"):
                    continue
                if f'"{opt}"' not in here and f'"{opt}"' not in elsewhere:
                    missing.append(f"{name} {opt}")
    assert not missing, f"options with no test: {missing}"


def _compare_inputs(tmp_path):
    texts = {"a": ("KCNA said the launch succeeded. Officials disagreed.", "X", "2020-01-03"),
             "b": ("Analysts said the talks would fail. It rained.", "X", "2020-02-03"),
             "c": ("The ministry said nothing. Reporters waited.", "Y", "2021-05-01"),
             "d": ("Officials said it went well. Delegates left.", "Y", "2021-06-01")}
    raw = tmp_path / "raw.jsonl"
    raw.write_text("".join(json.dumps({"id": k, "text": t, "outlet": o, "date": d}) + "\n"
                           for k, (t, o, d) in texts.items()), encoding="utf-8")
    return raw


def test_compare_scores_raw_records_or_reads_scored_output_alike(capsys, tmp_path):
    raw = _compare_inputs(tmp_path)
    scored = tmp_path / "scored.jsonl"
    assert main(["score", str(raw), "-o", str(scored)]) == 0
    capsys.readouterr()
    outs = []
    for src in (raw, scored):
        code, out, err = run(capsys, "compare", str(src), "--by", "outlet", "--method", "acc", "--bootstrap", "100",
                             "--seed", "1", "--format", "json")
        assert code == 0 and "4 documents in 2 groups, 0 failed" in err
        outs.append(json.loads(out))
    assert outs[0] == outs[1]
    r = outs[0]
    assert r["by"] == ["outlet"] and r["method"] == "acc" and r["ci_level"] == 0.9 and r["n_bootstrap"] == 100
    assert set(r["groups"]) == {"X", "Y"} and "X vs Y" in r["differences"] and r["failed"] == []
    assert run(capsys, "compare", str(scored), "--by", "outlet", "--bootstrap", "100", "--seed", "1",
               "--method", "acc")[1] == json.dumps(r, ensure_ascii=False, indent=2) + "\n"


def test_compare_options_take_effect(capsys, tmp_path):
    raw = _compare_inputs(tmp_path)
    code, out, _ = run(capsys, "compare", str(raw), "--no-adjust", "--ci", "0")
    r = json.loads(out)
    assert code == 0 and r["method"] is None and r["ci_level"] is None and list(r["groups"]) == ["all"]
    assert "adjusted_shares" not in r["groups"]["all"] and "ci" not in r["groups"]["all"]
    code, out, _ = run(capsys, "compare", str(raw), "--by", "outlet", "--by", "date:year", "--ci", "0.5",
                       "--bootstrap", "50", "--jobs", "2", "--model", str(ROOT / "framing" / "models" / "default"))
    r = json.loads(out)
    assert list(r["groups"]) == ["X | 2020", "Y | 2021"] and r["ci_level"] == 0.5
    html_out = tmp_path / "cmp.html"
    assert main(["compare", str(raw), "--by", "outlet", "--output", str(html_out), "--bootstrap", "50"]) == 0
    assert html_out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    csv_out = tmp_path / "cmp.csv"
    assert main(["compare", str(raw), "--by", "outlet", "-o", str(csv_out), "--bootstrap", "50"]) == 0
    rows = list(csv.DictReader(io.StringIO(csv_out.read_text(encoding="utf-8"))))
    assert [r["group"] for r in rows] == ["X", "Y"]
    capsys.readouterr()
    assert run(capsys, "compare", str(raw), "--ci", "1.5")[0] == 2
    assert run(capsys, "compare", str(raw), "--by", "date:week")[0] == 2


def test_compare_reports_failed_records_and_exits_1(capsys, tmp_path):
    raw = _compare_inputs(tmp_path)
    with raw.open("a", encoding="utf-8") as fh:
        fh.write("{not json\n")
        fh.write(json.dumps({"id": "e", "text": 5, "outlet": "Z"}) + "\n")
    code, out, err = run(capsys, "compare", str(raw), "--by", "outlet", "--bootstrap", "50")
    r = json.loads(out)
    assert code == 1 and len(r["failed"]) == 2
    assert sum(g["n_documents"] for g in r["groups"].values()) == 4
    assert "4 documents in 2 groups, 2 failed" in err and err.count("framing compare: ") == 3


def test_compare_never_overwrites_an_input_nor_counts_a_document_twice(capsys, tmp_path):
    raw = _compare_inputs(tmp_path)
    scored = tmp_path / "scored.jsonl"
    assert main(["score", str(raw), "-o", str(scored)]) == 0
    before = scored.read_bytes()
    extra = tmp_path / "extra.txt"
    extra.write_text("KCNA said so.", encoding="utf-8")
    code, _, err = run(capsys, "compare", str(scored), str(extra), "-o", str(scored), "--ci", "0")
    assert code == 2 and "also an input" in err and scored.read_bytes() == before
    # The same scored file twice, and the raw records it came from: each id counted once.
    code, out, err = run(capsys, "compare", str(scored), str(scored), str(raw), "--ci", "0")
    r = json.loads(out)
    assert code == 1 and r["groups"]["all"]["n_documents"] == 4 and len(r["failed"]) == 8
    assert all("read before; counted once" in f["message"] for f in r["failed"])


def test_compare_recognises_scored_output_on_standard_input_and_in_json(tmp_path):
    raw = _compare_inputs(tmp_path)
    scored = subprocess.run([sys.executable, "-m", "framing", "score", str(raw), "--format", "jsonl"],
                            capture_output=True, text=True, cwd=ROOT, check=True).stdout
    piped = subprocess.run([sys.executable, "-m", "framing", "compare", "-", "--by", "outlet", "--ci", "0"],
                           input=scored, capture_output=True, text=True, cwd=ROOT)
    assert piped.returncode == 0 and json.loads(piped.stdout)["groups"]["X"]["n_documents"] == 2
    as_json = tmp_path / "scored.json"
    as_json.write_text(json.dumps([json.loads(line) for line in scored.splitlines()]), encoding="utf-8")
    code = main(["compare", str(as_json), "--by", "outlet", "--ci", "0", "-o", str(tmp_path / "c.json")])
    r = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    assert code == 0 and sum(g["n_documents"] for g in r["groups"].values()) == 4
    odd = tmp_path / "odd.jsonl"
    odd.write_text(json.dumps({"id": "e1", "error": "boom"}) + "\n" + scored, encoding="utf-8")
    code = main(["compare", str(odd), "--ci", "0", "-o", str(tmp_path / "d.json")])
    r = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))
    assert code == 1 and r["failed"] == [{"id": "e1", "message": "boom"}]


def test_compare_reads_scored_output_piped_whatever_its_characters(tmp_path):
    raw = tmp_path / "r.jsonl"
    raw.write_text(json.dumps({"id": "a", "outlet": "X", "text": "KCNA said the missile\u2028flew far."},
                              ensure_ascii=False) + "\n"
                   + json.dumps({"id": "b", "outlet": "Y", "text": "Officials said two."}) + "\n", encoding="utf-8")
    scored = subprocess.run([sys.executable, "-m", "framing", "score", str(raw)], capture_output=True, cwd=ROOT,
                            check=True).stdout
    assert "\u2028".encode() in scored  # JSON output keeps it raw
    piped = subprocess.run([sys.executable, "-m", "framing", "compare", "-", "--by", "outlet", "--ci", "0"],
                           input=b"\xef\xbb\xbf" + scored, capture_output=True, cwd=ROOT)
    assert piped.returncode == 0, piped.stderr
    assert {k: g["n_documents"] for k, g in json.loads(piped.stdout)["groups"].items()} == {"X": 1, "Y": 1}


def test_compare_reports_a_damaged_scored_record_and_counts_the_rest(capsys, tmp_path):
    raw = _compare_inputs(tmp_path)
    scored = tmp_path / "scored.jsonl"
    assert main(["score", str(raw), "-o", str(scored)]) == 0
    records = [json.loads(line) for line in scored.read_text(encoding="utf-8").splitlines()]
    records[0]["profile"] = {}
    records[1]["sentences"][0]["probabilities"]["official_claim"] = "x"
    records[2]["meta"] = [1]
    damaged = tmp_path / "damaged.jsonl"
    damaged.write_text("\ufeff" + "".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    capsys.readouterr()
    code, out, err = run(capsys, "compare", str(damaged), "--ci", "0")
    r = json.loads(out)
    assert code == 1 and r["groups"]["all"]["n_documents"] == 1
    assert [f["id"] for f in r["failed"]] == ["a", "b", "c"] and "Traceback" not in err


@pytest.mark.parametrize(("option", "message"), [
    (["--by", "outlt"], "no document has the field 'outlt' (fields: date, outlet)"),
    (["--seed", "-1"], "--seed takes"),
    (["--bootstrap", "5"], "--bootstrap takes"),
    (["--encoding", "no-such-codec"], "--encoding 'no-such-codec' is not a known encoding"),
])
def test_compare_usage_errors_name_the_option(capsys, tmp_path, option, message):
    code, out, err = run(capsys, "compare", str(_compare_inputs(tmp_path)), *option)
    assert code == 2 and message in err and out == ""


def test_compare_checks_the_output_directory_before_scoring(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr("framing._api.score_records", lambda *a, **k: pytest.fail("scored before the check"))
    code, _, err = run(capsys, "compare", str(_compare_inputs(tmp_path)), "-o", str(tmp_path / "no" / "c.json"))
    assert code == 2 and "does not exist; create it first" in err


def test_segment_text_format_gives_one_line_per_sentence(capsys, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Officials said so.\rIt rained\u2028all day. Reporters\r\nwaited.", encoding="utf-8", newline="")
    code, out, _ = run(capsys, "segment", str(path), "--format", "text")
    sentences = out.strip("\n").split("\n")
    assert code == 0 and len(sentences) == len(framing.segment(path.read_bytes().decode("utf-8")))
    assert not any(c in out for c in "\r\u2028")


def test_standard_input_read_from_the_output_file_is_refused(tmp_path):
    victim = tmp_path / "victim.jsonl"
    victim.write_text(json.dumps({"id": "a", "text": "Officials said so."}) + "\n", encoding="utf-8")
    before = victim.read_bytes()
    for command in (["score", "-"], ["compare", "-"]):
        with open(victim, "rb") as fh:
            done = subprocess.run([sys.executable, "-m", "framing", *command, "-o", str(victim)], stdin=fh,
                                  capture_output=True, text=True, cwd=ROOT)
        assert done.returncode == 2 and "destroy the input" in done.stderr, command
        assert victim.read_bytes() == before and not list(tmp_path.glob("*.partial"))


def test_benchmark_names_a_mistyped_document_column(capsys, tmp_path):
    path = tmp_path / "l.jsonl"
    path.write_text("".join(json.dumps({"doc_id": "d", "sentence_index": i, "text": t, "label": lab}) + "\n"
                            for i, (t, lab) in enumerate([("KCNA said so.", "state_media_quote"),
                                                          ("It rained.", "reporter_narration")])), encoding="utf-8")
    code, _, err = run(capsys, "benchmark", str(path), "--doc-column", "docid")
    assert code == 1 and "no document column 'docid'" in err


def test_compare_recognises_scored_output_whatever_the_file_is_called(capsys, tmp_path):
    raw = _compare_inputs(tmp_path)
    scored = tmp_path / "scored.txt"
    assert main(["score", str(raw), "--format", "jsonl", "-o", str(scored)]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "compare", str(scored), "--by", "outlet", "--ci", "0")
    assert code == 0 and {k: g["n_documents"] for k, g in json.loads(out)["groups"].items()} == {"X": 2, "Y": 2}


def test_compare_scores_raw_records_that_merely_carry_an_error_or_profile_field(capsys, tmp_path):
    raw = tmp_path / "crawl.jsonl"
    raw.write_text("".join(json.dumps({"id": k, "body": t, "outlet": "X", "error": None, "profile": "p"}) + "\n"
                           for k, t in [("a", "Officials said so."), ("b", "KCNA said no.")]), encoding="utf-8")
    code, out, _ = run(capsys, "compare", str(raw), "--text-field", "body", "--ci", "0")
    assert code == 0 and json.loads(out)["groups"]["all"]["n_documents"] == 2


def test_compare_reads_scored_output_inside_a_directory(capsys, tmp_path):
    raw = _compare_inputs(tmp_path)
    (tmp_path / "scored").mkdir()
    assert main(["score", str(raw), "-o", str(tmp_path / "scored" / "s.jsonl")]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "compare", str(tmp_path / "scored"), "--by", "outlet", "--ci", "0")
    assert code == 0 and {k: g["n_documents"] for k, g in json.loads(out)["groups"].items()} == {"X": 2, "Y": 2}


def test_compare_and_score_agree_on_what_scored_output_is_whatever_its_form(capsys, tmp_path):
    raw = _compare_inputs(tmp_path)
    assert main(["score", str(raw), "--format", "jsonl", "-o", str(tmp_path / "lines.json")]) == 0
    assert main(["score", str(raw), "--format", "json", "-o", str(tmp_path / "list")]) == 0
    capsys.readouterr()
    for scored in ("lines.json", "list"):
        code, out, _ = run(capsys, "compare", str(tmp_path / scored), "--by", "outlet", "--ci", "0")
        assert code == 0 and {k: g["n_documents"] for k, g in json.loads(out)["groups"].items()} == {
            "X": 2, "Y": 2}, scored
    piped = subprocess.run([sys.executable, "-m", "framing", "compare", "-", "--by", "outlet", "--ci", "0"],
                           input=(tmp_path / "list").read_bytes(), capture_output=True, cwd=ROOT)
    assert piped.returncode == 0, piped.stderr
    assert {k: g["n_documents"] for k, g in json.loads(piped.stdout)["groups"].items()} == {"X": 2, "Y": 2}
