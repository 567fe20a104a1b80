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
    assert f"{n - n_done:,} documents scored, 0 failed, {n_done} already done" in resumed.stderr
    final = out.read_bytes()
    assert final.startswith(complete)  # the earlier lines were kept, not rewritten
    ids = [json.loads(line)["id"] for line in final.decode("utf-8").splitlines()]
    assert ids == [f"d{i}" for i in range(n)]


# --------------------------------------------------------------------------- hardening (#16): end to end

import errno  # noqa: E402
import io  # noqa: E402
import stat  # noqa: E402

import pytest  # noqa: E402

from framing._cli import main  # noqa: E402


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


HOSTILE_LINES = [
    '{"id": "nan", "text": "A.", "x": NaN}',
    '{"id": "inf", "text": "B.", "x": Infinity}',
    '{"id": "big", "text": "C.", "n": ' + "7" * 5000 + "}",
    '{"id": "deep", "text": "D.", "m": ' + "[" * 100_000 + "]" * 100_000 + "}",
    '{"id": "sur-text", "text": "E \\ud800."}',
    '{"id": "\\ud800", "text": "F."}',
    '{"id": "sur-meta", "text": "G.", "m": "\\udc80"}',
    '["not", "an", "object"]',
    '"a string"',
    '{"id": "ok", "text": "Officials said the test worked."}',
]


def test_odd_records_become_error_records_and_resume_goes_past_them(capsys, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(HOSTILE_LINES) + "\n", encoding="utf-8")
    full = tmp_path / "full.jsonl"
    code, _, err = cli(capsys, "score", src, "--format", "jsonl", "-o", full)
    lines = full.read_bytes().decode("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert code == 1 and len(records) == len(HOSTILE_LINES) and "Traceback" not in err
    assert [("error" in r) for r in records] == [True] * 9 + [False]
    # Interrupted after the third record: resuming finishes the run byte for byte.
    out = tmp_path / "out.jsonl"
    (tmp_path / "out.jsonl.partial").write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    code, _, err = cli(capsys, "score", src, "--format", "jsonl", "-o", out, "--resume")
    assert code == 1 and out.read_bytes() == full.read_bytes()
    # Resuming a finished output that holds error records keeps exit code 1.
    code, _, err = cli(capsys, "score", src, "--format", "jsonl", "-o", out, "--resume")
    assert code == 1 and "10 already done" in err and "9 of them failed" in err


def test_resume_keeps_a_duplicate_id_error_after_the_interruption(capsys, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": f"Text {n}."}) + "\n"
                           for n, i in enumerate(["a", "b", "a", "c"])), encoding="utf-8")
    full, out = tmp_path / "full.jsonl", tmp_path / "out.jsonl"
    cli(capsys, "score", src, "--format", "jsonl", "-o", full)
    first = full.read_text(encoding="utf-8").splitlines()[0]
    (tmp_path / "out.jsonl.partial").write_text(first + "\n", encoding="utf-8")
    code, _, _ = cli(capsys, "score", src, "--format", "jsonl", "-o", out, "--resume")
    assert code == 1 and out.read_bytes() == full.read_bytes()
    assert [json.loads(x)["id"] for x in out.read_text(encoding="utf-8").splitlines()] == ["a", "b", "a", "c"]


@pytest.mark.parametrize("size", ["0", "-1"])
def test_batch_size_must_be_positive(capsys, size):
    code, out, err = cli(capsys, "score", ROOT / "seeds" / "kursk_propaganda_video.txt", "--batch-size", size)
    assert code == 2 and out == "" and "--batch-size" in err


def test_jobs_and_batch_size_are_capped(capsys, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "One."}\n', encoding="utf-8")
    code, out, err = cli(capsys, "score", src, "--format", "jsonl", "--jobs", "1000")
    assert code == 0 and f"capped at {os.cpu_count()}" in err
    code, out2, err = cli(capsys, "score", src, "--format", "jsonl", "--batch-size", str(10**12))
    assert code == 0 and "capped at 10,000" in err and out2 == out


def test_output_naming_an_input_is_refused(capsys, tmp_path):
    src = tmp_path / "in.jsonl"
    body = '{"id": "a", "text": "One."}\n'
    src.write_text(body, encoding="utf-8")
    for extra in ([], ["--resume"]):
        code, _, err = cli(capsys, "score", src, "--format", "jsonl", "-o", src, *extra)
        assert code == 2 and "also an input" in err
    assert src.read_text(encoding="utf-8") == body


@pytest.mark.skipif(os.name != "posix", reason="POSIX locks and modes")
def test_a_second_run_on_the_same_output_stops_instead_of_sharing_the_partial(capsys, tmp_path):
    import fcntl

    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "One."}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    with open(tmp_path / "out.jsonl.partial", "a") as held:  # another run, mid-way
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        code, _, err = cli(capsys, "score", src, "--format", "jsonl", "-o", out)
    assert code == 1 and "another run is writing" in err and not out.exists()


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes and links")
def test_output_keeps_its_mode_and_symlinks(capsys, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "One."}\n', encoding="utf-8")
    target = tmp_path / "private.jsonl"
    target.write_text("old\n", encoding="utf-8")
    os.chmod(target, 0o600)
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    assert cli(capsys, "score", src, "--format", "jsonl", "-o", link)[0] == 0
    assert link.is_symlink() and stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert json.loads(target.read_text(encoding="utf-8"))["id"] == "a"


class _FullDevice(io.RawIOBase):
    def writable(self):
        return True

    def write(self, b):
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_or_stdout_is_a_message_and_exit_1(capsys, tmp_path, monkeypatch):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "One."}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_text("kept\n", encoding="utf-8")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr("framing._io.os.fsync", full)
        code, _, err = cli(capsys, "score", src, "--format", "jsonl", "-o", out)
    assert code == 1 and "No space left on device" in err and "Traceback" not in err
    assert out.read_text(encoding="utf-8") == "kept\n"  # the old output is untouched
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BufferedWriter(_FullDevice()), encoding="utf-8"))
    code = main(["score", str(src), "--format", "jsonl"])
    assert code == 1 and "No space left on device" in capsys.readouterr().err


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_stdout_on_a_full_device_exits_1_without_a_traceback(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "One."}\n', encoding="utf-8")
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "framing", "score", str(src), "--format", "jsonl"],
                              stdout=full, stderr=subprocess.PIPE, cwd=ROOT, text=True)
    assert proc.returncode == 1 and "No space left" in proc.stderr and "Traceback" not in proc.stderr
    assert "Exception ignored" not in proc.stderr


def test_non_utf8_file_names_are_valid_utf8_ids_on_stdout_and_in_files(capsys, tmp_path):
    d = tmp_path / "docs"
    d.mkdir()
    try:
        with open(os.fsencode(str(d)) + b"/caf\xe9.txt", "wb") as fh:
            fh.write(b"Officials said it worked.")
    except OSError:
        pytest.skip("this file system refuses names that are not UTF-8")
    code, out, _ = cli(capsys, "score", d, "--format", "jsonl")
    assert code == 0 and json.loads(out)["id"].endswith("caf\\xe9.txt")
    code, _, _ = cli(capsys, "score", d, "--format", "jsonl", "-o", tmp_path / "out.jsonl")
    assert code == 0 and json.loads((tmp_path / "out.jsonl").read_bytes().decode("utf-8"))["id"].endswith("xe9.txt")


def test_terminal_escapes_in_ids_never_reach_stderr_raw(capsys, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "\x1b]0;owned\x07\x1b[2J", "body": "x"}) + "\n", encoding="utf-8")
    code, _, err = cli(capsys, "score", src, "--format", "jsonl")
    assert code == 1 and "\x1b" not in err and "\x07" not in err and "\\x1b" in err


def test_parquet_with_timestamps_decimals_binary_and_nan_scores(capsys, tmp_path):
    import datetime as dt
    import decimal

    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "news.parquet"
    pq.write_table(pa.table({
        "id": ["a", "b"], "text": ["Officials said it worked.", "KCNA said so."],
        "published": pa.array([dt.datetime(2024, 5, 1, 12), None], pa.timestamp("ms")),
        "day": [dt.date(2024, 5, 1), dt.date(2024, 5, 2)],
        "price": pa.array([decimal.Decimal("2.50"), None], pa.decimal128(6, 2)),
        "raw": [b"\x00\x01", b"\xff"], "score": [float("nan"), 1.5],
    }), path)
    code, out, _ = cli(capsys, "score", path, "--format", "jsonl")
    docs = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [d["id"] for d in docs] == ["a", "b"] and "error" not in docs[0]
    assert docs[0]["meta"]["published"] == "2024-05-01T12:00:00" and docs[0]["meta"]["score"] is None
    for fmt in ("csv", "json", "html", "table"):
        assert cli(capsys, "score", path, "--format", fmt)[0] == 0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_in_an_input_directory_does_not_hang_the_run(capsys, tmp_path):
    import signal

    (tmp_path / "a.txt").write_text("Officials said it worked.", encoding="utf-8")
    os.mkfifo(tmp_path / "b.txt")

    def hung(*_):
        raise TimeoutError("the run waited on a FIFO")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    try:
        code, out, err = cli(capsys, "score", tmp_path, "--format", "jsonl")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert code == 1 and len(out.splitlines()) == 2 and "a FIFO" in err


def test_a_closed_pipe_with_workers_is_quiet(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"d{i}", "text": "Officials said the test worked."}) + "\n"
                           for i in range(400)), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "framing", "score", str(src), "--format", "jsonl", "--jobs", "2",
                             "--batch-size", "4"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    with proc:
        proc.stdout.read(10)
        proc.stdout.close()  # like | head -c 10
        err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0 and "Warning" not in err and "Traceback" not in err


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc to find the workers")
def test_workers_exit_when_their_parent_is_killed(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"d{i}", "text": "Officials said the test worked. " * 5}) + "\n"
                           for i in range(20000)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "framing", "score", str(src), "--format", "jsonl", "-o", str(out),
                             "--jobs", "2", "--batch-size", "8"], cwd=ROOT, stderr=subprocess.DEVNULL)

    def children(pid):
        found = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as fh:
                        fields = fh.read().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == pid:
                    found.append(int(entry))
        return found

    partial = tmp_path / "out.jsonl.partial"
    deadline = time.time() + 60
    while time.time() < deadline and (not partial.exists() or partial.stat().st_size < 5000):
        time.sleep(0.05)
    workers = children(proc.pid)
    assert workers
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 15
    alive = workers
    while alive and time.time() < deadline:
        time.sleep(0.2)
        alive = [w for w in alive if os.path.exists(f"/proc/{w}") and "Z" not in _state(w)]
    assert not alive


def _state(pid):
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def test_dask_engine_agrees_with_the_local_one_on_duplicates_and_non_objects(capsys, tmp_path):
    pytest.importorskip("dask.bag")
    import dask

    from framing.distributed import score_shards

    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "One."}\n["x"]\n"a text"\n42\n{"id": "a", "text": "Two."}\n'
                   '{"id": "b", "text": "Three.", "x": NaN}\n{"id": "c", "text": "Four."}\n', encoding="utf-8")
    _, out, _ = cli(capsys, "score", src, "--format", "jsonl")
    local = [json.loads(line) for line in out.splitlines()]
    shards = tmp_path / "shards"
    shards.mkdir()
    (shards / "part-00009.jsonl").write_text("stale\n", encoding="utf-8")
    (shards / "part-00000.parquet").write_text("stale\n", encoding="utf-8")
    (shards / "notes.txt").write_text("mine\n", encoding="utf-8")
    with dask.config.set(scheduler="synchronous"):
        ok, failed = score_shards([str(src)], str(shards), blocksize=40)
    remote = [json.loads(line) for p in sorted(shards.glob("part-*.jsonl")) for line in p.read_text().splitlines()]
    assert (ok, failed) == (2, 5)
    assert ["error" in r for r in remote] == ["error" in r for r in local]
    assert [r["id"] for r in remote if r["id"] in "abc"] == [r["id"] for r in local if r["id"] in "abc"]
    assert sorted(p.name for p in shards.iterdir() if not p.name.startswith("part-0000")) == ["notes.txt"]
    assert not (shards / "part-00000.parquet").exists()


def test_dask_engine_turns_invalid_utf8_into_an_error_record_not_a_crash(tmp_path):
    pytest.importorskip("dask.bag")
    import dask

    from framing.distributed import score_shards

    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"id": "a", "text": "One."}\n{"id": "b", "text": "bad \xff."}\n{"id": "c", "text": "Three."}\n')
    with dask.config.set(scheduler="synchronous"):
        assert score_shards([str(src)], str(tmp_path / "out")) == (2, 1)
    rows = [json.loads(x) for x in (tmp_path / "out" / "part-00000.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "c"] and "error" in rows[1]


def test_dask_output_directory_may_not_hold_the_input(capsys, tmp_path):
    pytest.importorskip("dask.bag")
    shard = tmp_path / "part-00000.jsonl"
    shard.write_text('{"id": "a", "text": "One."}\n', encoding="utf-8")
    code, _, err = cli(capsys, "score", "--engine", "dask", tmp_path / "*.jsonl", "-o", tmp_path)
    assert code == 2 and "holds the input" in err
    assert shard.read_text(encoding="utf-8") == '{"id": "a", "text": "One."}\n'
