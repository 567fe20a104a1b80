"""Input reading: every input yields one record or one clear error, in order."""

import io
import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing._errors import InputError
from framing._io import IdSet, decode_bytes, html_to_text, iter_records, open_output

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
    out.write_bytes(b'{"id": "a"}\n{"id": "b"}\nnot json\n{"id": "c"}\n')
    with open_output(str(out), io.StringIO(), resume=True) as sink:
        assert "a" in sink.done and "b" in sink.done and "c" not in sink.done
        sink.stream.write(json.dumps({"id": "c"}) + "\n")
    assert out.read_bytes() == b'{"id": "a"}\n{"id": "b"}\n{"id": "c"}\n'


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
