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
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from townsquare.moderation._file_fields import (
    At,
    one_of,
    only_keys,
    read_languages,
    read_list,
    read_positive,
    read_table,
    unique,
)
from townsquare.moderation._policies import (
    DSA_CATEGORIES,
    DSA_KEYWORDS,
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


def _read_file(path: Path) -> tuple[Policy, list[tuple[Clause, ...]]]:
    at = At(path.name)
    policy_id = path.stem
    if not _POLICY_ID.fullmatch(policy_id):
        raise at.error("a file name in lowercase words joined by hyphens", path.name)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise PolicyError(f"{path.name}: expected valid UTF-8 TOML: {error}") from error
    only_keys(at, data, {"policy", "clauses"})
    header = read_table(at / "policy", data.get("policy"))
    only_keys(at / "policy", header, {"title", "summary"})
    raw_clauses = read_list(at / "clauses", data.get("clauses"), read_table)
    histories = [
        _read_clause(at / "clauses" / i, policy_id, raw) for i, raw in enumerate(raw_clauses)
    ]
    unique(at / "clauses", [history[0].number for history in histories], "clause numbers")
    policy = Policy(
        id=policy_id,
        title=read_languages(at / "policy" / "title", header.get("title")),
        summary=read_languages(at / "policy" / "summary", header.get("summary")),
        clause_ids=tuple(history[0].id for history in sorted(histories, key=lambda h: h[0].number)),
    )
    return policy, histories


def _read_clause(at: At, policy_id: str, raw: Mapping[str, Any]) -> tuple[Clause, ...]:
    only_keys(at, raw, {"number", "versions"})
    number = read_positive(at / "number", raw.get("number"))
    raw_versions = read_list(at / "versions", raw.get("versions"), read_table)
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


def _read_version(at: At, clause_id: str, number: int, raw: Mapping[str, Any]) -> Clause:
    only_keys(
        at,
        raw,
        {"version", "title", "text", "ground", "dsa_category", "dsa_keywords", "allowed_actions"},
    )
    keywords = read_list(
        at / "dsa_keywords", raw.get("dsa_keywords", []), one_of(DSA_KEYWORDS), empty=True
    )
    actions = read_list(at / "allowed_actions", raw.get("allowed_actions"), one_of(set(ActionKind)))
    unique(at / "dsa_keywords", keywords, "keywords")
    unique(at / "allowed_actions", actions, "actions")
    unhashed = Clause(
        id=clause_id,
        policy=clause_id.partition("/")[0],
        number=number,
        version=read_positive(at / "version", raw.get("version")),
        title=read_languages(at / "title", raw.get("title")),
        text=read_languages(at / "text", raw.get("text")),
        ground=_GROUNDS[one_of(set(_GROUNDS))(at / "ground", raw.get("ground"))],
        dsa_category=one_of(DSA_CATEGORIES)(at / "dsa_category", raw.get("dsa_category")),
        dsa_keywords=tuple(keywords),
        allowed_actions=frozenset(ActionKind(action) for action in actions),
        content_hash="",
    )
    return replace(unhashed, content_hash=clause_hash(unhashed))


def _same_words(clause: Clause, other: Clause) -> bool:
    """Whether two versions say the same thing (apart from their version numbers)."""
    return replace(clause, version=0, content_hash="") == replace(other, version=0, content_hash="")
