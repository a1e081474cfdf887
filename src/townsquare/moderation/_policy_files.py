"""Policy files: one TOML file per policy, every version of every clause, checked strictly.

    policies/<policy-id>.toml
        [policy]            title.en/fr, summary.en/fr
        [[clauses]]         number
        [[clauses.versions]]  version (1, 2, … oldest first), title.en/fr, text.en/fr,
                              ground ("illegal_content" | "incompatible_content"),
                              dsa_category, dsa_keywords, allowed_actions

Older versions stay in the file, so the history and the diff between versions come from the
same source as the current text (policies/README.md). Unknown keys are refused: a typo must
not silently drop a field. Every error names the file and the field.
"""

import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from townsquare.moderation._policies import (
    DSA_CATEGORIES,
    DSA_KEYWORDS,
    LANGUAGES,
    ActionKind,
    Clause,
    Ground,
    Policy,
    PolicySet,
    clause_hash,
)
from townsquare.moderation._policy_errors import PolicyError

__all__ = ["default_policy_directory", "load_policies"]

PACKAGED_DIRECTORY = "default_policies"
"""Where the wheel carries `policies/` (pyproject: tool.hatch…force-include)."""

_POLICY_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_GROUNDS = {
    "illegal_content": Ground.ILLEGAL_CONTENT,
    "incompatible_content": Ground.INCOMPATIBLE_CONTENT,
}
_T = TypeVar("_T")


def default_policy_directory() -> Path:
    """The default policy set: the copy inside an installed wheel, else the checkout's
    `policies/` (an editable install runs from `src/`)."""
    return policy_directory_near(Path(__file__).parent)


def policy_directory_near(package_dir: Path) -> Path:
    """The policy directory for the moderation package installed at `package_dir`."""
    packaged = package_dir / PACKAGED_DIRECTORY
    if packaged.is_dir():
        return packaged
    checkout = package_dir.parents[2] / "policies"  # src/townsquare/moderation → repository
    if checkout.is_dir():
        return checkout
    raise PolicyError(f"default policies: expected {packaged} or {checkout}, found neither")


def load_policies(directory: Path) -> PolicySet:
    """Every `*.toml` policy file in `directory`, parsed and validated."""
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise PolicyError(f"{directory}: expected policy files (*.toml), found none")
    policies: dict[str, Policy] = {}
    histories: dict[str, tuple[Clause, ...]] = {}
    for path in files:
        policy, clause_histories = _read_file(path)
        policies[policy.id] = policy
        histories.update((history[-1].id, history) for history in clause_histories)
    current = {id: history[-1] for id, history in histories.items()}
    return PolicySet(clauses=current, histories=histories, policies=policies)


@dataclass(frozen=True)
class _At:
    """Where a value sits, for error messages: `harassment.toml: clauses[0].versions[1].text`."""

    file: str
    path: str = ""

    def __truediv__(self, key: str | int) -> "_At":
        step = f"[{key}]" if isinstance(key, int) else (f".{key}" if self.path else key)
        return _At(self.file, self.path + step)

    def error(self, expected: str, found: object) -> PolicyError:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return PolicyError(f"{where}: expected {expected}, found {found!r}")


def _read_file(path: Path) -> tuple[Policy, list[tuple[Clause, ...]]]:
    at = _At(path.name)
    policy_id = path.stem
    if not _POLICY_ID.fullmatch(policy_id):
        raise at.error("a file name in lowercase words joined by hyphens", path.name)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise PolicyError(f"{path.name}: expected valid UTF-8 TOML: {error}") from error
    _only_keys(at, data, {"policy", "clauses"})
    header = _table(at / "policy", data.get("policy"))
    _only_keys(at / "policy", header, {"title", "summary"})
    raw_clauses = _list(at / "clauses", data.get("clauses"), _table)
    histories = [
        _read_clause(at / "clauses" / i, policy_id, raw) for i, raw in enumerate(raw_clauses)
    ]
    _unique(at / "clauses", [history[0].number for history in histories], "clause numbers")
    policy = Policy(
        id=policy_id,
        title=_languages(at / "policy" / "title", header.get("title")),
        summary=_languages(at / "policy" / "summary", header.get("summary")),
        clause_ids=tuple(history[0].id for history in sorted(histories, key=lambda h: h[0].number)),
    )
    return policy, histories


def _read_clause(at: _At, policy_id: str, raw: Mapping[str, Any]) -> tuple[Clause, ...]:
    _only_keys(at, raw, {"number", "versions"})
    number = _positive(at / "number", raw.get("number"))
    raw_versions = _list(at / "versions", raw.get("versions"), _table)
    versions = tuple(
        _read_version(at / "versions" / i, f"{policy_id}/{number}", number, raw)
        for i, raw in enumerate(raw_versions)
    )
    for position, clause in enumerate(versions):
        if clause.version != position + 1:
            where = at / "versions" / position / "version"
            raise where.error(
                f"version {position + 1} (versions are 1, 2, … oldest first)", clause.version
            )
        if position and _same_words(clause, versions[position - 1]):
            raise (at / "versions" / position).error(
                "a change from the previous version", "the same clause"
            )
    return versions


def _read_version(at: _At, clause_id: str, number: int, raw: Mapping[str, Any]) -> Clause:
    _only_keys(
        at,
        raw,
        {"version", "title", "text", "ground", "dsa_category", "dsa_keywords", "allowed_actions"},
    )
    keywords = _list(
        at / "dsa_keywords", raw.get("dsa_keywords", []), _one_of(DSA_KEYWORDS), empty=True
    )
    actions = _list(at / "allowed_actions", raw.get("allowed_actions"), _one_of(set(ActionKind)))
    _unique(at / "dsa_keywords", keywords, "keywords")
    _unique(at / "allowed_actions", actions, "actions")
    unhashed = Clause(
        id=clause_id,
        policy=clause_id.partition("/")[0],
        number=number,
        version=_positive(at / "version", raw.get("version")),
        title=_languages(at / "title", raw.get("title")),
        text=_languages(at / "text", raw.get("text")),
        ground=_GROUNDS[_one_of(set(_GROUNDS))(at / "ground", raw.get("ground"))],
        dsa_category=_one_of(DSA_CATEGORIES)(at / "dsa_category", raw.get("dsa_category")),
        dsa_keywords=tuple(keywords),
        allowed_actions=frozenset(ActionKind(action) for action in actions),
        content_hash="",
    )
    return replace(unhashed, content_hash=clause_hash(unhashed))


def _same_words(clause: Clause, other: Clause) -> bool:
    """Whether two versions say the same thing (apart from their version numbers)."""
    return replace(clause, version=0, content_hash="") == replace(other, version=0, content_hash="")


# -- field readers: each returns the checked value or raises naming the field ----------------


def _table(at: _At, value: object) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise at.error("a table", value)
    return value


def _only_keys(at: _At, table: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise (at / unknown[0]).error(f"only the keys {', '.join(sorted(allowed))}", unknown[0])


def _list(
    at: _At, value: object, item: Callable[[_At, object], _T], *, empty: bool = False
) -> list[_T]:
    if not isinstance(value, list) or (not value and not empty):
        raise at.error("a list" if empty else "a non-empty list", value)
    return [item(at / index, element) for index, element in enumerate(value)]


def _unique(at: _At, values: Sequence[object], what: str) -> None:
    seen: set[object] = set()
    for value in values:
        if value in seen:
            raise at.error(f"distinct {what}", f"{value} twice")
        seen.add(value)


def _positive(at: _At, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise at.error("a whole number from 1", value)
    return value


def _text(at: _At, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise at.error("some text", value)
    return value.strip()


def _languages(at: _At, value: object) -> dict[str, str]:
    table = _table(at, value)
    missing = [language for language in LANGUAGES if language not in table]
    if missing:
        raise (at / missing[0]).error(f"text in each of {', '.join(LANGUAGES)}", None)
    _only_keys(at, table, set(LANGUAGES))
    return {language: _text(at / language, table[language]) for language in LANGUAGES}


def _one_of(allowed: set[str] | frozenset[str]) -> Callable[[_At, object], str]:
    def read(at: _At, value: object) -> str:
        if not isinstance(value, str) or value not in allowed:
            choices = sorted(allowed)
            shown = ", ".join(choices) if len(choices) <= 12 else f"a key like {choices[0]}"
            raise at.error(f"one of {shown}", value)
        return value

    return read
