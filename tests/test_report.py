"""Output writers and the HTML report, checked in headless Chromium."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

import framing
from framing import LABELS
from framing._report import render_html, write_documents

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
SEED = (ROOT / "seeds" / "kursk_propaganda_video.txt").read_text(encoding="utf-8")
HOSTILE = 'Officials said <script>alert("x")</script> was found. KCNA said "A & B" <b>won</b>.'


def test_html_escapes_article_text_and_is_self_contained():
    page = render_html([framing.analyze(HOSTILE, id="<id>")])
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "&lt;id&gt;" in page
    assert not re.search(r'(src|href)="(https?:)?//', page)  # no external assets
    assert page.count('class="s"') == 2


def test_every_sentence_text_is_in_the_report_with_sources_and_cues_underlined():
    doc = framing.analyze(SEED)
    page = render_html([doc])
    plain = re.sub(r'<u class="(?:src|cue)" title="(?:source|cue)">|</u>', "", page)
    for s in doc.sentences:
        assert html.escape(s.text, quote=True) in plain
    attributed = [s for s in doc.sentences if s.attribution is not None]
    assert attributed  # the seed quotes KCNA, officials and analysts
    assert any(s.attribution.cue is not None for s in attributed)
    for s in attributed:
        a = s.attribution
        if a.cue is not None:  # a continued voice or an act has none
            assert f'<u class="cue" title="cue">{html.escape(doc.text[a.cue[0]:a.cue[1]])}</u>' in page
        if a.source is not None:
            assert f'<u class="src" title="source">{html.escape(doc.text[a.source[0]:a.source[1]])}</u>' in page


def test_error_items_are_written_in_place_in_every_format():
    items = [framing.analyze("One. Two.", id="a"), {"id": "b", "error": {"type": "InputError", "message": "bad"}}]
    for fmt in ("jsonl", "json", "csv", "table", "html"):
        buf = io.StringIO()
        ok, failed = write_documents(items, buf, fmt)
        assert (ok, failed) == (1, 1)
        assert "bad" in buf.getvalue()
    buf = io.StringIO()
    write_documents(items, buf, "jsonl")
    lines = [json.loads(line) for line in buf.getvalue().splitlines()]
    assert lines[1] == {"id": "b", "error": {"type": "InputError", "message": "bad"}}


HARNESS = """
<script>
(function(){
  var out = {};
  var spans = document.querySelectorAll('span.s');
  out.n_sentences = spans.length;
  out.coloured = Array.prototype.every.call(spans, function(s){
    var bg = getComputedStyle(s).backgroundColor;
    return bg && bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent';
  });
  out.markers = Array.prototype.every.call(spans, function(s){ return s.querySelector('.m').textContent.length > 0; });
  out.labels = Array.prototype.map.call(spans, function(s){ return s.getAttribute('data-label'); });
  var table = document.querySelector('table.summary');
  var col = Array.prototype.findIndex.call(table.tHead.rows[0].cells,
    function(c){ return /state share/.test(c.textContent); });
  function column(){
    return Array.prototype.map.call(table.tBodies[0].rows,
      function(r){ return parseFloat(r.cells[col].getAttribute('data-v')); });
  }
  out.before = column();
  table.tHead.rows[0].cells[col].querySelector('button').click();
  out.first_click = column();
  table.tHead.rows[0].cells[col].querySelector('button').click();
  out.second_click = column();
  var pre = document.createElement('pre'); pre.id = 'harness-result'; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.mark.skipif(_chromium() is None and not os.environ.get("CI"), reason="Chromium not installed (CI installs it)")
def test_report_in_headless_chromium(tmp_path):
    browser = _chromium()
    assert browser, "CI must install Chromium (see .ci/run)"
    texts = {"seed": SEED, "short": "Analysts said the talks would fail. It rained.",
             "kcna": "KCNA said the launch succeeded. Officials in Seoul disagreed."}
    docs = list(framing.analyze_many([{"id": k, "text": v} for k, v in texts.items()], explain=True))
    page = render_html(docs, title="framing test report")
    report = tmp_path / "report.html"
    report.write_text(page.replace("</body>", HARNESS + "</body>"), encoding="utf-8")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([browser, *flags, "--virtual-time-budget=3000", "--dump-dom", report.as_uri()],
                         capture_output=True, text=True, timeout=120).stdout
    match = re.search(r'<pre id="harness-result">(.*?)</pre>', dom, re.S)
    assert match, "the report's scripts did not run"
    result = json.loads(html.unescape(match.group(1)))
    assert result["n_sentences"] == sum(len(d.sentences) for d in docs)
    assert result["coloured"] and result["markers"]
    assert result["labels"] == [s.label for d in docs for s in d.sentences]
    assert set(result["labels"]) <= set(LABELS)
    assert result["first_click"] == sorted(result["before"], reverse=True)
    assert result["second_click"] == sorted(result["before"])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "report.png"
    (ARTIFACTS / "report.html").write_text(page, encoding="utf-8")
    phone = ARTIFACTS / "report-phone.png"
    for target, size in ((shot, "1200,1600"), (phone, "390,844")):
        target.unlink(missing_ok=True)  # a picture left by an earlier run must not pass for this one
        proc = subprocess.run([browser, *flags, f"--window-size={size}", f"--screenshot={target}", report.as_uri()],
                              capture_output=True, timeout=120)
        assert proc.returncode == 0, proc.stderr[-2000:]
        data = target.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000


# --------------------------------------------------------------------------- hardening (#16)

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _guarded(value):
    return "'" + value if value.startswith(_FORMULA) else value


def _csv_rows(items, level):
    buf = io.StringIO()
    write_documents(items, buf, "csv", level=level)
    return list(csv.reader(io.StringIO(buf.getvalue(), newline="")))


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="=+-@\t\r\n,\"' aB.", min_size=1, max_size=20),
       st.text(alphabet="=+-@\t\r\n,\"' aB.", min_size=1, max_size=12))
def test_csv_cells_are_never_formulas_and_read_back_row_for_row(text, id_):
    doc = framing.analyze(text, id=id_, attribution=False)
    err = {"id": id_, "error": {"type": "InputError", "message": text}}
    for level in ("document", "sentence"):
        rows = _csv_rows([doc, err], level)
        # One row a document, or a sentence (a document without sentences keeps one row).
        assert len(rows) == 1 + (1 if level == "document" else max(1, len(doc.sentences))) + 1
        for row in rows[1:]:
            assert not any(cell.startswith(_FORMULA) for cell in row)
        assert rows[-1][0] == _guarded(id_) and rows[-1][rows[0].index("error")] == _guarded(text)


def test_csv_bytes_of_ordinary_documents_are_unchanged():
    doc = framing.analyze(SEED, id="seed, \"quoted\"")
    buf = io.StringIO()
    write_documents([doc], buf, "csv", level="sentence")
    ref = io.StringIO()
    w = csv.writer(ref, lineterminator="\n")
    for row in csv.reader(io.StringIO(buf.getvalue(), newline="")):
        w.writerow(row)
    assert buf.getvalue() == ref.getvalue()


def test_terminal_escapes_never_reach_the_table_raw():
    evil = "\x1b[2J\x1b]0;pwned\x07\u202eKCNA said it \x9b31m worked."
    doc = framing.analyze(evil, id="id\x1b[31m")
    buf = io.StringIO()
    write_documents([doc, {"id": "e\x1b[1m", "error": {"type": "InputError", "message": "m\x1b]8;;x\x07"}}], buf,
                    "table")
    out = buf.getvalue()
    assert not any(c in out for c in "\x1b\x07\x9b\u202e")
    assert "\\x1b[2J" in out and "\\u202e" in out


def test_a_document_no_format_can_write_becomes_an_error_record_in_every_format(monkeypatch):
    # analyze() refuses such text up front; the writers must still stand on their own.
    monkeypatch.setattr("framing._api._check_text", lambda text, where: None)
    bad_text = framing.analyze("Hi \ud800 there.", id="a")
    bad_meta = framing.analyze("Fine.", id="b", meta={"x": object()})
    good = framing.analyze("Fine.", id="c", meta={"n": float("nan")})
    for fmt in ("jsonl", "json", "csv", "table", "html"):
        buf = io.StringIO()
        ok, failed = write_documents([bad_text, bad_meta, good], buf, fmt)
        assert (ok, failed) == (1, 2), fmt
        buf.getvalue().encode("utf-8")
    buf = io.StringIO()
    write_documents([good], buf, "jsonl")
    assert json.loads(buf.getvalue())["meta"] == {"n": None}


def test_csv_keeps_flat_metadata_columns_and_the_rest_as_json():
    docs = [framing.analyze("KCNA said so. It rained.", id="a",
                            meta={"outlet": "X", "date": "2020-01-02", "n": 3, "ok": True, "id": "clash",
                                  "tags": ["t"]}),
            framing.analyze("Officials said no.", id="b", meta={"outlet": "=cmd()", "extra": {"k": 1}}),
            {"id": "c", "error": {"type": "InputError", "message": "bad"}}]
    for level, id_col in (("document", "id"), ("sentence", "doc_id")):
        buf = io.StringIO()
        write_documents(docs, buf, "csv", level=level)
        rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
        first = next(r for r in rows if r[id_col] == "a")
        assert (first["outlet"], first["date"], first["n"], first["ok"]) == ("X", "2020-01-02", "3", "true")
        assert first["meta_id" if id_col == "id" else "id"] == "clash"
        assert json.loads(first["meta_other"]) == {"tags": ["t"]}
        second = next(r for r in rows if r[id_col] == "b")
        assert second["outlet"] == "'=cmd()"  # data, never a formula
        assert json.loads(second["meta_other"]) == {"extra": {"k": 1}} and second["date"] == ""
        assert next(r for r in rows if r[id_col] == "c")["error"] == "bad"


def _decimal_sum(values) -> Decimal:
    return sum((Decimal(str(v)) for v in values), Decimal(0))


@pytest.mark.parametrize("n_labels", [3, 6, 7, 11, 13])
def test_rounded_shares_add_up_to_exactly_one_in_every_format(n_labels):
    # Sentences whose counts give repeating decimals (1/3, 1/6, 1/7 ...).
    parts = ["KCNA said the launch succeeded.", "Officials said it failed.", "Analysts said it was a bluff.",
             "It rained in Seoul.", "The ministry said nothing.", "Experts doubted it."]
    text = " ".join(parts[i % len(parts)] for i in range(n_labels))
    doc = framing.analyze(text, id="d")
    p = doc.profile
    assert _decimal_sum(p["shares"].values()) == 1 and _decimal_sum(p["char_shares"].values()) == 1
    for s in doc.to_dict()["sentences"]:
        assert _decimal_sum(s["probabilities"].values()) == 1
    buf = io.StringIO()
    write_documents([doc], buf, "csv")
    row = next(csv.DictReader(io.StringIO(buf.getvalue())))
    assert _decimal_sum(row[f"share_{lab}"] for lab in LABELS) == 1
    buf = io.StringIO()
    write_documents([doc], buf, "table")
    pcts = re.findall(r"^   \w+\s+\d+\s+([\d.]+)%", buf.getvalue(), flags=re.M)
    assert len(pcts) == 4 and _decimal_sum(pcts) == 100
    page = render_html([doc])
    shown = re.search(r'aria-label="([^"]+)"', page).group(1)
    assert _decimal_sum(re.findall(r"([\d.]+)%", shown)) == 100


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=8),
       st.integers(min_value=0, max_value=6))
def test_rounded_shares_move_no_share_by_more_than_one_unit(weights, decimals):
    from framing._document import rounded_shares

    named = {f"k{i}": w for i, w in enumerate(weights)}
    out = rounded_shares(named, decimals)
    if sum(weights) == 0:
        assert set(out.values()) == {0.0}
        return
    assert _decimal_sum(out.values()) == 1
    for k, w in named.items():
        assert abs(out[k] - w / sum(weights)) <= 10**-decimals + 1e-12


def test_every_output_shows_the_same_rounded_probabilities_and_percentages():
    doc = framing.analyze(SEED[:3000], id="p", explain=True)
    as_json = {s["index"]: s["probabilities"] for s in doc.to_dict()["sentences"]}
    buf = io.StringIO()
    write_documents([doc], buf, "csv", level="sentence")
    for row in csv.DictReader(io.StringIO(buf.getvalue())):
        probs = {lab: row[f"p_{lab}"] for lab in LABELS}
        assert _decimal_sum(probs.values()) == 1
        assert {lab: float(v) for lab, v in probs.items()} == as_json[int(row["index"])]
    page = render_html([doc, framing.analyze("KCNA said so. Officials agreed. Analysts doubted it.", id="q")])
    for row in re.findall(r"<tr><td data-v=.*?</tr>", page):
        shares = re.findall(r">([\d.]+)%</td>", row)[:4]
        assert _decimal_sum(shares) == 100, row


def test_csv_metadata_columns_are_unique_and_lose_nothing():
    docs = [framing.analyze("KCNA said so.", id="a", meta={"error": "e1", "meta_error": "e2", "meta_other": "o",
                                                          "x": float("nan"), 3: "int key"}),
            framing.analyze("", id="empty", meta={"error": "e3"})]
    for level in ("document", "sentence"):
        buf = io.StringIO()
        write_documents(docs, buf, "csv", level=level)
        rows = list(csv.reader(io.StringIO(buf.getvalue())))
        header = rows[0]
        assert len(header) == len(set(header))
        got = dict(zip(header, rows[1]))
        assert {got["meta_error"], got["meta_meta_error"], got["meta_meta_other"], got["3"]} == {"e1", "e2", "o",
                                                                                                "int key"}
        assert got["x"] == ""  # NaN is null, as in the JSON output
        ids = [r[0] for r in rows[1:]]
        assert "empty" in ids  # a document without sentences keeps its row at either level


def test_stance_reaches_every_format():
    text = ("North Korea confirmed the deployment in April, when state media claimed its forces had "
            "won. Officials said the talks would resume.")
    doc = framing.analyze(text, id="s")
    framed = [s for s in doc.sentences if s.attribution is not None]
    assert framed and all(s.attribution.stance in ("neutral", "distancing", "endorsing") for s in framed)
    by_index = {s.index: s.attribution.stance for s in framed}
    buf = io.StringIO()
    write_documents([doc], buf, "json")
    sentences = json.loads(buf.getvalue())["sentences"]  # one document: one object
    assert {s["index"]: s["attribution"]["stance"] for s in sentences if s["attribution"]} == by_index
    rows = list(csv.DictReader(io.StringIO(_csv_text([doc], "sentence"))))
    assert {int(r["index"]): r["stance"] for r in rows if r["cue"]} == by_index
    doc_row = next(csv.DictReader(io.StringIO(_csv_text([doc], "document"))))
    lab = framed[0].label
    n = doc.profile["stance"][lab]["n"]
    assert n >= 1
    assert float(doc_row[f"distancing_share_{lab}"]) == doc.profile["stance"][lab]["shares"]["distancing"]
    page = render_html([doc])
    assert "How claims are framed" in page
    assert f"<b>framed:</b> {framed[0].attribution.stance}" in page


def _csv_text(items, level):
    buf = io.StringIO()
    write_documents(items, buf, "csv", level=level)
    return buf.getvalue()
