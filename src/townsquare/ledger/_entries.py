"""Ledger entries: typed, versioned JSON objects in their one canonical spelling (RFC 8785).

An entry is a JSON object with a `type` (what happened, e.g. `moderation.removal`), a schema
version `v`, and the type's own fields, encoded with the JSON Canonicalization Scheme: object
keys sorted by their UTF-16 code units, no insignificant whitespace, strings escaped as
ECMAScript's `JSON.stringify` does (only `"`, `\\` and control characters), UTF-8 output.
One entry has exactly one encoding, so its leaf hash identifies it and anyone can re-derive
the bytes from the decoded object.

Numbers are integers in the I-JSON safe range (|n| <= 2^53 - 1): RFC 8785 writes numbers as
IEEE 754 doubles, so larger integers and every float would not survive a round trip through
another implementation. Snowflake ids (about 2^57) therefore go into entries as strings, as
the Mastodon API writes them. An encoded entry is at most 65,535 bytes, the most an entry
bundle can carry (c2sp.org/tlog-tiles).
"""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, TypeAlias

from townsquare.ledger._bundles import MAX_ENTRY_SIZE
from townsquare.ledger._errors import EntryTooLargeError, MalformedError

__all__ = ["JSON", "MAX_SAFE_INTEGER", "Entry", "canonical_json", "decode_entry", "encode_entry"]

JSON: TypeAlias = bool | int | str | list["JSON"] | Mapping[str, "JSON"] | None

MAX_SAFE_INTEGER = 2**53 - 1
_TYPE = re.compile(r"[a-z][a-z0-9_.\-]{0,99}")
_RESERVED = ("type", "v")
_MAX_DEPTH = 64
_FOUR_BYTE_UTF8 = re.compile(rb"[\xf0-\xff]")  # the lead byte of a character beyond U+FFFF
_COMPACT = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, check_circular=False, sort_keys=True, separators=(",", ":")
)


@dataclass(frozen=True)
class Entry:
    """A decoded entry: its `type`, its schema `version` and its other fields (read-only)."""

    type: str
    version: int
    fields: Mapping[str, JSON] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", MappingProxyType(dict(self.fields)))

    def as_json(self) -> dict[str, JSON]:
        """The whole object, as it is encoded: the fields plus `type` and `v`."""
        return {**self.fields, "type": self.type, "v": self.version}

    def encode(self) -> bytes:
        return encode_entry(self.type, self.version, self.fields)


def encode_entry(type: str, version: int, fields: Mapping[str, JSON]) -> bytes:
    """The canonical bytes of an entry; raises `MalformedError` (`EntryTooLargeError` when
    the result exceeds 65,535 bytes)."""
    _checked_header(type, version)
    for reserved in _RESERVED:
        if reserved in fields:
            raise MalformedError(
                f"entry fields: expected no {reserved!r} key (it is set from the arguments), "
                f"found one"
            )
    data = canonical_json({**fields, "type": type, "v": version})
    if len(data) > MAX_ENTRY_SIZE:
        raise EntryTooLargeError(
            f"entry of type {type!r}: expected at most {MAX_ENTRY_SIZE} bytes of canonical "
            f"JSON, found {len(data)}"
        )
    return data


def decode_entry(data: bytes) -> Entry:
    """The entry in `data`, which must be exactly the canonical encoding of a valid entry.

    A canonical entry without characters beyond U+FFFF (nearly all of them) is accepted by
    `_decode_common_entry`, a faster route to the same verdict; anything else, every refusal
    included, goes through `_decode_entry_step_by_step`, which says what is wrong.
    """
    if len(data) > MAX_ENTRY_SIZE:
        raise EntryTooLargeError(
            f"entry: expected at most {MAX_ENTRY_SIZE} bytes, found {len(data)}"
        )
    return _decode_common_entry(data) or _decode_entry_step_by_step(data)


def _decode_entry_step_by_step(data: bytes) -> Entry:
    """`decode_entry`, the reference way.

    (1) Parse strict JSON: UTF-8, no duplicate keys, no floats, NaN or Infinity.
    (2) Require an object with a valid `type` and `v`.
    (3) Require `data` to be byte for byte the canonical encoding of what was parsed.
    """
    # (1)
    parsed, astral_keys = _parse(data)
    # (2)
    if not isinstance(parsed, dict):
        raise MalformedError(f"entry: expected a JSON object, found {type(parsed).__name__}")
    kind, version = _checked_header(parsed.pop("type", None), parsed.pop("v", None))
    # (3) the parser admitted only what `canonical_json` accepts, so no second check is needed
    canonical = _serialise({**parsed, "type": kind, "v": version}, astral_keys)
    if canonical != data:
        raise MalformedError(
            f"entry: expected canonical JSON (RFC 8785), found another spelling "
            f"({len(data)} bytes where the canonical form has {len(canonical)})"
        )
    return Entry(kind, version, parsed)


def _decode_common_entry(data: bytes) -> Entry | None:
    """`decode_entry(data)` when `data` is canonical and has no character beyond U+FFFF; None
    when it is not sure, to send `data` through `_decode_entry_step_by_step`.

    It parses with the C parser's own objects (no hook per object), compares strings rather
    than bytes, and checks for duplicate keys only through the comparison. What it accepts,
    the steps accept, as the same entry:
    - `text` is valid UTF-8 decoded, so it holds no surrogate and `text == s` exactly when
      `data == s.encode()`.
    - `data` has no 4-byte UTF-8 sequence, so a parsed string can hold a character beyond
      U+FFFF or a lone surrogate only through a `\\u` escape; `_COMPACT` writes such characters
      raw, so they are never in an output equal to `text`. Hence when the comparison holds no
      key lies beyond U+FFFF, code point order is UTF-16 order (RFC 8785 §3.2.3), and
      `_COMPACT` is the canonical encoder, as step (3) finds.
    - The parser keeps the last of duplicate keys; `_COMPACT` writes each key once, and as
      JSON's grammar is unambiguous, an output equal to `text` means the objects of `data` are
      the ones written, with unique keys: step (1)'s duplicate check holds.
    - Integers, floats, NaN and Infinity go through the same hooks as in step (1).
    """
    if not data.isascii() and _FOUR_BYTE_UTF8.search(data):
        return None
    try:
        text = data.decode("utf-8")
        parsed = _COMMON_PARSER.decode(text)
        canonical = type(parsed) is dict and _COMPACT.encode(parsed) == text
    except (ValueError, RecursionError, MalformedError):  # incl. UnicodeDecodeError, JSON errors
        return None
    if not canonical:
        return None
    kind, version = _checked_header(parsed.pop("type", None), parsed.pop("v", None))
    return Entry(kind, version, parsed)


def canonical_json(value: Any) -> bytes:
    """RFC 8785 canonical JSON of `value` (integers only), UTF-8 encoded."""
    return _serialise(value, _needs_utf16_sort(value, 0))


def _serialise(value: Any, utf16_sort: bool) -> bytes:
    """`value`, already checked, in canonical form. Python's C encoder sorts keys by code
    point, which is UTF-16 order unless a key holds a character beyond U+FFFF: only then
    is the slower writer below needed."""
    try:
        if not utf16_sort:
            return _COMPACT.encode(value).encode("utf-8")
        parts: list[str] = []
        _write(value, parts, 0)
        return "".join(parts).encode("utf-8")
    except UnicodeEncodeError as error:
        raise MalformedError(
            f"entry: expected valid Unicode strings, found a lone surrogate at {error.start}"
        ) from None


def _needs_utf16_sort(value: Any, depth: int) -> bool:
    """Check `value` holds only what an entry may; True when the C encoder cannot write it
    canonically (a key beyond U+FFFF, or a mapping that is not a dict)."""
    if depth > _MAX_DEPTH:
        raise MalformedError(f"entry: expected at most {_MAX_DEPTH} levels of nesting")
    if value is None or isinstance(value, bool | str):
        return False
    if isinstance(value, int):
        _safe_integer(value)
        return False
    if isinstance(value, list | tuple):
        checked = [_needs_utf16_sort(item, depth + 1) for item in value]  # all, no short cut
        return any(checked)
    if isinstance(value, Mapping):
        for key in value:
            if not isinstance(key, str):
                raise MalformedError(f"entry: expected string object keys, found {key!r}")
        checked = [_needs_utf16_sort(item, depth + 1) for item in value.values()]
        return any(checked) or not isinstance(value, dict) or any(map(_is_astral, value))
    raise MalformedError(
        f"entry: expected null, booleans, integers, strings, lists and objects, "
        f"found {type(value).__name__}"
    )


def _is_astral(key: str) -> bool:
    return not key.isascii() and max(key) > "\uffff"


def _write(value: Any, parts: list[str], depth: int) -> None:
    if depth > _MAX_DEPTH:
        raise MalformedError(f"entry: expected at most {_MAX_DEPTH} levels of nesting")
    if value is None or isinstance(value, bool):
        parts.append({None: "null", True: "true", False: "false"}[value])
    elif isinstance(value, int):
        parts.append(str(_safe_integer(value)))
    elif isinstance(value, str):
        # json.dumps with ensure_ascii=False escapes exactly what RFC 8785 §3.2.2.2 escapes,
        # in the same spelling (\b \t \n \f \r, else \u00xx in lowercase hex).
        parts.append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, Mapping):
        _write_object(value, parts, depth)
    elif isinstance(value, list | tuple):
        parts.append("[")
        for position, item in enumerate(value):
            parts.append("," if position else "")
            _write(item, parts, depth + 1)
        parts.append("]")
    else:
        raise MalformedError(
            f"entry: expected null, booleans, integers, strings, lists and objects, "
            f"found {type(value).__name__}"
        )


def _write_object(value: Mapping[Any, Any], parts: list[str], depth: int) -> None:
    for key in value:
        if not isinstance(key, str):
            raise MalformedError(f"entry: expected string object keys, found {key!r}")
    parts.append("{")
    # RFC 8785 §3.2.3: sort by UTF-16 code units; big-endian UTF-16 bytes sort the same way.
    for position, key in enumerate(sorted(value, key=_utf16_key)):
        parts.append("," if position else "")
        parts.append(json.dumps(key, ensure_ascii=False))
        parts.append(":")
        _write(value[key], parts, depth + 1)
    parts.append("}")


def _utf16_key(key: str) -> bytes:
    try:
        return key.encode("utf-16-be")
    except UnicodeEncodeError:
        raise MalformedError(f"entry: expected valid Unicode keys, found {key!r}") from None


def _safe_integer(value: int) -> int:
    if not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
        raise MalformedError(
            f"entry: expected integers within ±(2^53 - 1), found {value} "
            "(write large ids as strings)"
        )
    return value


def _checked_header(kind: object, version: object) -> tuple[str, int]:
    if not isinstance(kind, str) or not _TYPE.fullmatch(kind):
        raise MalformedError(
            f"entry type: expected lowercase letters, digits, '.', '_' or '-' "
            f"(at most 100, starting with a letter), found {kind!r}"
        )
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= 65535:
        raise MalformedError(
            f"entry version 'v': expected an integer 1 to 65535, found {version!r}"
        )
    return kind, version


def _parse(data: bytes) -> tuple[Any, bool]:
    """The parsed value, and whether any object key lies beyond U+FFFF."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise MalformedError(
            f"entry: expected UTF-8, found invalid bytes at {error.start}"
        ) from None
    astral: list[bool] = []

    def object_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        if not text.isascii() and any(_is_astral(key) for key, _ in pairs):
            astral.append(True)
        return _object_without_duplicates(pairs)

    try:
        parsed = json.loads(
            text,
            object_pairs_hook=object_hook,
            parse_int=_parse_integer,
            parse_float=_refuse_float,
            parse_constant=_refuse_float,
        )
        return parsed, bool(astral)
    except json.JSONDecodeError as error:
        raise MalformedError(f"entry: expected JSON, found {error.msg} at {error.pos}") from None
    except ValueError as error:  # an integer of more than 4,300 digits
        raise MalformedError(f"entry: expected JSON integers, found {error}") from None
    except RecursionError:  # "[[[[…", which fits in 65,535 bytes many times over
        raise MalformedError(
            f"entry: expected at most {_MAX_DEPTH} levels of nesting, found too many to parse"
        ) from None


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        duplicate = next(key for key, _ in pairs if sum(k == key for k, _ in pairs) > 1)
        raise MalformedError(f"entry: expected unique object keys, found {duplicate!r} twice")
    return result


def _parse_integer(text: str) -> int:
    if len(text) > 17:  # more digits than any safe integer, and cheaper than int() on them
        raise MalformedError(f"entry: expected integers within ±(2^53 - 1), found {text[:40]}")
    return _safe_integer(int(text))


def _refuse_float(text: str) -> Any:
    raise MalformedError(f"entry: expected integers only, found the number {text}")


# The parser of `_decode_common_entry`: step (1)'s hooks, but none per object.
_COMMON_PARSER = json.JSONDecoder(
    parse_int=_parse_integer, parse_float=_refuse_float, parse_constant=_refuse_float
)
