"""Output of a corpus comparison (:func:`framing.corpus_profile`): HTML report, CSV rows, a plot.

The input is the dictionary :func:`framing.corpus_profile` returns. The HTML report is
self-contained (no external assets) and escapes every field: one row per group with a
stacked bar of its shares and, per label, the share with its interval drawn as a
whisker; a table sortable by any share; the pairwise differences with their intervals
(those that exclude 0 marked); a time series when the groups are months or years; and
the top sources of each group, and how the reporter frames each group's claims (stance).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any, TextIO

from ._document import LABELS
from ._errors import InputError
from ._report import _CSS, _FRAMED, _JS, COLOURS, SHORT, _CsvWriter, _stance_share

__all__ = ["render_comparison_html", "write_comparison_csv", "plot_comparison"]

_DATE_GROUP = re.compile(r"^\d{4}(-\d{2})?$")


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _checked(result: Any) -> Mapping[str, Any]:
    """``result`` if it is what :func:`framing.corpus_profile` returns, else an :class:`InputError`."""
    groups = result.get("groups") if isinstance(result, Mapping) else None
    if not isinstance(groups, Mapping) or not all(isinstance(g, Mapping) and "shares" in g for g in groups.values()):
        raise InputError(f"not a comparison (got {type(result).__name__} without groups of shares); pass what "
                         "framing.corpus_profile returns, or framing compare's JSON output")
    return result


def _head(result: Mapping[str, Any]) -> str:
    """The shares the comparison reports: adjusted when it has them."""
    return "adjusted_shares" if result.get("method") else "shares"


def _pct(x: float) -> str:
    return f"{x:.1%}"


def _strip(share: float, lo: float | None, hi: float | None, colour: str) -> str:
    """One label's share as a dot with its interval as a whisker, on a 0-100 % track."""
    w = 200
    parts = [f'<line x1="0" y1="6" x2="{w}" y2="6" stroke="#ddd"/>']
    if lo is not None and hi is not None:
        parts.append(f'<line x1="{lo * w:.1f}" y1="6" x2="{hi * w:.1f}" y2="6" stroke="{colour}" stroke-width="2"/>'
                     f'<line x1="{lo * w:.1f}" y1="2" x2="{lo * w:.1f}" y2="10" stroke="{colour}"/>'
                     f'<line x1="{hi * w:.1f}" y1="2" x2="{hi * w:.1f}" y2="10" stroke="{colour}"/>')
    parts.append(f'<circle cx="{share * w:.1f}" cy="6" r="3.5" fill="{colour}"/>')
    return (f'<svg class="strip" viewBox="0 0 {w} 12" preserveAspectRatio="none" aria-hidden="true">'
            f'{"".join(parts)}</svg>')


def _stacked(shares: Mapping[str, float], label: str) -> str:
    segs = "".join(f'<div style="width:{shares[lab] * 100:.2f}%;background:{COLOURS[lab][0]}"></div>'
                   for lab in LABELS if shares[lab] > 0)
    return f'<div class="bar" role="img" aria-label="{_e(label)}">{segs}</div>'


def _series(result: Mapping[str, Any]) -> str:
    """Shares over time (groups named YYYY or YYYY-MM), one line per label with its interval band."""
    groups = {k: g for k, g in result["groups"].items() if _DATE_GROUP.match(k)}
    if len(groups) < 2:
        return ""
    keys = sorted(groups)
    head = _head(result)
    w, h, pad = 640, 220, 30
    x = {k: pad + i * (w - 2 * pad) / (len(keys) - 1) for i, k in enumerate(keys)}

    def y(v: float) -> float:
        return h - pad - v * (h - 2 * pad)

    parts = [f'<line x1="{pad}" y1="{y(0):.1f}" x2="{w - pad}" y2="{y(0):.1f}" stroke="#999"/>',
             f'<text x="2" y="{y(1) + 4:.1f}" font-size="10">100%</text>',
             f'<text x="2" y="{y(0) + 4:.1f}" font-size="10">0%</text>']
    for lab in LABELS:
        colour = COLOURS[lab][0]
        if all((groups[k].get("ci") or {}).get(lab) for k in keys):
            band = [f"{x[k]:.1f},{y(groups[k]['ci'][lab][1]):.1f}" for k in keys]
            band += [f"{x[k]:.1f},{y(groups[k]['ci'][lab][0]):.1f}" for k in reversed(keys)]
            parts.append(f'<polygon points="{" ".join(band)}" fill="{colour}" fill-opacity="0.12"/>')
        line = " ".join(f"{x[k]:.1f},{y(groups[k][head][lab]):.1f}" for k in keys)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2">'
                     f"<title>{_e(lab)}</title></polyline>")
    step = max(1, len(keys) // 8)
    for i, k in enumerate(keys):
        if i % step == 0 or i == len(keys) - 1:
            parts.append(f'<text x="{x[k]:.1f}" y="{h - 8}" font-size="10" text-anchor="middle">{_e(k)}</text>')
    return (f'<h2>Over time</h2><svg class="series" viewBox="0 0 {w} {h}" role="img" '
            f'aria-label="{_e(head)} by period">{"".join(parts)}</svg>')


def render_comparison_html(result: Mapping[str, Any], *, title: str = "framing comparison") -> str:
    """A self-contained HTML report of a corpus comparison.

    Parameters
    ----------
    result : mapping
        What :func:`framing.corpus_profile` returns (with or without ``ci``).
    title : str
        The page title.
    """
    result = _checked(result)
    head = _head(result)
    groups = result["groups"]
    method = result.get("method")
    level = result.get("ci_level")
    if method and method != "cc":
        what = f"shares corrected for the model's held-out errors ({_e(method)}; naive shares beside them)"
    elif method:
        what = "naive shares: the share of sentences given each label (method cc, no correction)"
    else:
        what = "naive shares (share of sentences given each label)"
    ci_text = (f"; {level * 100:g}% intervals from {result.get('n_bootstrap', 0):,} bootstrap resamples of documents"
               if level else "")
    by = ", ".join(result.get("by") or []) or "all documents"
    legend = "".join(f'<span><span class="m" style="background:{fg}">{SHORT[lab]}</span>{_e(lab)}</span>'
                     for lab, (fg, _bg) in COLOURS.items())
    body = [f"<h1>{_e(title)}</h1>",
            f"<p>Grouped by <b>{_e(by)}</b>: {len(groups):,} groups, "
            f"{sum(g['n_documents'] for g in groups.values()):,} documents. Reported: {what}{_e(ci_text)}.</p>",
            f'<div class="legend">{legend}</div>']
    failed = result.get("failed") or []
    if failed:
        body.append(f'<p class="err">{len(failed):,} documents could not be scored and are not counted: '
                    + _e("; ".join(f"{f['id']}: {f['message']}" for f in failed[:20]))
                    + (" ..." if len(failed) > 20 else "") + "</p>")
    cols = "".join(f'<th scope="col"><button type="button">{_e(SHORT[lab].lower())}</button></th>' for lab in LABELS)
    rows = []
    for name, g in groups.items():
        shares = g[head]
        cells = []
        for lab in LABELS:
            lo, hi = (g.get("ci") or {}).get(lab) or (None, None)
            iv = f" [{_pct(lo)}, {_pct(hi)}]" if lo is not None else ""
            naive = f" (naive {_pct(g['shares'][lab])})" if method and method != "cc" else ""
            cells.append(f'<td data-v="{shares[lab]}"><span class="v">{_pct(shares[lab])}</span>'
                         f'<span class="iv">{_e(iv)}{_e(naive)}</span>'
                         f"{_strip(shares[lab], lo, hi, COLOURS[lab][0])}</td>")
        label = ", ".join(f"{lab} {_pct(shares[lab])}" for lab in LABELS)
        rows.append(f'<tr><th scope="row" data-v="{_e(name)}">{_e(name)}{_stacked(shares, label)}</th>'
                    f'<td data-v="{g["n_documents"]}">{g["n_documents"]:,}</td>'
                    f'<td data-v="{g["n_sentences"]}">{g["n_sentences"]:,}</td>{"".join(cells)}</tr>')
    body.append('<table class="summary groups"><thead><tr><th scope="col"><button type="button">group</button></th>'
                '<th scope="col"><button type="button">documents</button></th>'
                f'<th scope="col"><button type="button">sentences</button></th>{cols}</tr></thead>'
                f"<tbody>{''.join(rows)}</tbody></table>")
    body.append(_series(result))
    diffs = result.get("differences") or {}
    if diffs:
        drows = []
        for pair, per in diffs.items():
            cells = []
            for lab in LABELS:
                d, iv = per[lab]["difference"], per[lab]["ci"]
                clear = iv is not None and (iv[0] > 0 or iv[1] < 0)
                shown = f"[{iv[0]:+.1%}, {iv[1]:+.1%}]" if iv is not None else "(no interval)"
                cells.append(f'<td data-v="{d}" class="{"clear" if clear else ""}">{d:+.1%} '
                             f'<span class="iv">{shown}</span></td>')
            drows.append(f'<tr><th scope="row" data-v="{_e(pair)}">{_e(pair)}</th>{"".join(cells)}</tr>')
        body.append("<h2>Differences between groups</h2><p>A − B for each pair, with its interval; a bold cell's "
                    "interval excludes 0.</p>"
                    '<table class="summary diffs"><thead><tr><th scope="col"><button type="button">pair'
                    f"</button></th>{cols}</tr></thead><tbody>{''.join(drows)}</tbody></table>")
    src = []
    for name, g in groups.items():
        named = [f"<b>{_e(SHORT[lab])}</b>: "
                 + _e("; ".join(f"{k} ({v})" for k, v in list(g["sources"][lab].items())[:5]))
                 for lab in LABELS[:3] if g["sources"][lab]]
        if named:
            src.append(f"<li><b>{_e(name)}</b> · " + " · ".join(named) + "</li>")
    if src:
        body.append("<h2>Top sources</h2><ul class=\"sources\">" + "".join(src) + "</ul>")
    framed = []
    for name, g in groups.items():
        st = g.get("stance") or {}
        cells = []
        for lab in LABELS[:3]:
            x = st.get(lab) or {}
            if x.get("n"):
                sh = x["shares"]
                cells.append(f'<td data-v="{sh["distancing"]}">{_pct(sh["distancing"])} distancing, '
                             f'{_pct(sh["endorsing"])} endorsing <span class="iv">of {x["n"]} claims</span></td>')
            else:
                cells.append('<td data-v="-1">none</td>')
        framed.append(f'<tr><th scope="row" data-v="{_e(name)}">{_e(name)}</th>{"".join(cells)}</tr>')
    if framed and any((g.get("stance") or {}) for g in groups.values()):
        cols = "".join(f'<th scope="col"><button type="button">{_e(SHORT[lab])}</button></th>' for lab in LABELS[:3])
        body.append("<h2>How claims are framed</h2><p>Per attributed voice, the share of its claims the reporter's "
                    "wording distances (\u201cclaimed\u201d, \u201cwithout evidence\u201d) or endorses "
                    "(\u201cconfirmed\u201d, \u201cacknowledged\u201d); the rest are neutral "
                    "(\u201csaid\u201d).</p>"
                    '<table class="summary stance"><thead><tr><th scope="col"><button type="button">group'
                    f"</button></th>{cols}</tr></thead><tbody>{''.join(framed)}</tbody></table>")
    css = _CSS + ("td .v{font-weight:600}.iv{color:#555;font-size:.8rem;display:block}"
                  "svg.strip{display:block;margin-top:.1rem;width:100%;max-width:10rem;height:12px}"
                  "td.clear{font-weight:700}table.groups th[scope=row]{min-width:8rem;word-break:normal}"
                  "svg.series{width:100%;max-width:40rem;height:auto}table.groups th .bar{max-width:12rem}"
                  "ul.sources{font-size:.9rem}")
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)}</title><style>{css}</style></head><body>{''.join(body)}"
            f"<script>{_JS}</script></body></html>\n")


def write_comparison_csv(result: Mapping[str, Any], out: TextIO) -> None:
    """One row per group: sizes, naive and adjusted shares, interval bounds per label, and
    the distancing and endorsing shares of each attributed label's claims ("" when none)."""
    result = _checked(result)
    w = _CsvWriter(out)
    framed = [(lab, st) for lab in LABELS[:3] for st in _FRAMED]
    w.writerow(["group", "n_documents", "n_sentences", *(f"share_{lab}" for lab in LABELS),
                *(f"adjusted_share_{lab}" for lab in LABELS), *(f"ci_low_{lab}" for lab in LABELS),
                *(f"ci_high_{lab}" for lab in LABELS), "method", "ci_level",
                *(f"{st}_share_{lab}" for lab, st in framed)])
    for name, g in result["groups"].items():
        adj = g.get("adjusted_shares") or {}
        ci = {lab: (g.get("ci") or {}).get(lab) or ("", "") for lab in LABELS}
        w.writerow([name, g["n_documents"], g["n_sentences"], *(g["shares"][lab] for lab in LABELS),
                    *(adj.get(lab, "") for lab in LABELS), *(ci[lab][0] for lab in LABELS),
                    *(ci[lab][1] for lab in LABELS), result.get("method") or "", result.get("ci_level") or "",
                    *("" if (v := _stance_share(g, lab, st)) is None else v for lab, st in framed)])


def plot_comparison(result: Mapping[str, Any], *, ax: Any = None) -> Any:
    """A matplotlib chart of a comparison: per group, each label's share with its interval.

    Parameters
    ----------
    result : mapping
        What :func:`framing.corpus_profile` returns.
    ax : matplotlib Axes, optional
        Where to draw (a new figure by default).

    Returns
    -------
    matplotlib Axes
    """
    result = _checked(result)
    from ._errors import require

    require("matplotlib", "plot_comparison")
    import matplotlib.pyplot as plt

    head = _head(result)
    names = list(result["groups"])
    if ax is None:
        _fig, ax = plt.subplots(figsize=(7, 0.5 + 0.45 * len(names) * 1.6))
    k = len(LABELS)
    for j, lab in enumerate(LABELS):
        ys = [i * (k + 1) + j for i in range(len(names))]
        vals = [result["groups"][n][head][lab] for n in names]
        err = None
        if all("ci" in result["groups"][n] for n in names):
            ivs = [result["groups"][n]["ci"][lab] or (v, v) for v, n in zip(vals, names)]
            err = [[max(v - iv[0], 0) for v, iv in zip(vals, ivs)], [max(iv[1] - v, 0) for v, iv in zip(vals, ivs)]]
        ax.barh(ys, vals, xerr=err, color=COLOURS[lab][0], label=lab, height=0.9, capsize=2)
    ax.set_yticks([i * (k + 1) + (k - 1) / 2 for i in range(len(names))], names)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel(("adjusted " if head == "adjusted_shares" else "") + "share of sentences"
                  + (f" ({result['ci_level'] * 100:g}% intervals)" if result.get("ci_level") else ""))
    ax.legend(loc="lower right", fontsize="small")
    return ax
