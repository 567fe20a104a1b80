"""Reliability: arbitrary input never crashes, output is deterministic across jobs, runs resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import framing
from framing import InputError
from framing._io import decode_bytes

ROOT = Path(__file__).resolve().parents[1]


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=600))
def test_analyze_never_raises_on_arbitrary_text(text):
    doc = framing.analyze(text)
    assert [(s.start, s.end) for s in doc.sentences] == framing.segment(text)
    assert doc.profile["n_sentences"] == len(doc.sentences)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_decoding_arbitrary_bytes_gives_text_or_a_clear_error(data):
    try:
        text = decode_bytes(data, name="x")
    except InputError as exc:
        assert str(exc).startswith("x: ")
    else:
        assert isinstance(text, str)


def test_mixed_scripts_emoji_and_combining_characters():
    text = "قالت وكالة الأنباء الرسمية إن الاختبار نجح. KCNA said so 🚀. Café—naïve é̃. 北朝鮮は発表した。"
    doc = framing.analyze(text)
    covered = "".join(s.text for s in doc.sentences)
    assert covered.replace(" ", "") == text.replace(" ", "")


def test_cli_output_is_byte_identical_across_jobs(tmp_path):
    with (ROOT / "labels" / "docs.jsonl").open(encoding="utf-8") as fh:
        records = [json.loads(line) for _, line in zip(range(40), fh)]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": r["id"], "text": r["text"]}) + "\n" for r in records), encoding="utf-8")
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}.jsonl"
        subprocess.run([sys.executable, "-m", "framing", "score", str(src), "--format", "jsonl", "-o", str(out),
                        "--jobs", jobs, "--batch-size", "8"], check=True, capture_output=True, cwd=ROOT)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] and outs[0].count(b"\n") == 40


def test_a_killed_run_resumes_without_duplicates_or_gaps(tmp_path):
    src = tmp_path / "in.jsonl"
    n = 3000
    src.write_text("".join(json.dumps({"id": f"d{i}", "text": f"Item {i}. Officials said it was fine."}) + "\n"
                           for i in range(n)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "framing", "score", str(src), "--format", "jsonl", "-o", str(out), "--resume",
           "--batch-size", "16"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    partial = tmp_path / "out.jsonl.partial"
    deadline = time.time() + 60
    while time.time() < deadline and (not partial.exists() or partial.stat().st_size < 20_000):
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not out.exists() and partial.exists()  # killed mid-run: no file that looks complete
    kept = partial.read_bytes()
    complete = kept[: kept.rfind(b"\n") + 1]
    n_done = complete.count(b"\n")
    assert 0 < n_done < n
    resumed = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True)
    assert f"{n - n_done} documents scored, 0 failed, {n_done} already done" in resumed.stderr
    final = out.read_bytes()
    assert final.startswith(complete)  # the earlier lines were kept, not rewritten
    ids = [json.loads(line)["id"] for line in final.decode("utf-8").splitlines()]
    assert ids == [f"d{i}" for i in range(n)]
