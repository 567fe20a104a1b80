"""The comparison report (HTML, checked in headless Chromium), its CSV rows and its plot."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import shutil
import subprocess

import pytest

import framing
from framing import LABELS
from framing._comparison import plot_comparison, render_comparison_html, write_comparison_csv

HOSTILE = '<img src=x onerror=alert(1)>"&'
TEXTS = {
    "kcna": "KCNA said the launch succeeded. Officials in Seoul disagreed. It rained.",
    "ana": "Analysts said the talks would fail. The ministry said nothing. It was cold.",
    "rep": "The summit opened on Monday. Delegates arrived by train. Officials said it went well.",
}


def _docs():
    meta = [{"outlet": HOSTILE, "date": "2019-03-02"}, {"outlet": "Plain", "date": "2020-05-01"},
            {"outlet": "Plain", "date": "2020-07-09"}, {"outlet": HOSTILE, "date": "2021-01-01"}]
    texts = [*TEXTS.values(), TEXTS["kcna"]]
    return [framing.analyze(t, id=f"d{i}", meta=m) for i, (t, m) in enumerate(zip(texts, meta))]


@pytest.fixture(scope="module")
def result():
    return framing.corpus_profile(_docs(), by="outlet", method="acc", ci=0.9, n_bootstrap=200)


def test_report_escapes_every_field_and_is_self_contained(result):
    page = render_comparison_html(result, title=HOSTILE)
    assert "<img src=x" not in page and html.escape(HOSTILE, quote=True) in page
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert page.count("<tr>") >= 1 + len(result["groups"]) + len(result["differences"])
    for g in result["groups"].values():
        for lab in LABELS:
            lo, hi = g["ci"][lab]
            assert f"[{lo:.1%}, {hi:.1%}]" in page  # every interval is printed


def test_report_draws_a_time_series_for_date_groups():
    by_year = framing.corpus_profile(_docs(), by="date:year", ci=0.9, n_bootstrap=100)
    page = render_comparison_html(by_year)
    assert "Over time" in page and page.count("<polyline") == len(LABELS)
    assert "Over time" not in render_comparison_html(framing.corpus_profile(_docs(), by="outlet"))


def test_csv_has_one_row_per_group_with_naive_adjusted_and_interval_columns(result):
    buf = io.StringIO()
    write_comparison_csv(result, buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert len(rows) == len(result["groups"])
    for r, (name, g) in zip(rows, result["groups"].items()):
        assert r["group"] == name and int(r["n_documents"]) == g["n_documents"]
        for lab in LABELS:
            assert float(r[f"adjusted_share_{lab}"]) == g["adjusted_shares"][lab]
            assert [float(r[f"ci_low_{lab}"]), float(r[f"ci_high_{lab}"])] == g["ci"][lab]
        assert r["method"] == "acc" and r["ci_level"] == "0.9"


def test_plot_draws_one_bar_per_group_and_label(result):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    ax = plot_comparison(result)
    assert len(ax.patches) == len(result["groups"]) * len(LABELS)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(result["groups"])


HARNESS = """
<script>
(function(){
  var out = {};
  var table = document.querySelector('table.groups');
  var col = Array.prototype.findIndex.call(table.tHead.rows[0].cells,
    function(c){ return /official/.test(c.textContent); });
  function column(){ return Array.prototype.map.call(table.tBodies[0].rows,
    function(r){ return parseFloat(r.cells[col].getAttribute('data-v')); }); }
  out.before = column();
  table.tHead.rows[0].cells[col].querySelector('button').click();
  out.first_click = column();
  out.strips = document.querySelectorAll('svg.strip').length;
  out.diffs = document.querySelectorAll('table.diffs tbody tr').length;
  var pre = document.createElement('pre'); pre.id = 'harness-result'; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


@pytest.mark.skipif(_chromium() is None and not os.environ.get("CI"), reason="Chromium not installed (CI installs it)")
def test_report_renders_in_headless_chromium_without_console_errors(result, tmp_path):
    browser = _chromium()
    assert browser, "CI must install Chromium (see .ci/run)"
    page = render_comparison_html(result)
    report = tmp_path / "comparison.html"
    report.write_text(page.replace("</body>", HARNESS + "</body>"), encoding="utf-8")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--enable-logging=stderr", "--v=0", f"--user-data-dir={tmp_path / 'profile'}"]
    proc = subprocess.run([browser, *flags, "--virtual-time-budget=3000", "--dump-dom", report.as_uri()],
                          capture_output=True, text=True, timeout=120)
    match = re.search(r'<pre id="harness-result">(.*?)</pre>', proc.stdout, re.S)
    assert match, "the report's scripts did not run"
    console = [line for line in proc.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert not console, console
    out = json.loads(html.unescape(match.group(1)))
    assert out["first_click"] == sorted(out["before"], reverse=True)
    assert out["strips"] == len(result["groups"]) * len(LABELS)
    assert out["diffs"] == len(result["differences"])


def test_stance_per_group_in_the_report_and_the_csv():
    docs = [framing.analyze("State media claimed the launch succeeded. KCNA said it was a test.", id="a",
                            meta={"outlet": "X"}),
            framing.analyze("KCNA said the launch succeeded.", id="b", meta={"outlet": "Y"})]
    result = framing.corpus_profile(docs, by="outlet", ci=None)
    st = result["groups"]["X"]["stance"]["state_media_quote"]
    assert st["n"] >= 1 and st["counts"]["distancing"] >= 1
    page = render_comparison_html(result)
    assert "How claims are framed" in page and "distancing" in page
    buf = io.StringIO()
    write_comparison_csv(result, buf)
    rows = {r["group"]: r for r in csv.DictReader(io.StringIO(buf.getvalue()))}
    assert float(rows["X"]["distancing_share_state_media_quote"]) == st["shares"]["distancing"]
    assert rows["X"]["endorsing_share_analyst_assessment"] == ""  # no analyst claims: no share
