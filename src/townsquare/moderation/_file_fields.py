"""Reading checked fields out of parsed TOML: each reader returns the value or raises an
error naming the file and the field (`harassment.toml: clauses[0].versions[1].text`).

Policy files and rule files share these readers, so both refuse the same mistakes in the
same words; each passes its own error class.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from townsquare.moderation._policies import LANGUAGES
from townsquare.moderation._policy_errors import ModerationError, PolicyError

__all__ = [
    "At",
    "one_of",
    "only_keys",
    "read_languages",
    "read_list",
    "read_positive",
    "read_table",
    "read_text",
    "unique",
]

_T = TypeVar("_T")


@dataclass(frozen=True)
class At:
    """Where a value sits, for error messages, and which error a bad value raises."""

    file: str
    path: str = ""
    error_class: type[ModerationError] = PolicyError

    def __truediv__(self, key: str | int) -> "At":
        step = f"[{key}]" if isinstance(key, int) else (f".{key}" if self.path else key)
        return At(self.file, self.path + step, self.error_class)

    def error(self, expected: str, found: object) -> ModerationError:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return self.error_class(f"{where}: expected {expected}, found {found!r}")


def read_table(at: At, value: object) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise at.error("a table", value)
    return value


def only_keys(at: At, table: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise (at / unknown[0]).error(f"only the keys {', '.join(sorted(allowed))}", unknown[0])


def read_list(
    at: At, value: object, item: Callable[[At, object], _T], *, empty: bool = False
) -> list[_T]:
    if not isinstance(value, list) or (not value and not empty):
        raise at.error("a list" if empty else "a non-empty list", value)
    return [item(at / index, element) for index, element in enumerate(value)]


def unique(at: At, values: Sequence[object], what: str) -> None:
    seen: set[object] = set()
    for value in values:
        if value in seen:
            raise at.error(f"distinct {what}", f"{value} twice")
        seen.add(value)


def read_positive(at: At, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise at.error("a whole number from 1", value)
    return value


def read_text(at: At, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise at.error("some text", value)
    return value.strip()


def read_languages(at: At, value: object) -> dict[str, str]:
    table = read_table(at, value)
    missing = [language for language in LANGUAGES if language not in table]
    if missing:
        raise (at / missing[0]).error(f"text in each of {', '.join(LANGUAGES)}", None)
    only_keys(at, table, set(LANGUAGES))
    return {language: read_text(at / language, table[language]) for language in LANGUAGES}


def one_of(allowed: set[str] | frozenset[str]) -> Callable[[At, object], str]:
    def read(at: At, value: object) -> str:
        if not isinstance(value, str) or value not in allowed:
            choices = sorted(allowed)
            shown = ", ".join(choices) if len(choices) <= 12 else f"a key like {choices[0]}"
            raise at.error(f"one of {shown}", value)
        return value

    return read
