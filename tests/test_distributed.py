"""The Dask engine gives the same records as one process (framing[dask])."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import framing

if os.environ.get("CI"):  # CI installs the dask extra: a missing package must fail, not skip
    import dask.bag as db
    import dask.dataframe as dd
    from distributed import Client, LocalCluster
else:
    db = pytest.importorskip("dask.bag", reason="pip install '.[dask]'")
    dd = pytest.importorskip("dask.dataframe", reason="pip install '.[dask]'")
    from distributed import Client, LocalCluster

from framing.distributed import score_bag, score_dataframe

ROOT = Path(__file__).resolve().parents[1]


def records(n: int = 30) -> list[dict]:
    with (ROOT / "labels" / "docs.jsonl").open(encoding="utf-8") as fh:
        docs = [json.loads(line) for _, line in zip(range(n), fh)]
    out = [{"id": d["id"], "text": d["text"], "outlet": d["outlet"]} for d in docs]
    out.insert(5, {"id": "bad", "text": None})
    return out


def single_process(recs: list[dict]) -> list[dict]:
    out = []
    for r in recs:
        if not isinstance(r.get("text"), str):
            out.append({"id": r["id"], "error": "any"})
        else:
            meta = {k: v for k, v in r.items() if k not in ("id", "text")}
            out.append(framing.analyze(r["text"], id=r["id"], meta=meta).to_dict())
    return out


def same(a: list[dict], b: list[dict]) -> None:
    assert len(a) == len(b)
    for x, y in zip(a, b):
        if "error" in y:
            assert x["id"] == y["id"] and set(x["error"]) == {"type", "message"}
        else:
            assert x == y


@pytest.fixture(scope="module")
def threads_client():
    with LocalCluster(processes=False, n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        yield client


def test_bag_on_a_local_cluster_equals_one_process(threads_client):
    recs = records()
    bag = db.from_sequence(recs, npartitions=4)
    same(score_bag(bag).compute(), single_process(recs))


def test_dataframe_on_a_local_cluster(threads_client):
    import pandas as pd

    recs = [r for r in records(12) if isinstance(r["text"], str)]
    frame = pd.DataFrame(recs)
    out = score_dataframe(dd.from_pandas(frame, npartitions=3)).compute()
    assert list(out["id"]) == list(frame["id"])
    for text, shares in zip(frame["text"], out["framing_share_state_media_quote"]):
        assert shares == framing.analyze(text).profile["shares"]["state_media_quote"]


def test_worker_processes_and_the_cli_engine(tmp_path):
    recs = records(16)
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in recs) + "{broken\n", encoding="utf-8")
    out_dir = tmp_path / "shards"
    proc = subprocess.run([sys.executable, "-m", "framing", "score", str(src), "--input-format", "jsonl",
                           "--engine", "dask", "--jobs", "2", "-o", str(out_dir)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    lines = [json.loads(line) for p in sorted(out_dir.glob("part-*.jsonl"))
             for line in p.read_text(encoding="utf-8").splitlines()]
    assert proc.returncode == 1, proc.stderr  # the malformed line and the null text are data errors
    assert len(lines) == len(recs) + 1
    same(lines[:-1], single_process(recs))
    assert "malformed JSON" in lines[-1]["error"]["message"]


def test_parquet_shards_in_and_out_equal_one_process(threads_client, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from framing.distributed import score_shards

    recs = records(12)
    src = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist(recs), src, row_group_size=4)  # row groups become partitions
    ok, failed = score_shards([str(src)], str(tmp_path / "out"), input_format="parquet", output_format="parquet")
    assert (ok, failed) == (len(recs) - 1, 1)
    shards = sorted((tmp_path / "out").glob("part-*.parquet"))
    assert len(shards) == 4
    rows = [row for p in shards for row in pq.read_table(p).to_pylist()]
    want = single_process(recs)
    assert [r["id"] for r in rows] == [w["id"] for w in want]
    for row, w in zip(rows, want):
        if "error" in w:
            assert row["error"]["type"] == "InputError" and row["sentences"] is None
            continue
        assert row["error"] is None
        assert [(s["start"], s["end"], s["label"]) for s in row["sentences"]] == \
            [(s["start"], s["end"], s["label"]) for s in w["sentences"]]
        assert row["sentences"][0]["probabilities"] == w["sentences"][0]["probabilities"]
        assert [None if x["attribution"] is None else json.loads(x["attribution"]) for x in row["sentences"]] == \
            [x["attribution"] for x in w["sentences"]]
        assert row["share_official_claim"] == w["profile"]["shares"]["official_claim"]
        assert json.loads(row["profile"]) == w["profile"]
        assert json.loads(row["meta"]) == w["meta"]


def test_score_shards_rejects_unknown_formats(threads_client, tmp_path):
    from framing.distributed import score_shards

    with pytest.raises(framing.UsageError, match="output_format"):
        score_shards([str(tmp_path / "x.jsonl")], str(tmp_path), output_format="csv")


def test_cli_engine_reads_and_writes_parquet(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    recs = [r for r in records(6) if isinstance(r["text"], str)]
    src = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist(recs), src, row_group_size=2)
    out_dir = tmp_path / "shards"
    proc = subprocess.run([sys.executable, "-m", "framing", "score", str(src), "--engine", "dask", "--jobs", "1",
                           "--shard-format", "parquet", "-o", str(out_dir)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    rows = [row for p in sorted(out_dir.glob("part-*.parquet")) for row in pq.read_table(p).to_pylist()]
    want = single_process(recs)
    assert [r["id"] for r in rows] == [w["id"] for w in want]
    assert [[s["label"] for s in r["sentences"]] for r in rows] == [[s["label"] for s in w["sentences"]] for w in want]


def test_cli_scheduler_option_sends_the_work_to_that_cluster(threads_client, tmp_path, capsys):
    from framing._cli import main

    recs = [r for r in records(6) if isinstance(r["text"], str)]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    scheduler = threads_client.cluster.scheduler
    before = scheduler.transition_counter
    code = main(["score", str(src), "--engine", "dask", "--scheduler", scheduler.address,
                 "-o", str(tmp_path / "shards")])
    capsys.readouterr()
    lines = [json.loads(line) for p in sorted((tmp_path / "shards").glob("part-*.jsonl"))
             for line in p.read_text(encoding="utf-8").splitlines()]
    assert code == 0 and scheduler.transition_counter > before  # the tasks went through this scheduler
    same(lines, single_process(recs))
