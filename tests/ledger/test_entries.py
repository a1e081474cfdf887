"""Entries are canonical JSON (RFC 8785): one spelling per entry, checked when decoded."""

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from townsquare.ledger import (
    MAX_ENTRY_SIZE,
    MAX_SAFE_INTEGER,
    Entry,
    EntryTooLargeError,
    MalformedError,
    canonical_json,
    decode_entry,
    encode_entry,
)

# The two routes to a verdict are private; the test below holds them to the same answers.
from townsquare.ledger._entries import _decode_common_entry, _decode_entry_step_by_step

_TYPES = st.from_regex(r"[a-z][a-z0-9_.\-]{0,20}", fullmatch=True)
_VERSIONS = st.integers(1, 65535)
_INTEGERS = st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER)
_TEXT = st.text()  # any code point, astral ones and controls included (no lone surrogates)
_BMP_TEXT = st.text(st.characters(max_codepoint=0xFFFF, exclude_categories=["Cs"]))


def _json(
    keys: st.SearchStrategy[str], text: st.SearchStrategy[str] = _TEXT
) -> st.SearchStrategy[Any]:
    scalars = st.none() | st.booleans() | _INTEGERS | text
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
        max_leaves=12,
    )


def _fields(
    keys: st.SearchStrategy[str], text: st.SearchStrategy[str] = _TEXT
) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(
        keys.filter(lambda k: k not in ("type", "v")), _json(keys, text), max_size=5
    )


@given(_TYPES, _VERSIONS, _fields(_TEXT))
def test_decode_inverts_encode(kind: str, version: int, fields: dict[str, Any]) -> None:
    decoded = decode_entry(encode_entry(kind, version, fields))
    assert decoded == Entry(kind, version, fields)
    assert decoded.encode() == encode_entry(kind, version, fields)


@given(_TYPES, _VERSIONS, _fields(_BMP_TEXT))
def test_bmp_keys_encode_as_sorted_compact_json(
    kind: str, version: int, fields: dict[str, Any]
) -> None:
    # For keys without surrogate pairs, code point order is UTF-16 order (RFC 8785 §3.2.3).
    reference = json.dumps(
        {**fields, "type": kind, "v": version},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    assert encode_entry(kind, version, fields) == reference.encode()


@given(_json(_TEXT))
def test_the_canonical_form_is_unique(value: Any) -> None:
    # Any other spelling of the same value (indentation, escapes, key order) decodes to the
    # same value and canonicalises back to the same bytes.
    respelled = json.dumps(value, indent=1, ensure_ascii=True)
    assert canonical_json(json.loads(respelled)) == canonical_json(value)


def test_keys_sort_by_utf16_code_units_not_code_points() -> None:
    # U+1F600 is D83D DE00 in UTF-16, so it sorts before U+FB01 (RFC 8785 §3.2.3 example).
    assert canonical_json({"\ufb01": 1, "\U0001f600": 2}) == '{"😀":2,"ﬁ":1}'.encode()


def test_strings_are_escaped_as_rfc_8785_says() -> None:
    value = '\u0000\b\t\n\f\r\u001f"\\/\u007f\u2028é'
    assert (
        canonical_json(value) == b'"\\u0000\\b\\t\\n\\f\\r\\u001f\\"\\\\/\x7f\xe2\x80\xa8\xc3\xa9"'
    )


@pytest.mark.parametrize(
    "data",
    [
        b'{"type":"a","v":1, "x":1}',  # whitespace
        b'{"v":1,"type":"a"}',  # key order
        b'{"type":"\\u0061","v":1}',  # needless escape
        b'{"type":"a","v":1,"x":1.0}',  # a float
        b'{"type":"a","v":1,"x":1e3}',
        b'{"type":"a","v":1,"x":NaN}',
        b'{"type":"a","v":1,"x":-0}',
        b'{"type":"a","v":1,"x":9007199254740992}',  # 2^53
        b'{"type":"a","type":"b","v":1}',  # duplicate key
        b'{"type":"a","v":1}\n',
        b'["type"]',
        b'{"v":1}',
        b'{"type":"A","v":1}',
        b'{"type":"a","v":0}',
        b'{"type":"a","v":true}',
        b"\xff",
    ],
)
def test_decoding_refuses_any_non_canonical_or_invalid_entry(data: bytes) -> None:
    with pytest.raises(MalformedError, match="entry"):
        decode_entry(data)


@pytest.mark.parametrize(
    "fields",
    [{"x": 1.5}, {"x": 2**53}, {"x": -(2**53)}, {"x": b"bytes"}, {"x": "\ud800"}, {1: "a"}],
)
def test_encoding_refuses_what_json_cannot_carry_exactly(fields: dict[Any, Any]) -> None:
    with pytest.raises(MalformedError):
        encode_entry("a", 1, fields)


def test_type_and_v_come_from_the_arguments_only() -> None:
    with pytest.raises(MalformedError, match="'type'"):
        encode_entry("a", 1, {"type": "b"})


def test_an_entry_over_65535_bytes_is_refused() -> None:
    overhead = len(encode_entry("a", 1, {"x": ""}))
    assert len(encode_entry("a", 1, {"x": "y" * (MAX_ENTRY_SIZE - overhead)})) == MAX_ENTRY_SIZE
    with pytest.raises(EntryTooLargeError, match="65535"):
        encode_entry("a", 1, {"x": "y" * (MAX_ENTRY_SIZE - overhead + 1)})


def test_decoded_fields_are_read_only() -> None:
    entry = decode_entry(encode_entry("a", 1, {"x": 1}))
    with pytest.raises(TypeError):
        entry.fields["x"] = 2  # type: ignore[index]


# --- The shortcut for common entries gives the step-by-step verdict ---


def _respelled(value: Any, draw: st.DrawFn) -> bytes:
    """`value` in JSON spelled as another encoder might: escapes, key order, whitespace."""
    text = json.dumps(
        value,
        ensure_ascii=draw(st.booleans()),
        sort_keys=draw(st.booleans()),
        separators=draw(st.sampled_from([(",", ":"), (", ", ": ")])),
    )
    return text.encode("utf-8", "surrogatepass")


@st.composite
def _candidate_entries(draw: st.DrawFn) -> bytes:
    """Canonical entries, other spellings of them, and damaged or arbitrary bytes."""
    fields = draw(_fields(draw(st.sampled_from([_TEXT, _BMP_TEXT]))))
    kind = draw(_TYPES | st.text(max_size=3))
    version = draw(_VERSIONS | st.sampled_from([0, True, 2**53, -1]))
    value = {**fields, "type": kind, "v": version}
    try:
        canonical = canonical_json(value)
    except MalformedError:  # a version beyond 2^53
        canonical = _respelled(value, draw)
    data = draw(
        st.sampled_from(
            [
                canonical,
                _respelled(value, draw),
                _respelled([value, value], draw),
                canonical[:-1] + b',"type":"a"}',  # a duplicate key at the end
            ]
        )
    )
    if draw(st.booleans()):
        position = draw(st.integers(0, max(len(data) - 1, 0)))
        data = data[:position] + draw(st.binary(min_size=1, max_size=2)) + data[position + 1 :]
    return draw(st.just(data) | st.binary(max_size=40))


def _verdict(decode: Any, data: bytes) -> Entry | str | None:
    try:
        result: Entry | None = decode(data)
        return result
    except MalformedError as error:
        return f"{type(error).__name__}: {error}"


@given(_candidate_entries())
def test_the_common_entry_shortcut_agrees_with_the_steps(data: bytes) -> None:
    shortcut = _verdict(_decode_common_entry, data)
    if shortcut is not None:  # None: the shortcut is not sure, and leaves it to the steps
        assert shortcut == _verdict(_decode_entry_step_by_step, data)
    assert _verdict(decode_entry, data) == _verdict(_decode_entry_step_by_step, data)


@given(_TYPES, _VERSIONS, _fields(_BMP_TEXT, _BMP_TEXT))
def test_every_canonical_entry_without_astral_characters_takes_the_shortcut(
    kind: str, version: int, fields: dict[str, Any]
) -> None:
    assert _decode_common_entry(encode_entry(kind, version, fields)) == Entry(kind, version, fields)


@pytest.mark.parametrize("data", [b"[" * 60_000, b'{"type":"a","v":1,"x":' + b"[" * 30_000])
def test_json_nested_too_deeply_to_parse_is_malformed_not_a_recursion_error(data: bytes) -> None:
    with pytest.raises(MalformedError, match="levels of nesting"):
        decode_entry(data)
