"""Input reading: every input yields one record or one clear error, in order."""

import io
import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing._errors import InputError, UsageError
from framing._io import IdSet, decode_bytes, html_to_text, iter_records, jsonl_lines, open_output

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def read(paths, **kw):
    return list(iter_records([str(p) for p in paths], **kw))


def test_text_files_and_ids(tmp_path):
    (tmp_path / "a.txt").write_text("One. Two.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "blank.txt").write_text(" \n\t ", encoding="utf-8")
    recs = read([tmp_path / "a.txt", tmp_path / "empty.txt", tmp_path / "blank.txt"])
    assert [r.text for r in recs] == ["One. Two.", "", " \n\t "]
    assert recs[0].id == str(tmp_path / "a.txt")
    assert all(r.error is None for r in recs)


def test_binary_file_is_an_error_record(tmp_path):
    (tmp_path / "img.txt").write_bytes(PNG)
    (rec,) = read([tmp_path / "img.txt"])
    assert rec.text is None and "binary" in rec.error["message"]


def test_invalid_utf8_names_file_and_offset_and_the_way_out(tmp_path):
    p = tmp_path / "bad.txt"
    p.write_bytes(b"Good text. \xff\xfe bad")
    (rec,) = read([p])
    msg = rec.error["message"]
    assert str(p) in msg and "byte offset 11" in msg and "--errors replace" in msg and "--encoding" in msg
    (ok,) = read([p], errors="replace")
    assert ok.text.startswith("Good text. \ufffd")
    (latin,) = read([p], encoding="latin-1")
    assert latin.error is None


@pytest.mark.parametrize(
    ("bom", "codec"), [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")]
)
def test_byte_order_marks_are_decoded_and_removed(tmp_path, bom, codec):
    p = tmp_path / "bom.txt"
    p.write_bytes(bom + "Kim said “yes”.".encode(codec))
    (rec,) = read([p])
    assert rec.text == "Kim said “yes”."


def test_control_characters_survive_decoding():
    text = decode_bytes(b"a\x01b\x1fc\x7f. Next.", name="x")
    assert text == "a\x01b\x1fc\x7f. Next."


def test_html_drops_scripts_and_styles_and_keeps_paragraphs(tmp_path):
    page = ("<html><head><title>T</title><style>p{color:red}</style><script>alert('x. Y.')</script></head>"
            "<body><nav>Home | World</nav><h1>Headline here</h1><p>First &amp; second. Third.</p>"
            "<p>Another <b>para</b>graph.</p><footer>© 2020</footer></body></html>")
    assert html_to_text(page) == "Headline here\n\nFirst & second. Third.\n\nAnother paragraph."
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    (rec,) = read([tmp_path / "page.html"])
    assert "alert" not in rec.text and rec.text.startswith("Headline here")


def test_directory_recursive_sorted_with_broken_links_and_loops(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Z.", encoding="utf-8")
    (tmp_path / "a.md").write_text("A.", encoding="utf-8")
    (tmp_path / "skip.bin").write_bytes(PNG)
    os.symlink(tmp_path / "missing.txt", tmp_path / "dangling.txt")
    os.symlink(tmp_path / "loop.txt", tmp_path / "loop.txt")
    os.symlink(tmp_path, tmp_path / "b" / "up")  # a directory loop: never followed
    recs = read([tmp_path])
    ids = [os.path.relpath(r.id, tmp_path) for r in recs]
    assert ids == ["a.md", os.path.join("b", "z.txt"), "dangling.txt", "loop.txt"]
    assert [r.error is not None for r in recs] == [False, False, True, True]
    assert "no such file" in recs[2].error["message"]
    assert "cannot be read" in recs[3].error["message"]


def test_missing_path_is_an_error_record(tmp_path):
    (rec,) = read([tmp_path / "nope.txt"])
    assert "no such file" in rec.error["message"]


def test_jsonl_records_and_every_kind_of_bad_line(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": "One.", "outlet": "X"}),
        "{not json",
        json.dumps({"id": "b", "body": "no text field"}),
        json.dumps({"id": "c", "text": 42}),
        json.dumps({"id": "a", "text": "duplicate id"}),
        json.dumps(["not", "an", "object"]),
        "",
        json.dumps({"text": "no id"}),
        json.dumps({"id": "big", "text": "x. " * 3_300_000}),  # a 10 MB record
    ]
    p = tmp_path / "in.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    recs = read([p])
    assert len(recs) == 8  # the blank line is not a record; everything else is
    assert recs[0].text == "One." and recs[0].meta == {"outlet": "X"}
    assert "malformed JSON" in recs[1].error["message"] and recs[1].id == f"{p}:2"
    assert "no 'text' field" in recs[2].error["message"] and "--text-field" in recs[2].error["message"]
    assert "must be a string" in recs[3].error["message"]
    assert "duplicate id" in recs[4].error["message"]
    assert "JSON object" in recs[5].error["message"]
    assert recs[6].id == f"{p}:8" and recs[6].error is None
    assert recs[7].error is None and len(recs[7].text) == 9_900_000


def test_max_chars_limit_is_reported_not_crashed_on(tmp_path):
    p = tmp_path / "long.txt"
    p.write_text("word " * 1000, encoding="utf-8")
    (rec,) = read([p], max_chars=100)
    assert "over the limit of 100" in rec.error["message"] and "--max-chars" in rec.error["message"]
    (rec,) = read([p], max_chars=None)
    assert rec.error is None


def test_stdin_text_and_jsonl():
    (rec,) = list(iter_records(["-"], stdin=io.BytesIO(b"From stdin.")))
    assert rec.id == "<stdin>" and rec.text == "From stdin."
    recs = list(iter_records(["-"], input_format="jsonl", stdin=io.BytesIO(b'{"id": 1, "text": "x"}\n')))
    assert recs[0].id == "1"


def test_unknown_encoding_is_a_clear_error():
    with pytest.raises(InputError, match="unknown encoding"):
        decode_bytes(b"abc", name="x", encoding="no-such-codec")


def test_open_output_is_atomic_and_resumable(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("OLD\n", encoding="utf-8")
    with pytest.raises(RuntimeError), open_output(str(out), io.StringIO()) as sink:
        sink.stream.write(json.dumps({"id": "1"}) + "\n")
        sink.stream.write('{"id": "2", "trunc')  # a torn line, as when killed mid-write
        raise RuntimeError("killed")
    assert out.read_text(encoding="utf-8") == "OLD\n"  # the old file is untouched
    partial = tmp_path / "out.jsonl.partial"
    assert partial.exists()
    with open_output(str(out), io.StringIO(), resume=True) as sink:
        assert "1" in sink.done and "2" not in sink.done and len(sink.done) == 1
        sink.stream.write(json.dumps({"id": "2"}) + "\n")
    assert [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()] == ["1", "2"]
    assert not partial.exists()


def test_unreadable_file_in_a_directory_is_an_error_record(tmp_path, monkeypatch):
    # Tests run as root in CI, where chmod 000 does not stop reads: simulate the refusal.
    (tmp_path / "a.txt").write_text("Readable.", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("Hidden.", encoding="utf-8")
    real_open = open

    def guarded(path, *args, **kwargs):
        if str(path).endswith("secret.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", guarded)
    recs = read([tmp_path])
    assert [r.text for r in recs] == ["Readable.", None]
    assert "permission denied" in recs[1].error["message"]


def test_jsonl_streams_and_a_bad_line_does_not_stop_the_file(tmp_path):
    p = tmp_path / "mixed.jsonl"
    p.write_bytes(b'\xef\xbb\xbf{"id": "a", "text": "One."}\n{"id": "b", "text": "\xff bad"}\r\n'
                  b'{"id": "c", "text": "Three."}\n')
    recs = read([p])
    assert [r.id for r in recs] == ["a", f"{p}:2", "c"]
    # 3 (BOM) + 28 (line 1) + 21 bytes into line 2
    assert "byte offset 52" in recs[1].error["message"] and f"{p}:2" in recs[1].error["message"]
    assert recs[2].text == "Three."


def test_resume_from_a_finished_output_copies_its_complete_lines(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_bytes(b'{"id": "a"}\n{"id": "b"}\nnot json\n')
    with open_output(str(out), io.StringIO(), resume=True) as sink:
        assert "a" in sink.done and "b" in sink.done and "c" not in sink.done
        sink.stream.write(json.dumps({"id": "c"}) + "\n")
    assert out.read_bytes() == b'{"id": "a"}\n{"id": "b"}\n{"id": "c"}\n'


def test_resume_refuses_to_cut_output_after_a_damaged_line(tmp_path):
    out = tmp_path / "out.jsonl"
    before = b'{"id": "a"}\n\n{"id": "b"}\nnot json\n{"id": "c"}\n'
    out.write_bytes(before)
    with pytest.raises(UsageError, match="line 2 is not a record"):
        with open_output(str(out), io.StringIO(), resume=True):
            pass
    assert out.read_bytes() == before and not list(tmp_path.glob("*.partial"))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(max_size=12), max_size=300), st.integers(min_value=1, max_value=40))
def test_id_set_agrees_with_a_python_set(ids, chunk):
    # A tiny chunk forces many merges into the sorted digest array.
    got, want = IdSet(chunk=chunk), set()
    for i, id_ in enumerate(ids):
        assert (id_ in got) == (id_ in want)
        got.add(id_)
        want.add(id_)
        assert len(got) == len(want)
        probe = ids[i // 2]
        assert probe in got
    assert all(x in got for x in want)
    assert 42 not in got


def test_duplicate_ids_are_caught_across_digest_merges():
    lines = [json.dumps({"id": f"d{i % 70_000}", "text": "x"}) for i in range(70_010)]
    records = list(iter_records(["-"], input_format="jsonl", stdin=io.BytesIO("\n".join(lines).encode())))
    assert len(records) == 70_010
    dup = [r for r in records if r.error is not None]
    assert [r.id for r in dup] == [f"d{i}" for i in range(10)]
    assert all("duplicate id" in r.error["message"] for r in dup)


# --------------------------------------------------------------------------- hardening (#16)

_STR = st.text(max_size=8) | st.sampled_from(["\ud800", "a\udfff", "\udc80b"])  # lone surrogates too
_JSON_LEAF = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(10**4000, 10**4400),
                       st.floats(allow_nan=True, allow_infinity=True), _STR)
_JSON = st.recursive(_JSON_LEAF, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4),
                                                                                             inner, max_size=3),
                     max_leaves=12)


def _writable(rec):
    """Every output format can write the record: strict JSON, valid UTF-8."""
    obj = {"id": rec.id, "text": rec.text, "meta": rec.meta, "error": rec.error}
    json.dumps(obj, ensure_ascii=False, allow_nan=False).encode("utf-8")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_JSON, st.fixed_dictionaries({"text": _STR}, optional={"id": _JSON, "x": _JSON,
                                                                                   "y": _JSON})),
                min_size=1, max_size=5))
def test_any_json_values_give_one_writable_record_per_line(values):
    import sys

    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)  # so the test can write the 4,300+ digit integers the reader must refuse
    try:
        lines = [json.dumps(v, ensure_ascii=True) for v in values]  # Python writes NaN/Infinity and surrogates
    finally:
        sys.set_int_max_str_digits(limit)
    data = "\n".join(lines).encode("utf-8") + b"\n"
    recs = list(iter_records(["-"], input_format="jsonl", stdin=io.BytesIO(data)))
    assert len(recs) == len(lines)
    for rec in recs:
        _writable(rec)
        assert (rec.text is None) == (rec.error is not None)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "a", "text": "Hi.", "x": NaN}', "NaN is not valid JSON"),
        ('{"id": "a", "text": "Hi.", "x": -Infinity}', "Infinity is not valid JSON"),
        ('{"id": "a", "text": "Hi.", "n": ' + "9" * 5000 + "}", "4,300 digits"),
        ('{"id": "a", "text": "Hi.", "n": ' + "9" * 4000 + "}", "3,900 digits"),
        ('{"id": "a", "text": "Hi.", "m": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
        ('{"id": "a", "text": "Hi.", "m": ' + "[" * 300 + "]" * 300 + "}", "nested deeper than 100"),
        ('{"id": "a", "text": "Hi \\ud800."}', "lone surrogate (U+D800)"),
        ('{"id": "\\udfff", "text": "Hi."}', "lone surrogate"),
        ('{"id": "a", "text": "Hi.", "m": {"k\\ud800": 1}}', "lone surrogate"),
    ],
)
def test_odd_values_make_an_error_record_and_the_stream_goes_on(line, message):
    data = (line + '\n{"id": "z", "text": "Fine."}\n').encode("utf-8")
    bad, good = iter_records(["-"], input_format="jsonl", stdin=io.BytesIO(data))
    assert bad.error is not None and message in bad.error["message"]
    _writable(bad)
    assert good.id == "z" and good.text == "Fine."


def _parquet(tmp_path, table):
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "t.parquet"
    pq.write_table(table, path)
    return path


def test_parquet_columns_of_every_common_type_are_json_safe_metadata(tmp_path):
    import datetime as dt
    import decimal

    pa = pytest.importorskip("pyarrow")
    table = pa.table({
        "id": ["a", "b"],
        "text": ["One.", "Two."],
        "published": pa.array([dt.datetime(2024, 1, 2, 3, 4, 5), None], pa.timestamp("us", tz="UTC")),
        "day": pa.array([dt.date(2024, 1, 2), dt.date(1999, 12, 31)]),
        "price": pa.array([decimal.Decimal("1.50"), None], pa.decimal128(5, 2)),
        "blob": pa.array([b"\x00\xff", b""], pa.binary()),
        "score": pa.array([float("nan"), float("inf")]),
        "took": pa.array([dt.timedelta(seconds=3), None], pa.duration("s")),
        "tags": pa.array([{"k": 1}, None], pa.struct([("k", pa.int64())])),
    })
    a, b = read([_parquet(tmp_path, table)])
    assert a.error is None and b.error is None
    assert a.meta["published"] == "2024-01-02T03:04:05+00:00" and a.meta["day"] == "2024-01-02"
    assert a.meta["price"] == "1.50" and a.meta["blob"] == "AP8=" and a.meta["score"] is None
    assert b.meta["score"] is None and a.meta["took"] == 3.0
    _writable(a)
    _writable(b)


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(["timestamp[ns]", "date32", "time64[us]", "decimal128(20, 4)", "binary", "large_binary",
                        "float32", "float64", "int64", "bool", "string", "duration[ms]", "list<item: double>"]),
       st.data())
def test_parquet_arrow_types_never_crash_the_reader(tmp_path_factory, type_name, data):
    pa = pytest.importorskip("pyarrow")
    import datetime as dt
    import decimal

    values = {
        "timestamp[ns]": (pa.timestamp("ns"), st.datetimes(min_value=dt.datetime(1700, 1, 1),
                                                          max_value=dt.datetime(2200, 1, 1))),
        "date32": (pa.date32(), st.dates()),
        "time64[us]": (pa.time64("us"), st.times()),
        "decimal128(20, 4)": (pa.decimal128(20, 4), st.decimals(places=4, min_value=-10**15, max_value=10**15,
                                                               allow_nan=False)),
        "binary": (pa.binary(), st.binary(max_size=10)),
        "large_binary": (pa.large_binary(), st.binary(max_size=10)),
        "float32": (pa.float32(), st.floats(width=32)),
        "float64": (pa.float64(), st.floats()),
        "int64": (pa.int64(), st.integers(-(2**63), 2**63 - 1)),
        "bool": (pa.bool_(), st.booleans()),
        "string": (pa.string(), st.text(max_size=8)),
        "duration[ms]": (pa.duration("ms"), st.timedeltas(min_value=dt.timedelta(days=-999),
                                                          max_value=dt.timedelta(days=999))),
        "list<item: double>": (pa.list_(pa.float64()), st.lists(st.floats(), max_size=3)),
    }[type_name]
    arrow_type, strategy = values
    col = data.draw(st.lists(st.none() | strategy, min_size=1, max_size=4))
    assert decimal  # imported for the strategies' values
    table = pa.table({"text": ["Text."] * len(col), "col": pa.array(col, arrow_type)})
    recs = read([_parquet(tmp_path_factory.mktemp("pq"), table)])
    assert len(recs) == len(col)
    for rec in recs:
        _writable(rec)


def test_non_utf8_file_names_become_escaped_ids(tmp_path):
    raw = os.fsencode(str(tmp_path)) + b"/caf\xe9.txt"
    try:
        with open(raw, "wb") as fh:
            fh.write(b"One sentence.")
    except OSError:
        pytest.skip("this file system refuses names that are not UTF-8")
    (rec,) = read([tmp_path])
    assert rec.error is None and rec.id.endswith("caf\\xe9.txt")
    rec.id.encode("utf-8")


@settings(max_examples=40, deadline=None)
@given(st.binary(min_size=1, max_size=12).filter(lambda b: b"/" not in b and b"\x00" not in b
                                                  and b not in (b".", b"..")))
def test_any_file_name_gives_a_utf8_id(tmp_path_factory, name):
    d = tmp_path_factory.mktemp("names")
    try:
        with open(os.fsencode(str(d)) + b"/" + name + b".txt", "wb") as fh:
            fh.write(b"Text.")
    except OSError:
        return
    (rec,) = read([d])
    rec.id.encode("utf-8")
    assert rec.error is None


class _Endless(io.RawIOBase):
    """An endless stream that counts what was read from it."""

    def __init__(self, byte=b"a"):
        self.byte, self.served = byte, 0

    def readable(self):
        return True

    def readinto(self, b):
        n = len(b)
        b[:n] = self.byte * n
        self.served += n
        return n


def test_max_chars_is_enforced_while_reading():
    src = _Endless()
    (rec,) = iter_records(["-"], max_chars=1000, stdin=io.BufferedReader(src))
    assert rec.error is not None and "over the limit" in rec.error["message"]
    assert src.served < 2 * (1 << 20)  # read up to the limit, never the whole stream
    src = _Endless()
    (rec,) = iter_records(["-"], input_format="jsonl", max_chars=1000, stdin=io.BufferedReader(src))
    assert "still no line break" in rec.error["message"] and src.served < 20 * (1 << 20)


def test_an_overlong_jsonl_line_is_skipped_without_being_held(tmp_path):
    p = tmp_path / "in.jsonl"
    p.write_text(json.dumps({"id": "big", "text": "x" * 1_200_000}) + "\n" + json.dumps({"id": "b", "text": "Ok."})
                 + "\n", encoding="utf-8")
    big, ok = read([p], max_chars=10)
    assert "line of 1,200," in big.error["message"] and "over the limit" in big.error["message"]
    assert ok.id == "b" and ok.text == "Ok."


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_fails_cleanly_as_text_and_as_jsonl():
    (rec,) = read(["/dev/zero"])
    assert "binary" in rec.error["message"]
    (rec,) = read(["/dev/zero"], input_format="jsonl")
    assert "binary" in rec.error["message"]
    (rec,) = read(["/dev/zero"], errors="replace", max_chars=1000)
    assert "over the limit" in rec.error["message"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_inside_a_directory_is_skipped_not_waited_on(tmp_path):
    import signal

    (tmp_path / "a.txt").write_text("One.", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")

    def hung(*_):
        raise TimeoutError("the reader waited on a FIFO")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(10)
    try:
        a, fifo = read([tmp_path])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert a.text == "One." and "a FIFO, not a regular file" in fifo.error["message"]


@pytest.mark.parametrize(
    "page",
    [
        "<html><body><form id='aspnetForm'><nav><a>Home</a></nav><p>The ministry said talks failed.</p>"
        "<button>Send</button></form></body></html>",
        "<html><body><nav><a>Home</a><p>The ministry said talks failed.</p></body></html>",
        "<html><body><header><nav>Menu<p>The ministry said talks failed.</p></body></html>",
    ],
)
def test_article_in_a_form_or_after_an_unclosed_nav_is_kept(page):
    text = html_to_text(page)
    assert "The ministry said talks failed." in text
    assert "Send" not in text


def test_closed_page_furniture_is_still_dropped():
    text = html_to_text("<nav>Menu</nav><header>Site</header><p>Body.</p><aside>Ad</aside><footer>(c)</footer>")
    assert text == "Body."


def test_output_may_not_be_an_input(tmp_path):
    from framing._errors import UsageError

    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "One."}\n', encoding="utf-8")
    for resume in (False, True):
        with pytest.raises(UsageError, match="also an input"), open_output(str(src), io.StringIO(), resume=resume,
                                                                           inputs=[str(src)]):
            pass
    link = tmp_path / "link.jsonl"
    link.symlink_to(src)
    with pytest.raises(UsageError, match="also an input"), open_output(str(link), io.StringIO(), inputs=[str(src)]):
        pass
    with pytest.raises(UsageError, match="inside the input directory"), open_output(
            str(tmp_path / "out.jsonl"), io.StringIO(), inputs=[str(tmp_path)]):
        pass
    assert src.read_text(encoding="utf-8") == '{"id": "a", "text": "One."}\n'


@pytest.mark.skipif(os.name != "posix", reason="POSIX locks and modes")
def test_output_keeps_mode_and_symlink_and_is_locked_while_written(tmp_path):
    target = tmp_path / "real.jsonl"
    target.write_text("OLD\n", encoding="utf-8")
    os.chmod(target, 0o600)
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    with open_output(str(link), io.StringIO()) as sink:
        sink.stream.write('{"id": "a"}\n')
        with pytest.raises(InputError, match="another run is writing"), open_output(str(link), io.StringIO()):
            pass
    assert link.is_symlink() and target.read_text(encoding="utf-8") == '{"id": "a"}\n'
    assert (os.stat(target).st_mode & 0o777) == 0o600


@settings(max_examples=30, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"),
               min_size=1, max_size=20).filter(lambda n: n not in (".", "..")), st.booleans())
def test_any_output_name_is_written_atomically_and_once(tmp_path_factory, name, existing):
    d = tmp_path_factory.mktemp("out")
    path = d / name
    try:
        if existing:
            path.write_text("OLD\n", encoding="utf-8")
    except OSError:
        return  # a name the file system refuses (too long in bytes...)
    with open_output(str(path), io.StringIO()) as sink:
        sink.stream.write('{"id": "a"}\n')
    assert path.read_text(encoding="utf-8") == '{"id": "a"}\n'
    assert sorted(p.name for p in d.iterdir()) == [name]


def test_resume_counts_repeated_ids_and_earlier_errors(tmp_path):
    out = tmp_path / "out.jsonl"
    (tmp_path / "out.jsonl.partial").write_text(
        '{"id": "a"}\n{"id": "a", "error": {"type": "InputError", "message": "duplicate id"}}\n', encoding="utf-8")
    with open_output(str(out), io.StringIO(), resume=True) as sink:
        assert (sink.lines, sink.failed) == (2, 1)
        assert [sink.already_done(i) for i in ("a", "a", "a", "b")] == [True, True, False, False]


@pytest.mark.skipif(not os.path.exists("/dev/null") or not hasattr(os, "mkfifo"), reason="POSIX devices and FIFOs")
def test_a_device_or_fifo_output_is_written_in_place_never_renamed_over(tmp_path):
    import stat
    import threading

    with open_output("/dev/null", io.StringIO()) as sink:
        sink.stream.write('{"id": "a"}\n')
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode) and not os.path.exists("/dev/null.partial")
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    with open_output(str(fifo), io.StringIO()) as sink:
        sink.stream.write('{"id": "a"}\n')
    reader.join(10)
    assert got == [b'{"id": "a"}\n'] and stat.S_ISFIFO(os.stat(fifo).st_mode)
    from framing._errors import UsageError

    with pytest.raises(UsageError, match="regular file"), open_output("/dev/null", io.StringIO(), resume=True):
        pass


def test_jsonl_lines_split_at_line_feeds_only():
    text = '\ufeff{"text": "a\u2028b\x85d"}\r\n{"text": "e"}\r{"text": "f"}\n'
    assert [json.loads(x)["text"] for x in jsonl_lines(text)] == ["a\u2028b\x85d", "e", "f"]
    # A CR between two tokens of one record is only white space there.
    assert jsonl_lines('{"text":\r"x"}') == ['{"text":\r"x"}']


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32"])
def test_jsonl_records_keep_unicode_line_separators_in_any_encoding(tmp_path, encoding):
    body = '{"id": "a", "text": "one\u2028two"}\n{"id": "b", "text": "three\u2029four"}\n'
    path = tmp_path / "r.jsonl"
    path.write_bytes(body.encode(encoding))  # utf-16/32 write their byte-order mark
    recs = read([path])
    assert [(r.id, r.text, r.error) for r in recs] == [("a", "one\u2028two", None), ("b", "three\u2029four", None)]


def test_jsonl_with_bare_carriage_returns_reads_every_record(tmp_path):
    path = tmp_path / "cr.jsonl"
    path.write_bytes(b'{"id": 1, "text": "x"}\r{"id": 2, "text": "y"}\r{"id": 3, "text": "z"}\r')
    assert [(r.id, r.text) for r in read([path])] == [("1", "x"), ("2", "y"), ("3", "z")]


def test_a_declared_wide_encoding_without_bom_is_read(tmp_path):
    (tmp_path / "a.txt").write_bytes("Officials said so.".encode("utf-16-le"))
    (tmp_path / "b.jsonl").write_bytes('{"id": "b", "text": "KCNA said so."}\n{"id": "c", "text": "x"}\n'
                                       .encode("utf-16-le"))
    recs = read([tmp_path / "a.txt", tmp_path / "b.jsonl"], encoding="utf-16-le")
    assert [(r.text, r.error) for r in recs] == [("Officials said so.", None), ("KCNA said so.", None), ("x", None)]


def test_records_are_found_whatever_the_file_is_called(tmp_path):
    lines = '{"id": "a", "text": "one"}\n{"id": "b", "text": "two"}\n'
    for name in ("r.ndjson", "r.json", "r.txt", "r"):
        (tmp_path / name).write_text(lines, encoding="utf-8")
        assert [r.id for r in read([tmp_path / name])] == ["a", "b"], name
    (tmp_path / "list.json").write_text(json.dumps([{"id": "c", "text": "x"}, {"text": "y"}]), encoding="utf-8")
    (tmp_path / "one.json").write_text(json.dumps({"id": "e", "text": "z"}, indent=2), encoding="utf-8")
    recs = read([tmp_path / "list.json", tmp_path / "one.json"])
    assert [(r.id, r.text) for r in recs] == [("c", "x"), (f"{tmp_path / 'list.json'}: record 2", "y"), ("e", "z")]
    (rec,) = list(iter_records(["-"], stdin=io.BytesIO(lines.encode()[:27])))
    assert (rec.id, rec.text) == ("a", "one")
    # An article that merely starts with a brace is still an article.
    (tmp_path / "t.txt").write_text("{Editor's note} Officials said so.", encoding="utf-8")
    assert read([tmp_path / "t.txt"])[0].text.startswith("{Editor")


def test_a_table_is_refused_with_the_way_out(tmp_path):
    (tmp_path / "t.csv").write_text("id,text\na,Officials said so.\n", encoding="utf-8")
    (rec,) = read([tmp_path / "t.csv"])
    assert rec.text is None and "JSONL" in rec.error["message"] and "--input-format text" in rec.error["message"]
    (rec,) = read([tmp_path / "t.csv"], input_format="text")
    assert rec.text.startswith("id,text")


@pytest.mark.parametrize(("encoding", "why"), [("no-such-codec", "is not a known encoding"),
                                               ("rot13", "is not a text encoding"),
                                               ("undefined", "cannot decode anything")])
def test_an_unusable_encoding_stops_before_any_record(encoding, why):
    with pytest.raises(UsageError, match=why):
        next(iter_records(["-"], encoding=encoding, stdin=io.BytesIO(b"x")))


def test_ids_keep_their_json_spelling_and_a_repeat_names_its_line(tmp_path):
    path = tmp_path / "ids.jsonl"
    path.write_text('{"id": {"a": 1}, "text": "x"}\n{"id": true, "text": "y"}\n{"id": 1.5, "text": "z"}\n'
                    '{"id": "true", "text": "w"}\n', encoding="utf-8")
    recs = read([path])
    assert [r.id for r in recs[:3]] == ['{"a": 1}', "true", "1.5"]
    assert recs[3].text is None and recs[3].error["message"].startswith(f"{path}:4: duplicate id 'true'")


def test_malformed_json_message_reads_cleanly(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "unterminated\n', encoding="utf-8")
    (rec,) = read([path])
    assert "Unterminated string starting at column" in rec.error["message"] and "at at" not in rec.error["message"]


def test_output_in_a_missing_directory_names_the_fix_and_a_usage_error_leaves_nothing(tmp_path):
    with pytest.raises(UsageError, match="does not exist; create it first"):
        with open_output(str(tmp_path / "nodir" / "x.jsonl"), io.StringIO()):
            pass
    with pytest.raises(UsageError, match="is a directory; -o takes a file path"):
        with open_output(str(tmp_path), io.StringIO()):
            pass
    target = tmp_path / "out.jsonl"
    with pytest.raises(UsageError):
        with open_output(str(target), io.StringIO()) as sink:
            sink.stream.write("half\n")
            raise UsageError("stop")
    assert list(tmp_path.iterdir()) == []


class _Trickle(io.RawIOBase):
    """A pipe that delivers one byte per read."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        if not self._data:
            return 0
        b[:1], self._data = self._data[:1], self._data[1:]
        return 1


@pytest.mark.parametrize(("data", "expected"), [
    (b'{"id": "a", "text": "one"}\n{"id": "b", "text": "two"}\n', [("a", "one"), ("b", "two")]),
    ('{"id": "a", "text": "one"}\n'.encode("utf-16"), [("a", "one")]),
    (b'[{"id": "a", "text": "one"}, {"id": "b", "text": "two"}]', [("a", "one"), ("b", "two")]),
    (b"<!DOCTYPE html><html><body><p>Officials said so.</p><script>x()</script></body></html>",
     [("<stdin>", "Officials said so.")]),
    (b"{Editor's note} Officials said so.", [("<stdin>", "{Editor's note} Officials said so.")]),
])
def test_standard_input_is_read_by_what_it_holds_even_a_byte_at_a_time(data, expected):
    for stream in (io.BytesIO(data), io.BufferedReader(_Trickle(data), buffer_size=1)):
        recs = list(iter_records(["-"], stdin=stream))
        assert [(r.id, r.text.strip()) for r in recs] == expected


def test_standard_input_named_twice_is_read_once():
    recs = list(iter_records(["-", "-"], stdin=io.BytesIO(b'{"id": "a", "text": "one"}\n')))
    assert [(r.id, r.text) for r in recs] == [("a", "one")]


def test_an_articles_own_header_keeps_its_headline():
    page = ("<html><body><header><nav>Home | World</nav></header><article><header><h1>Talks collapse</h1>"
            "</header><p>Officials said so.</p></article><footer>(c) Paper</footer></body></html>")
    text = html_to_text(page)
    assert "Talks collapse" in text and "Officials said so." in text and "Home" not in text and "(c)" not in text


def test_a_named_pipe_is_opened_once_and_loses_nothing(tmp_path):
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    body = "".join(json.dumps({"id": str(i), "text": f"Officials said {i}."}) + "\n" for i in range(2000)).encode()

    def write():
        with open(fifo, "wb") as fh:
            fh.write(body)

    writer = threading.Thread(target=write)
    writer.start()
    recs = read([fifo])
    writer.join()
    assert [r.id for r in recs] == [str(i) for i in range(2000)] and all(r.error is None for r in recs)


@pytest.mark.parametrize("text", ["[ ] buy milk\n[x] call the ministry\n", "[] Empty brackets open this note.",
                                  "{Editor's note} Officials said so."])
def test_text_that_opens_with_a_bracket_is_still_text(tmp_path, text):
    (tmp_path / "note.md").write_text(text, encoding="utf-8")
    (rec,) = read([tmp_path / "note.md"])
    assert rec.text == text


def test_json_lines_in_a_json_file_stream_and_a_malformed_json_file_says_where(tmp_path):
    lines = "".join(json.dumps({"id": str(i), "text": "x" * 50}) + "\n" for i in range(200))
    (tmp_path / "lines.json").write_text(lines, encoding="utf-8")
    recs = read([tmp_path / "lines.json"], max_chars=100)  # the file is far over one document's limit
    assert len(recs) == 200 and all(r.error is None for r in recs)
    (tmp_path / "bad.json").write_text('[\n  {"id": "a", "text": "x"},\n]\n', encoding="utf-8")
    (rec,) = read([tmp_path / "bad.json"])
    assert "malformed JSON" in rec.error["message"] and "line 3" in rec.error["message"]


def test_the_declared_encoding_and_a_byte_order_mark_decide_how_records_are_read(tmp_path):
    recs = list(iter_records(["-"], encoding="utf-16-le",
                             stdin=io.BytesIO('{"id": "a", "text": "one"}\n'.encode("utf-16-le"))))
    assert [(r.id, r.text) for r in recs] == [("a", "one")]
    (tmp_path / "bom.jsonl").write_bytes(b"\xef\xbb\xbf" + '{"id": "a", "text": "déclaré"}\n'.encode())
    (rec,) = read([tmp_path / "bom.jsonl"], encoding="latin-1")
    assert rec.text == "déclaré"


@pytest.mark.parametrize("page", [
    "\n" * 70 + "<!DOCTYPE html><html><body><p>Officials said so.</p></body></html>",
    "<!-- saved from url=(0014)about:internet -->\n<html><body><p>Officials said so.</p></body></html>",
])
def test_a_web_page_on_standard_input_is_recognised_however_it_trickles_in(page):
    stream = io.BufferedReader(_Trickle(page.encode()), buffer_size=1)
    (rec,) = list(iter_records(["-"], stdin=stream))
    assert rec.text.strip() == "Officials said so."


def test_standard_input_may_be_any_object_with_read_or_be_closed(monkeypatch):
    class ReadOnly:
        def __init__(self, data: bytes) -> None:
            self._data = io.BytesIO(data)

        def read(self, n: int = -1) -> bytes:
            return self._data.read(n)

    recs = list(iter_records(["-"], input_format="jsonl", stdin=ReadOnly(b'{"id": "a", "text": "one"}\n')))
    assert [(r.id, r.text) for r in recs] == [("a", "one")]
    monkeypatch.setattr("sys.stdin", None)
    (rec,) = list(iter_records(["-"]))
    assert "standard input is closed" in rec.error["message"]


@pytest.mark.parametrize("as_stdin", [False, True])
def test_a_stray_line_loses_no_record_around_it(tmp_path, as_stdin):
    # A lone "{" before records is one malformed record, not pretty-printed JSON; a NUL byte
    # in a later line is that line's error. The records around them are read.
    data = (b'{\n{"id": "a", "text": "One."}\n\n{"id": "b", "text": "Two \x00."}\n'
            b'{"id": "c", "text": "Three."}\n')
    if as_stdin:
        recs = list(iter_records(["-"], input_format="jsonl", stdin=io.BytesIO(data)))
    else:
        (tmp_path / "in.jsonl").write_bytes(data)
        recs = list(iter_records([str(tmp_path / "in.jsonl")], input_format="jsonl"))
    assert [(r.id.rsplit(":", 1)[-1] if r.error else r.id, r.text is None) for r in recs] == [
        ("1", True), ("a", False), ("4", True), ("c", False)]
    assert "malformed JSON" in recs[0].error["message"]


@pytest.mark.parametrize("as_stdin", [False, True])
@pytest.mark.parametrize(("data", "why"), [
    (json.dumps({"id": "a", "text": "One."}, indent=2).encode(), "pretty-printed JSON"),
    (json.dumps([{"id": "a", "text": "One."}], indent=2).encode(), "pretty-printed JSON"),
    ('{"id": "a", "text": "One."}\n'.encode("utf-16-le"), "NUL bytes"),
    (PNG + b'\n{"id": "a", "text": "One."}\n', "NUL bytes"),
])
def test_an_input_that_is_not_json_lines_is_one_error_with_the_fix(tmp_path, as_stdin, data, why):
    if as_stdin:
        recs = list(iter_records(["-"], input_format="jsonl", stdin=io.BytesIO(data)))
    else:
        (tmp_path / "in.jsonl").write_bytes(data)
        recs = list(iter_records([str(tmp_path / "in.jsonl")], input_format="jsonl"))
    assert len(recs) == 1 and why in recs[0].error["message"]


def test_a_nul_after_a_long_record_in_a_file_is_that_lines_error(tmp_path):
    # The file's first 8 KiB are read whatever its buffer: the record before the NUL is seen.
    long = json.dumps({"id": "a", "text": "Officials said so. " * 300})
    (tmp_path / "in.jsonl").write_bytes(long.encode() + b"\n\x00\n" + b'{"id": "b", "text": "Two."}\n')
    recs = read([tmp_path / "in.jsonl"], input_format="jsonl")
    assert [r.text is None for r in recs] == [False, True, False] and recs[2].id == "b"


def test_a_nul_past_a_files_first_buffer_still_counts(tmp_path):
    # No record before the NUL, which lies past the first 4 KiB: still one error for the input.
    (tmp_path / "in.jsonl").write_bytes(b"x" * 5000 + b"\n\x00\n" + b'{"id": "b", "text": "Two."}\n')
    recs = read([tmp_path / "in.jsonl"], input_format="jsonl")
    assert len(recs) == 1 and "NUL bytes" in recs[0].error["message"]
