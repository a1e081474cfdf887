"""Request parameters, from the query string, a form-encoded or multipart body, or JSON.

Mastodon clients send form bodies with booleans as '1'/'0' and lists as `key[]=a&key[]=b`,
or JSON. Both become one `Fields` value whose accessors check each parameter and raise
`InvalidParameterError` naming it, so a bad value is a 4xx a person can act on.
"""

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

import msgspec
from litestar import Request
from litestar.datastructures import UploadFile
from litestar.di import Provide
from litestar.exceptions import NotFoundException
from litestar.handlers import HTTPRouteHandler

from townsquare.api._errors import (
    InvalidParameterError,
    MalformedRequestError,
    RecordNotFoundError,
    UnsupportedMediaTypeError,
)
from townsquare.kernel import LARGEST_ID

__all__ = [
    "BODY",
    "AnyRequest",
    "Fields",
    "is_tag_name",
    "parse_id",
    "path_id",
    "query_fields",
    "read_fields",
    "reject_integers_out_of_range",
]

AnyRequest = Request[Any, Any, Any]

# Ids are signed 64-bit integers in both databases; anything larger names nothing.
_MIN_INT64 = -(2**63)
_MAX_FIELDS = 1000
_TRUE = frozenset({"1", "true", "on", "yes", "t"})
_FALSE = frozenset({"0", "false", "off", "no", "f", ""})
_TAG_NAME = re.compile(r"\w{1,100}")
# Far beyond any useful count, far below Python's limit on converting digits to an int.
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,100}")


def is_tag_name(name: str) -> bool:
    """True for text that can be a hashtag (so it is worth a query)."""
    return _TAG_NAME.fullmatch(name) is not None


def parse_id(raw: object) -> int | None:
    """The snowflake `raw` spells, or None when it is not a decimal id in range."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if 0 < raw <= LARGEST_ID else None
    if not isinstance(raw, str) or not raw.isascii() or not raw.isdigit() or len(raw) > 19:
        return None
    value = int(raw)
    return value if 0 < value <= LARGEST_ID else None


# A form's list of objects: `a[][b]` (Rails) or `a[0][b]` (indexed).
_LIST_OF_OBJECTS = re.compile(r"(?P<name>[^\[\]]+)\[(?P<index>[0-9]{0,4})\]\[(?P<key>[^\[\]]+)\]")


def _add_to_object(values: dict[str, object], nested: re.Match[str], value: object) -> None:
    """Put one `a[][b]` or `a[0][b]` pair into `values["a"]`: a list of objects for
    `[]` (a key seen again starts the next object), objects by index otherwise."""
    name, index, key = nested.group("name", "index", "key")
    if index:
        by_index = values.setdefault(name, {})
        if isinstance(by_index, dict):
            item = by_index.setdefault(index, {})
            if isinstance(item, dict):
                item[key] = value
        return
    objects = values.setdefault(name, [])
    if isinstance(objects, list):
        if not objects or not isinstance(objects[-1], dict) or key in objects[-1]:
            objects.append({})
        objects[-1][key] = value


class Fields:
    """Named parameters. A name given as `key[]` (or repeated) holds a list."""

    def __init__(self, values: Mapping[str, object]) -> None:
        self._values = dict(values)

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, object]]) -> "Fields":
        values: dict[str, object] = {}
        for key, value in pairs:
            if key.endswith("[]"):
                existing = values.setdefault(key[:-2], [])
                if isinstance(existing, list):
                    existing.append(value)
                continue
            if (nested := _LIST_OF_OBJECTS.fullmatch(key)) is not None:
                _add_to_object(values, nested, value)
                continue
            values[key] = value
        return cls(values)

    def merged(self, other: "Fields") -> "Fields":
        """These fields overridden by `other`'s (a body's parameters beat the query's)."""
        return Fields({**self._values, **other._values})

    def __contains__(self, name: str) -> bool:
        return self._values.get(name) is not None

    def text(self, name: str, *, max_length: int = 100_000) -> str | None:
        """A string parameter (numbers in JSON are accepted as their decimal text)."""
        value = self._values.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise InvalidParameterError(f"{name} must be a string.")
        text = str(value)
        if "\x00" in text:
            raise InvalidParameterError(f"{name} must not contain NUL characters.")
        if len(text) > max_length:
            raise InvalidParameterError(f"{name} is too long (at most {max_length} characters).")
        return text

    def required_text(self, name: str, *, max_length: int = 100_000) -> str:
        value = self.text(name, max_length=max_length)
        if value is None or not value.strip():
            raise InvalidParameterError(f"{name} is missing.")
        return value

    def flag(self, name: str, *, default: bool = False) -> bool:
        """A boolean: JSON true/false or Mastodon's '1'/'0'/'true'/'false'."""
        value = self._values.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise InvalidParameterError(f"{name} must be true or false (or 1 or 0).")

    def integer(self, name: str) -> int | None:
        """A whole number of any size: callers clamp it or check its range before using it."""
        value = self._values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value.strip()):
            return int(value)
        raise InvalidParameterError(f"{name} must be a whole number.")

    def identifier(self, name: str) -> int | None:
        """An id parameter; an empty value counts as absent (Mastodon.py sends none)."""
        value = self._values.get(name)
        if value is None or value == "":
            return None
        parsed = parse_id(value)
        if parsed is None:
            raise InvalidParameterError(f"{name} must be an id: digits only, at most {LARGEST_ID}.")
        return parsed

    def required_moment(self, name: str) -> datetime:
        """An ISO 8601 date and time with its offset (`2027-04-10T06:00:00Z`), in UTC."""
        text = self.required_text(name, max_length=40)
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            raise InvalidParameterError(
                f"{name} must be an ISO 8601 date and time with its offset, "
                "such as 2027-04-10T06:00:00Z."
            )
        return moment.astimezone(UTC)

    def texts(self, name: str, *, max_items: int = 100) -> list[str]:
        """A list parameter (`key[]=a&key[]=b`, a JSON array, or one plain value)."""
        value = self._values.get(name)
        if value is None:
            return []
        items = value if isinstance(value, list) else [value]
        if len(items) > max_items:
            raise InvalidParameterError(f"{name} has too many items (at most {max_items}).")
        result = []
        for item in items:
            if isinstance(item, bool) or not isinstance(item, str | int):
                raise InvalidParameterError(f"{name} must be a list of strings.")
            text = str(item)
            if "\x00" in text:
                raise InvalidParameterError(f"{name} must not contain NUL characters.")
            result.append(text)
        return result

    def items(self, name: str, *, max_items: int = 100) -> list["Fields"]:
        """A list of objects: a JSON array of objects, or the form's `name[][key]=…`
        (a new object each time a key comes again, as Rails reads it) or
        `name[0][key]=…`."""
        value = self._values.get(name)
        if value is None:
            return []
        if isinstance(value, dict):  # indexed: {"0": {...}, "1": {...}}
            value = list(value.values())
        if not isinstance(value, list):
            raise InvalidParameterError(f"{name} must be a list of objects.")
        if len(value) > max_items:
            raise InvalidParameterError(f"{name} has too many items (at most {max_items}).")
        if not all(isinstance(item, dict) for item in value):
            raise InvalidParameterError(f"{name} must be a list of objects.")
        return [Fields(item) for item in value]

    def nested(self, name: str) -> "Fields | None":
        """An object parameter: a JSON object, or the form's `name[key]=…` (and
        `name[key][]=…`) pairs; None when neither is given."""
        value = self._values.get(name)
        if isinstance(value, dict):
            return Fields(value)
        if value is not None:
            raise InvalidParameterError(f"{name} must be an object.")
        prefix = f"{name}["
        inner = {
            key[len(prefix) : -1]: item
            for key, item in self._values.items()
            if key.startswith(prefix) and key.endswith("]")
        }
        return Fields(inner) if inner else None

    def given(self, name: str) -> bool:
        """Whether the request names the parameter at all (even empty or null)."""
        return name in self._values

    def upload(self, name: str) -> UploadFile | None:
        """A file sent in a multipart body under `name`."""
        value = self._values.get(name)
        if value is None or value == "":
            return None
        if not isinstance(value, UploadFile):
            raise InvalidParameterError(f"{name} must be a file sent as multipart/form-data.")
        return value

    def has_upload(self) -> bool:
        return any(isinstance(v, UploadFile) for v in self._values.values())


def query_fields(request: AnyRequest) -> Fields:
    return Fields.from_pairs(request.query_params.multi_items())


async def read_fields(request: AnyRequest) -> Fields:
    """The request's parameters: its query overridden by its body, whatever the encoding.

    Litestar enforces the body size limit (413) while `body()` reads.
    """
    query = query_fields(request)
    raw = await request.body()
    if not raw.strip():
        return query
    media_type, _ = request.content_type
    if media_type == "application/json":
        return query.merged(_json_fields(raw))
    if media_type == "application/x-www-form-urlencoded":
        return query.merged(_urlencoded_fields(raw))
    if media_type == "multipart/form-data":
        form = await request.form()
        return query.merged(Fields.from_pairs(form.multi_items()))
    raise UnsupportedMediaTypeError(
        "Send the body as application/x-www-form-urlencoded, multipart/form-data or "
        f"application/json, not {media_type or 'an unnamed type'}."
    )


def _json_fields(raw: bytes) -> Fields:
    try:
        decoded = msgspec.json.decode(raw)
    except msgspec.DecodeError as exc:
        raise MalformedRequestError(f"The request body is not valid JSON: {exc}.") from None
    except RecursionError:
        # msgspec gives up on deep nesting (`[[[[…]]]]`, ~1,000 levels) by raising
        # RecursionError. No parameter nests more than a few levels: the body is malformed.
        raise MalformedRequestError(
            "The JSON request body is nested too deeply to be a set of parameters."
        ) from None
    if not isinstance(decoded, dict):
        raise MalformedRequestError("The JSON request body must be an object.")
    return Fields(_with_form_names(decoded))


def _with_form_names(values: dict[str, Any], depth: int = 3) -> dict[str, Any]:
    """`values`, where each nested object also answers to the name a form would give it:
    `{"home": {"last_read_id": "1"}}` holds `home[last_read_id]` too (Mastodon's names).
    `depth` levels at most: no parameter nests deeper."""
    named = dict(values)
    for key, value in values.items():
        if isinstance(value, dict) and depth > 1:
            for inner, item in _with_form_names(value, depth - 1).items():
                named.setdefault(f"{key}[{inner}]", item)
    return named


def _urlencoded_fields(raw: bytes) -> Fields:
    try:
        text = raw.decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=_MAX_FIELDS, errors="strict")
    except UnicodeDecodeError:
        raise MalformedRequestError("The form body is not valid UTF-8.") from None
    except ValueError:
        raise MalformedRequestError(
            f"The form body has too many fields (at most {_MAX_FIELDS})."
        ) from None
    return Fields.from_pairs(pairs)


def path_id(raw: str) -> int:
    """The id in a path segment; anything that is not one names nothing (404)."""
    parsed = parse_id(raw)
    if parsed is None:
        raise RecordNotFoundError("Record not found")
    return parsed


# Handlers that read a body declare `fields: Fields` and `dependencies=BODY`.
BODY = {"fields": Provide(read_fields)}


def reject_integers_out_of_range(request: AnyRequest) -> None:
    """Every route's `before_request` hook: integers no database column can hold stop here.

    Litestar parses `{id:int}` path segments and `int` query parameters into Python ints of
    any size, and the database driver then overflows (SQLite and PostgreSQL store 64-bit
    integers): a 500 for a typo. So an integer path segment outside 0…LARGEST_ID names nothing
    (404), and an integer query parameter outside the 64-bit range cannot be used (422).
    Routes that read their ids as text check them with `path_id` and `Fields.identifier`.
    """
    for value in request.path_params.values():
        if isinstance(value, int) and not 0 <= value <= LARGEST_ID:
            raise NotFoundException()
    handler = request.route_handler
    if not isinstance(handler, HTTPRouteHandler):
        return
    for name in _integer_query_names(handler) - request.path_params.keys():
        raw = request.query_params.get(name)
        if isinstance(raw, str) and not _fits_in_64_bits(raw):
            raise InvalidParameterError(f"{name} is out of range (at most {LARGEST_ID}).")


def _integer_query_names(handler: HTTPRouteHandler) -> set[str]:
    """The parameters `handler` declares as `int` (or `int | None`), by their query name."""
    names = set()
    for name, field in handler.parsed_fn_signature.parameters.items():
        if field.is_subclass_of(bool) or field.has_inner_subclass_of(bool):
            continue
        if field.is_subclass_of(int) or field.has_inner_subclass_of(int):
            alias = getattr(field.kwarg_definition, "query", None)
            names.add(alias if isinstance(alias, str) and alias else name)
    return names


def _fits_in_64_bits(raw: str) -> bool:
    """False only for a whole number too large for a signed 64-bit integer (anything that
    is not a number is left to Litestar's validation, which answers 422)."""
    text = raw.strip()
    digits = text.removeprefix("-").lstrip("0") or "0"
    if not (digits.isascii() and digits.isdigit()):
        return True
    if len(digits) > 19:
        return False
    value = -int(digits) if text.startswith("-") else int(digits)
    return _MIN_INT64 <= value <= LARGEST_ID
