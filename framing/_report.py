"""Output formats for scored documents: table, json, jsonl, csv and a self-contained HTML report.

Every writer takes a stream of items, each either a :class:`~framing.Document` or a
failure record ``{"id": ..., "error": {"type": ..., "message": ...}}``, and writes
one output record per item, in order. Probabilities and shares are rounded to
4 decimal places in every text format.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

from ._document import LABELS, Attribution, Document, rounded_shares
from ._errors import InputError
from ._io import json_safe

__all__ = ["FORMATS", "SHARD_FORMATS", "write_documents", "render_html", "PRECISION"]
_FRAMED = ("distancing", "endorsing")  # document CSV: neutral is the rest

FORMATS = ("table", "json", "jsonl", "csv", "html")
SHARD_FORMATS = ("jsonl", "parquet")
"""Shard formats of the Dask engine (``framing.distributed.score_shards``)."""
PRECISION = 4
"""Decimal places of probabilities and shares in text outputs."""

SHORT = {
    "state_media_quote": "STATE",
    "official_claim": "OFFICIAL",
    "analyst_assessment": "ANALYST",
    "reporter_narration": "REPORTER",
}
# Okabe-Ito colours (distinguishable with the common colour-vision deficiencies);
# each label also carries a text marker so colour is never the only cue.
COLOURS = {
    "state_media_quote": ("#D55E00", "#FBE3D3"),
    "official_claim": ("#0072B2", "#D6E9F5"),
    "analyst_assessment": ("#009E73", "#D3F0E7"),
    "reporter_narration": ("#6E6E6E", "#F1F1F1"),
}

class RenderedLine(str):
    """A document's JSONL line, rendered where it was scored (a worker process), so the
    parent only writes it: sending text back is cheaper than sending a Document."""

    __slots__ = ()


Item = Document | Mapping[str, Any] | RenderedLine


def _is_error(item: Item) -> bool:
    return not isinstance(item, Document | RenderedLine)


_SURROGATE = re.compile("[\ud800-\udfff]")
# Characters a terminal acts on (C0 and C1 controls, DEL) or that reorder text (bidi
# controls): shown as escapes in the table and in messages, never sent raw.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` safe for a terminal: control, bidi and surrogate characters as ``\\xNN`` /
    ``\\uNNNN`` escapes (newlines and tabs too)."""
    def esc(m: re.Match[str]) -> str:
        c = ord(m.group())
        return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"

    return _SURROGATE.sub(esc, _CONTROL.sub(esc, text))


def _usable(item: Item) -> Item:
    """The item, or an error record when a document holds something no format can write
    (a lone surrogate in its id or text, metadata that is not JSON data)."""
    if not isinstance(item, Document):
        if isinstance(item, RenderedLine):
            return item
        err = item["error"]
        id_ = item["id"]
        return {"id": _text(id_) if isinstance(id_, str) else id_,
                "error": {k: _text(v) if isinstance(v, str) else v for k, v in dict(err).items()}}
    try:
        for what, value in (("id", item.id), ("text", item.text)):
            if _SURROGATE.search(value):
                raise InputError(f"the document's {what} holds a lone surrogate, which cannot be written as UTF-8")
        json_safe(item.meta, "meta")
    except (InputError, RecursionError) as exc:
        return {"id": _text(item.id), "error": {"type": "InputError", "message": str(exc)}}
    return item


def _text(value: str) -> str:
    """Text with any lone surrogate written as its escape, so it can be encoded."""
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", value)


def jsonl_line(item: Document | Mapping[str, Any]) -> RenderedLine:
    """One item as its JSONL output line (no newline)."""
    return RenderedLine(_dumps(_record(_usable(item))))


def _dumps(obj: Any, **kw: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, allow_nan=False, **kw)


def write_documents(items: Iterable[Item], out: TextIO, fmt: str, *, level: str = "document",
                    width: int | None = None, colour: bool = False) -> tuple[int, int]:
    """Write items in ``fmt``; returns ``(n_ok, n_failed)``.

    Items are documents, error mappings, or (``jsonl`` only) lines rendered in advance.

    ``level="sentence"`` (csv only) writes one row per sentence. ``width`` (table only)
    wraps each sentence at that many columns with a hanging indent under its text;
    ``colour`` (table only) marks labels with ANSI colours, for a terminal.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {FORMATS}")
    counts = [0, 0]

    def counted(stream: Iterable[Item]) -> Iterable[Item]:
        for item in stream:
            item = _usable(item)
            counts[_is_error(item)] += 1
            yield item

    stream = counted(items)
    if fmt == "jsonl":
        for item in stream:
            out.write((item if isinstance(item, RenderedLine) else jsonl_line(item)) + "\n")
            out.flush()
    elif fmt == "json":
        _write_json(stream, out)
    elif fmt == "csv":
        _write_csv(stream, out, level)
    elif fmt == "table":
        for item in stream:
            out.write(_table(item, width=width, colour=colour))
            out.flush()
    else:
        out.write(render_html(list(stream)))
    return counts[0], counts[1]


def _record(item: Item) -> dict[str, Any]:
    if isinstance(item, Document):
        d = item.to_dict(decimals=PRECISION)
        if d.get("meta"):  # the rest is made by framing from checked text: JSON data already
            d["meta"] = json_safe(d["meta"], item.id)
        return d
    return {"id": item["id"], "error": dict(item["error"])}


def _write_json(stream: Iterable[Item], out: TextIO) -> None:
    # One document gives one object (the documented shape); several give a list.
    it = iter(stream)
    first = next(it, None)
    second = next(it, None)
    if first is None:
        out.write("[]\n")
        return
    if second is None:
        out.write(_dumps(_record(first), indent=2) + "\n")
        return
    out.write("[\n")
    out.write(_dumps(_record(first), indent=2))
    out.write(",\n" + _dumps(_record(second), indent=2))
    for item in it:
        out.write(",\n" + _dumps(_record(item), indent=2))
    out.write("\n]\n")


def _probabilities(probs: Mapping[str, float] | None) -> Mapping[str, float]:
    """A sentence's probabilities rounded as the JSON output rounds them (adding up to 1)."""
    return rounded_shares({k: float(probs[k]) for k in LABELS}, PRECISION) if probs else {}


def _fmt(x: float | None) -> str:
    return "" if x is None else f"{x:.{PRECISION}f}"


_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_NEEDS_QUOTES = re.compile('[",\n\r]')


def _cell(value: Any) -> str:
    """One CSV field as ``csv.writer`` writes it (quoted when it holds a comma, quote or
    line break; a bare CR too, which ``csv`` leaves bare). Text is data, never a formula:
    a cell starting with = + - @ tab or CR gets a leading ``'`` (OWASP's defence against
    CSV injection in spreadsheets)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return str(value)
    if value.startswith(_FORMULA):
        value = "'" + value
    if _NEEDS_QUOTES.search(value):
        return '"' + value.replace('"', '""') + '"'
    return value


class _CsvWriter:
    def __init__(self, out: TextIO) -> None:
        self.out = out

    def writerow(self, row: Iterable[Any]) -> None:
        self.out.write(",".join(_cell(x) for x in row) + "\n")


_SCALAR = (str, int, float, bool, type(None))


class _MetaColumns:
    """Flat metadata columns for CSV, fixed by the first document so rows can stream.

    Scalar fields of the first document's ``meta`` become columns (``outlet``, ``date``;
    named ``meta_<key>`` where a key would clash with a column of framing's own); every
    other field of any document (keys the first lacked, lists, objects) goes as JSON into
    a last ``meta_other`` column, so no field is dropped.
    """

    def __init__(self, first: Item | None, taken: Sequence[str]) -> None:
        meta = self._meta(first)
        self.keys = sorted((k for k, v in meta.items() if isinstance(v, _SCALAR)), key=str)
        used = {*taken, "meta_other"}
        self.header = []
        for k in self.keys:
            name = str(k)
            while name in used:  # a key that is one of framing's columns, or another key's renamed one
                name = f"meta_{name}"
            used.add(name)
            self.header.append(name)
        self.header.append("meta_other")

    @staticmethod
    def _meta(item: Item | None) -> dict[str, Any]:
        # The same JSON data the JSON output writes (NaN as null, keys as strings).
        return dict(json_safe(dict(item.meta), item.id)) if isinstance(item, Document) and item.meta else {}

    def cells(self, item: Item) -> list[Any]:
        meta = self._meta(item)
        cells: list[Any] = []
        for k in self.keys:
            v = meta.get(k)
            if isinstance(v, _SCALAR):
                meta.pop(k, None)
                cells.append("" if v is None else json.dumps(v) if isinstance(v, bool) else v)
            else:
                cells.append("")
        return [*cells, _dumps(meta, sort_keys=True) if meta else ""]


def _write_csv(stream: Iterable[Item], out: TextIO, level: str) -> None:
    w = _CsvWriter(out)
    it = iter(stream)
    first = next(it, None)
    stream = itertools.chain([] if first is None else [first], it)
    if level == "sentence":
        own = ["doc_id", "index", "start", "end", "label", *(f"p_{lab}" for lab in LABELS), "source",
               "source_name", "source_type", "cue", "mode", "stance", "text", "error"]
        meta = _MetaColumns(first, own)
        w.writerow([*own, *meta.header])
        for item in stream:
            if isinstance(item, Document):
                if not item.sentences:  # a document without sentences still has its row
                    w.writerow([item.id, "", "", "", "", *([""] * len(LABELS)), *([""] * 6), "", "",
                                *meta.cells(item)])
                for s in item.sentences:
                    probs = _probabilities(s.probabilities)
                    a = s.attribution
                    who = [""] * 6 if a is None else [
                        "" if a.source is None else item.text[a.source[0] : a.source[1]], a.source_name or "",
                        a.source_type, "" if a.cue is None else item.text[a.cue[0] : a.cue[1]], a.mode,
                        a.stance or ""]
                    w.writerow([item.id, s.index, s.start, s.end, s.label, *(_fmt(probs.get(lab)) for lab in LABELS),
                                *who, s.text, "", *meta.cells(item)])
            else:
                w.writerow([item["id"], "", "", "", "", *([""] * len(LABELS)), *([""] * 6), "",
                            item["error"]["message"], *meta.cells(item)])
        return
    if level != "document":
        raise ValueError(f"level must be 'document' or 'sentence', not {level!r}")
    own = ["id", "n_sentences", "attributed_share", "dominant_label", *(f"count_{lab}" for lab in LABELS),
           *(f"share_{lab}" for lab in LABELS), *(f"char_share_{lab}" for lab in LABELS),
           *(f"sources_{lab}" for lab in LABELS[:3]),
           *(f"{st}_share_{lab}" for lab in LABELS[:3] for st in _FRAMED), "error"]
    meta = _MetaColumns(first, own)
    w.writerow([*own, *meta.header])
    for item in stream:
        if isinstance(item, Document):
            p = item.profile or {}
            w.writerow([item.id, p["n_sentences"], _fmt(p["attributed_share"]), p["dominant_label"] or "",
                        *(p["counts"][lab] for lab in LABELS), *(_fmt(p["shares"][lab]) for lab in LABELS),
                        *(_fmt(p["char_shares"][lab]) for lab in LABELS),
                        *(_sources_cell(p["sources"][lab]) for lab in LABELS[:3]),
                        *(_fmt(_stance_share(p, lab, st)) for lab in LABELS[:3] for st in _FRAMED), "",
                        *meta.cells(item)])
        else:
            w.writerow([item["id"], *([""] * (3 + 3 * len(LABELS) + 3 + 3 * len(_FRAMED))), item["error"]["message"],
                        *meta.cells(item)])


def _stance_share(profile: Mapping[str, Any], label: str, stance: str) -> float | None:
    """The share of ``label``'s claims framed with ``stance`` in a document's profile or a
    comparison group (None when none of them has a stance)."""
    shares = ((profile.get("stance") or {}).get(label) or {}).get("shares")
    return None if not shares else shares[stance]


def _sources_cell(sources: Mapping[str, int]) -> str:
    """``KCNA (3); Yonhap (1)``: a profile's sources for one label, most frequent first."""
    return "; ".join(f"{name} ({n})" for name, n in sources.items())


def _bar(shares: Mapping[str, float], width: int = 40) -> str:
    marks = {"state_media_quote": "S", "official_claim": "O", "analyst_assessment": "A", "reporter_narration": "."}
    cells = "".join(marks[lab] * round(shares[lab] * width) for lab in LABELS)
    return (cells + "." * width)[:width]


# ANSI SGR codes per label on a terminal: bold red, bold blue, bold magenta, plain.
_COLOURS = {"state_media_quote": "1;31", "official_claim": "1;34", "analyst_assessment": "1;35",
            "reporter_narration": "0"}
_PREFIX = 21  # "   0 OFFICIAL  0.60  ": index, label, confidence, two spaces


def _paint(text: str, code: str, colour: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if colour and code != "0" else text


def _wrapped(text: str, column: int, width: int) -> str:
    """``text`` starting at ``column``, wrapped at ``width`` on whole words, continued under itself."""
    indent = " " * column
    lines = textwrap.wrap(text, width=max(width, column + 30), initial_indent=indent, subsequent_indent=indent,
                          break_long_words=False, break_on_hyphens=False)
    return "\n".join(lines)[column:] if lines else text


def _table(item: Item, *, width: int | None = None, colour: bool = False) -> str:
    if not isinstance(item, Document):
        return (_paint(f"== {printable(str(item['id']))}", "1", colour)
                + f"\n{_paint('ERROR', '1;31', colour)} {printable(str(item['error']['type']))}: "
                f"{printable(str(item['error']['message']))}\n\n")
    p = item.profile or {}
    lines = [_paint(f"== {printable(item.id)}", "1", colour) + f"  ({p.get('n_sentences', 0)} sentences, "
             f"attributed {p.get('attributed_share', 0):.0%})"]
    if p:
        bar, legend = f"   [{_bar(p['shares'])}]", "S=state media  O=official  A=analyst  .=reporter"
        narrow = width is not None and len(bar) + 2 + len(legend) > width
        lines.append(f"{bar}\n   {legend}" if narrow else f"{bar}  {legend}")
        percent = rounded_shares(p["counts"], 3)  # rows of the table add up to 100.0%
        for lab in LABELS:
            srcs = printable(", ".join(f"{k} ({v})" for k, v in list(p["sources"][lab].items())[:4]))
            row = f"   {lab:<20} {p['counts'][lab]:>4}  {percent[lab]:>6.1%}  "
            if srcs and width is not None:
                srcs = _wrapped(srcs, len(row), width)
            lines.append((row + srcs).rstrip())
    lines.append("")
    for s in item.sentences:
        conf = (s.probabilities or {}).get(s.label or "", 0.0)
        text = printable(" ".join(s.text.split()))
        a = s.attribution
        who = "" if a is None or a.source_name is None else printable(f"  <- {a.source_name} ({a.source_type})")
        body = f"{text}{who}"
        if width is not None:
            body = _wrapped(body, _PREFIX, width)
        short = _paint(f"{SHORT.get(s.label or '', '?'):<8}", _COLOURS.get(s.label or "", "0"), colour)
        lines.append(f"{s.index:>4} {short} {conf:>5.2f}  {body}")
    return "\n".join(lines) + "\n\n"


_CSS = """
:root{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;line-height:1.55;color:#1b1b1b}
body{margin:0 auto;max-width:60rem;padding:1rem}
h1{font-size:1.4rem}h2{font-size:1.15rem;word-break:break-all}
.legend span,.s{border-radius:3px}
.legend{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0 1rem}
.legend span{padding:.1rem .4rem}
.doc{border-top:1px solid #ccc;padding-top:.5rem;margin-top:1.5rem}
.text{white-space:pre-wrap;font-size:1rem}
.s{position:relative;padding:.05rem .1rem;outline-offset:1px}
u.src{text-decoration:underline 2px solid;text-underline-offset:3px}
u.cue{text-decoration:underline 1px dashed;text-underline-offset:3px}
.s:focus{outline:2px solid #000}
.m{font-size:.62rem;font-weight:700;letter-spacing:.03em;padding:0 .2rem;margin-right:.2rem;border-radius:2px;
 color:#fff;vertical-align:.15em}
.tip{display:none;position:absolute;left:0;top:100%;z-index:5;background:#fff;color:#111;border:1px solid #888;
 padding:.4rem;font-size:.8rem;min-width:14rem;max-width:22rem;white-space:normal;box-shadow:0 2px 6px #0003}
.s:hover .tip,.s:focus .tip{display:block}
.bar{display:flex;height:1.3rem;border:1px solid #999;margin:.3rem 0;max-width:40rem}
.bar div{height:100%}
table{border-collapse:collapse;font-size:.9rem;width:100%}
th,td{border:1px solid #ccc;padding:.25rem .4rem;text-align:right}
th:first-child,td:first-child{text-align:left;word-break:break-all}
th button{font:inherit;background:none;border:0;cursor:pointer;padding:0;text-decoration:underline}
.err{color:#a00}
@media (max-width:40rem){body{padding:.5rem}.tip{max-width:80vw}}
"""

_JS = """
document.querySelectorAll('table.summary th button').forEach(function(btn){
  btn.addEventListener('click',function(){
    var th=btn.parentElement,table=th.closest('table'),idx=Array.prototype.indexOf.call(th.parentElement.children,th);
    var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows);
    var dir=th.getAttribute('aria-sort')==='descending'?1:-1;
    table.querySelectorAll('th').forEach(function(h){h.removeAttribute('aria-sort');});
    th.setAttribute('aria-sort',dir===1?'ascending':'descending');
    rows.sort(function(a,b){
      var x=a.cells[idx].getAttribute('data-v'),y=b.cells[idx].getAttribute('data-v');
      var nx=parseFloat(x),ny=parseFloat(y);
      if(!isNaN(nx)&&!isNaN(ny)){return dir*(nx-ny);}
      return dir*String(x).localeCompare(String(y));
    });
    rows.forEach(function(r){body.appendChild(r);});
  });
});
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _stacked_bar(counts: Mapping[str, float]) -> str:
    """A bar of the labels' shares, from their counts (the percentages add up to 100.0%)."""
    pct = rounded_shares(counts, 3)
    parts = []
    for lab in LABELS:
        fg, _bg = COLOURS[lab]
        if pct[lab] > 0:
            parts.append(f'<div style="width:{pct[lab] * 100:.2f}%;background:{fg}" '
                         f'title="{_e(lab)} {pct[lab]:.1%}"></div>')
    label = ", ".join(f"{lab} {pct[lab]:.1%}" for lab in LABELS)
    return f'<div class="bar" role="img" aria-label="{_e(label)}">{"".join(parts)}</div>'


def _marked(text: str, start: int, end: int, a: Attribution | None) -> str:
    """The sentence's escaped text with its source and cue underlined (``<u>``)."""
    marks = [] if a is None else sorted((x, cls) for x, cls in ((a.source, "src"), (a.cue, "cue")) if x is not None)
    out, pos = [], start
    for (s, e), cls in marks:
        if s < pos:  # overlapping spans: keep the first
            continue
        out.append(_e(text[pos:s]))
        title = "source" if cls == "src" else "cue"
        out.append(f'<u class="{cls}" title="{title}">{_e(text[s:e])}</u>')
        pos = e
    out.append(_e(text[pos:end]))
    return "".join(out)


def _doc_html(doc: Document, n: int) -> str:
    out = [f'<section class="doc" id="doc-{n}"><h2>{_e(doc.id)}</h2>']
    p = doc.profile
    if p:
        out.append(_stacked_bar(p["counts"]))
        pct = rounded_shares(p["counts"], 3)
        out.append("<p>" + " · ".join(f"{_e(SHORT[lab])} {pct[lab]:.1%}" for lab in LABELS)
                   + f" · attributed {1 - pct['reporter_narration'] if p['n_sentences'] else 0:.1%}</p>")
        named = [f"<b>{_e(SHORT[lab])}</b>: {_e(_sources_cell(p['sources'][lab]))}"
                 for lab in LABELS[:3] if p["sources"][lab]]
        if named:
            out.append('<p class="sources">Sources · ' + " · ".join(named) + "</p>")
        framed = []
        for lab in LABELS[:3]:
            st = (p.get("stance") or {}).get(lab) or {}
            if st.get("n"):
                framed.append(f"<b>{_e(SHORT[lab])}</b>: " + ", ".join(
                    f"{st['counts'][k]} {_e(k)}" for k in ("neutral", "distancing", "endorsing")))
        if framed:
            out.append('<p class="sources">How claims are framed · ' + " · ".join(framed) + "</p>")
    text = doc.text
    pieces = []
    pos = 0
    for s in doc.sentences:
        pieces.append(_e(text[pos : s.start]))
        lab = s.label or "reporter_narration"
        fg, bg = COLOURS[lab]
        probs = _probabilities(s.probabilities)
        tip = "".join(f"<div>{_e(k)}: {probs.get(k, 0.0):.{PRECISION}f}</div>" for k in LABELS)
        if s.explanation:
            feats = "; ".join(f"{_e(f.get('description') or f['feature'])} ({f['weight']:+.2f})"
                              for f in s.explanation.get("toward_label", []))
            tip += f"<div><b>toward {_e(lab)}:</b> {feats or 'none'}</div>"
            vs = "; ".join(f"{_e(f.get('description') or f['feature'])} ({f['weight']:+.2f})"
                           for f in s.explanation.get("against_runner_up", []))
            tip += f"<div><b>vs {_e(s.explanation.get('runner_up', ''))}:</b> {vs or 'none'}</div>"
        a = s.attribution
        if a is not None:
            src = "none" if a.source is None else _e(text[a.source[0] : a.source[1]])
            named = f" = {_e(a.source_name)}" if a.source_name and a.source_name != src else ""
            cue = "none" if a.cue is None else _e(text[a.cue[0] : a.cue[1]])
            framing = f" · <b>framed:</b> {_e(a.stance)}" if a.stance else ""
            tip += (f"<div><b>source:</b> {src}{named} ({_e(a.source_type)}) · <b>cue:</b> "
                    f"{cue} · {_e(a.mode)}{framing}</div>")
        pieces.append(
            f'<span class="s" tabindex="0" data-index="{s.index}" data-label="{lab}" '
            f'style="background:{bg};box-shadow:inset 0 -2px 0 {fg}">'
            f'<span class="m" style="background:{fg}">{SHORT[lab]}</span>{_marked(text, s.start, s.end, a)}'
            f'<span class="tip" role="tooltip">{tip}</span></span>'
        )
        pos = s.end
    pieces.append(_e(text[pos:]))
    out.append(f'<div class="text">{"".join(pieces)}</div></section>')
    return "".join(out)


def render_html(items: list[Item], *, title: str = "framing report") -> str:
    """A self-contained HTML report (no external assets) of scored documents.

    Every sentence is highlighted in its label's colour with a text marker; its
    probabilities (and explanation, when computed) show on hover or keyboard focus.
    Several documents get a summary table sortable by each share. All article
    text is escaped.
    """
    if isinstance(items, (Document, str, bytes, Mapping)) or not isinstance(items, Iterable):
        raise InputError(f"to_html() takes a list of scored documents, got {type(items).__name__}; "
                         "for one document pass [doc]")
    items = list(items)
    legend = "".join(
        f'<span style="background:{bg};box-shadow:inset 0 -2px 0 {fg}"><span class="m" style="background:{fg}">'
        f"{SHORT[lab]}</span>{_e(lab)}</span>"
        for lab, (fg, bg) in COLOURS.items()
    )
    legend += ('<span><u class="src">source</u> and <u class="cue">cue</u> of an attributed sentence '
               "are underlined</span>")
    body = [f"<h1>{_e(title)}</h1>", f'<div class="legend">{legend}</div>']
    docs = [(i, it) for i, it in enumerate(items)]
    if len(items) > 1:
        head = "".join(f'<th scope="col"><button type="button">{_e(SHORT[lab].lower())} share</button></th>'
                       for lab in LABELS)
        rows = []
        for i, it in docs:
            if isinstance(it, Document) and it.profile:
                p = it.profile
                pct = rounded_shares(p["counts"], 3)  # as the document's own paragraph shows them
                cells = "".join(f'<td data-v="{p["shares"][lab]}">{pct[lab]:.1%}</td>' for lab in LABELS)
                attributed = 1 - pct["reporter_narration"] if p["n_sentences"] else 0.0
                rows.append(f'<tr><td data-v="{_e(it.id)}"><a href="#doc-{i}">{_e(it.id)}</a></td>'
                            f'<td data-v="{p["n_sentences"]}">{p["n_sentences"]}</td>{cells}'
                            f'<td data-v="{p["attributed_share"]}">{attributed:.1%}</td></tr>')
        body.append(
            '<table class="summary"><thead><tr><th scope="col"><button type="button">document</button></th>'
            f'<th scope="col"><button type="button">sentences</button></th>{head}'
            '<th scope="col"><button type="button">attributed</button></th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    for i, it in docs:
        if isinstance(it, Document):
            body.append(_doc_html(it, i))
        else:
            body.append(f'<section class="doc" id="doc-{i}"><h2>{_e(str(it["id"]))}</h2>'
                        f'<p class="err">{_e(it["error"]["type"])}: {_e(it["error"]["message"])}</p></section>')
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>{''.join(body)}"
        f"<script>{_JS}</script></body></html>\n"
    )
