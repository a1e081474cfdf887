"""Rule files: one TOML file per rule, every version kept, checked against the policies.

    policies/rules/<rule-id>.toml
        [[versions]]          version (1, 2, … oldest first), title.en/fr, description.en/fr,
                              clause ("policy/number@version"), effect ("open_case" | "act"),
                              action, severity (1-4, open_case only)
        [versions.match]      kind, and the kind's own keys (policies/rules/README.md)
    policies/rules/blocklists/<name>.txt   published blocklists (`_blocklists`)

A rule must cite a clause version that exists and allows its action, an action that fits
what the rule matches (a post or an account), and may act without a moderator only if its
kind is clear-cut (`ACTING_KINDS`). Unknown keys are refused; every error names the file
and the field.
"""

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from townsquare.moderation._decisions import ACCOUNT_ACTIONS, POST_ACTIONS, PostTarget
from townsquare.moderation._file_fields import (
    At,
    one_of,
    only_keys,
    read_languages,
    read_list,
    read_positive,
    read_table,
    read_text,
)
from townsquare.moderation._policies import ActionKind, PolicySet
from townsquare.moderation._policy_errors import UnknownClauseError
from townsquare.moderation._policy_files import default_policy_directory
from townsquare.moderation.rules._blocklists import Blocklist, parse_blocklist
from townsquare.moderation.rules._errors import RuleError
from townsquare.moderation.rules._rules import (
    ACTING_KINDS,
    RULE_ACTIONS,
    SEVERITIES,
    Effect,
    MassMentions,
    Match,
    MatchKind,
    NewAccountSwarm,
    PostingBurst,
    ReportStorm,
    Rule,
    RuleSet,
    SameText,
    UrlBlocklist,
    rule_hash,
)

__all__ = ["default_rule_directory", "load_rules"]

BLOCKLISTS = "blocklists"
"""The folder of published blocklists, inside the rule directory."""

_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_VERSION_KEYS = {"version", "title", "description", "clause", "effect", "action", "severity"}


def default_rule_directory() -> Path:
    """The default rules: `rules/` inside the default policy directory (the checkout's
    `policies/rules/`, or the wheel's copy)."""
    return default_policy_directory() / "rules"


def load_rules(directory: Path, policies: PolicySet) -> RuleSet:
    """Every `*.toml` rule file in `directory`, parsed and checked against `policies`."""
    blocklists = _read_blocklists(directory / BLOCKLISTS)
    histories = {
        path.stem: _read_file(path, policies, blocklists)
        for path in sorted(directory.glob("*.toml"))
    }
    current = {id: history[-1] for id, history in histories.items()}
    return RuleSet(rules=current, histories=histories)


def _read_blocklists(directory: Path) -> Mapping[str, Blocklist]:
    lists: dict[str, Blocklist] = {}
    for path in sorted(directory.glob("*.txt")):
        where = f"{BLOCKLISTS}/{path.name}"
        if not _NAME.fullmatch(path.stem):
            raise RuleError(f"{where}: expected a file name in lowercase words joined by hyphens")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            raise RuleError(f"{where}: expected UTF-8 text: {error}") from error
        lists[path.stem] = parse_blocklist(path.stem, text, where)
    return lists


def _read_file(
    path: Path, policies: PolicySet, blocklists: Mapping[str, Blocklist]
) -> tuple[Rule, ...]:
    at = At(path.name, error_class=RuleError)
    if not _NAME.fullmatch(path.stem):
        raise at.error("a file name in lowercase words joined by hyphens", path.name)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise RuleError(f"{path.name}: expected valid UTF-8 TOML: {error}") from error
    only_keys(at, data, {"versions"})
    raw_versions = read_list(at / "versions", data.get("versions"), read_table)
    reader = _VersionReader(path.stem, policies, blocklists)
    versions = tuple(reader.read(at / "versions" / i, raw) for i, raw in enumerate(raw_versions))
    for position, rule in enumerate(versions):
        if rule.version != position + 1:
            raise (at / "versions" / position / "version").error(
                f"version {position + 1} (versions are 1, 2, … oldest first)", rule.version
            )
        if position and _same_words(rule, versions[position - 1]):
            raise (at / "versions" / position).error(
                "a change from the previous version", "the same rule"
            )
    return versions


def _same_words(rule: Rule, other: Rule) -> bool:
    """Whether two versions say the same thing (apart from their version numbers)."""
    return replace(rule, version=0, content_hash="") == replace(other, version=0, content_hash="")


class _VersionReader:
    """Reads one `[[versions]]` table of rule `rule_id` into a `Rule`."""

    def __init__(
        self, rule_id: str, policies: PolicySet, blocklists: Mapping[str, Blocklist]
    ) -> None:
        self._rule_id = rule_id
        self._policies = policies
        self._blocklists = blocklists

    def read(self, at: At, raw: Mapping[str, Any]) -> Rule:
        only_keys(at, raw, _VERSION_KEYS | {"match"})
        match = self._match(at / "match", raw.get("match"))
        effect = Effect(one_of(set(Effect))(at / "effect", raw.get("effect", "open_case")))
        action = _action(at / "action", raw.get("action"), match)
        clause = self._clause(at / "clause", raw.get("clause"), action)
        if effect == Effect.ACT and match.kind not in ACTING_KINDS:
            kinds = ", ".join(sorted(ACTING_KINDS))
            raise (at / "effect").error(f"open_case (only {kinds} rules may act)", "act")
        unhashed = Rule(
            id=self._rule_id,
            version=read_positive(at / "version", raw.get("version")),
            title=read_languages(at / "title", raw.get("title")),
            description=read_languages(at / "description", raw.get("description")),
            clause=clause,
            match=match,
            effect=effect,
            action=action,
            severity=_severity(at / "severity", raw.get("severity"), effect),
            content_hash="",
        )
        return replace(unhashed, content_hash=rule_hash(unhashed))

    def _clause(self, at: At, value: object, action: ActionKind) -> str:
        """The clause version cited, which must exist and allow `action`."""
        ref = read_text(at, value)
        if "@" not in ref:
            raise at.error("a clause version, as policy/number@version", ref)
        try:
            clause = self._policies.clause(ref)
        except UnknownClauseError as error:
            raise RuleError(f"{at.file}: {at.path}: {error}") from error
        if action != ActionKind.NO_ACTION and action not in clause.allowed_actions:
            allowed = ", ".join(sorted(clause.allowed_actions))
            raise at.error(f"a clause allowing {action} ({ref} allows {allowed})", ref)
        return ref

    def _match(self, at: At, value: object) -> Match:
        raw = read_table(at, value)
        kind = MatchKind(one_of(set(MatchKind))(at / "kind", raw.get("kind")))
        only_keys(at, raw, {"kind", *_MATCH_KEYS[kind]})
        if kind == MatchKind.URL_BLOCKLIST:
            name = one_of(set(self._blocklists))(at / "blocklist", raw.get("blocklist"))
            return UrlBlocklist(self._blocklists[name])
        return _WINDOWED_READERS[kind](at, raw)


def _action(at: At, value: object, match: Match) -> ActionKind:
    if isinstance(match, ReportStorm):  # it tells of the reports, not of the item
        return ActionKind(one_of({str(ActionKind.NO_ACTION)})(at, value))
    fits = POST_ACTIONS if match.target is PostTarget else ACCOUNT_ACTIONS
    return ActionKind(one_of({str(action) for action in RULE_ACTIONS & fits})(at, value))


def _severity(at: At, value: object, effect: Effect) -> int | None:
    if effect == Effect.ACT:
        if value is not None:
            raise at.error("no severity for a rule that acts (it opens no case)", value)
        return None
    severity = read_positive(at, value)
    if severity not in SEVERITIES:
        raise at.error(f"a severity from {SEVERITIES[0]} to {SEVERITIES[-1]}", severity)
    return severity


def _at_least(at: At, value: object, least: int) -> int:
    number = read_positive(at, value)
    if number < least:
        raise at.error(f"a whole number from {least}", number)
    return number


def _minutes(at: At, raw: Mapping[str, Any]) -> timedelta:
    return timedelta(minutes=read_positive(at / "window_minutes", raw.get("window_minutes")))


def _flag(at: At, value: object) -> bool:
    if not isinstance(value, bool):
        raise at.error("true or false", value)
    return value


def _posting_burst(at: At, raw: Mapping[str, Any]) -> Match:
    return PostingBurst(
        min_posts=_at_least(at / "min_posts", raw.get("min_posts"), 2),
        window=_minutes(at, raw),
        links_only=_flag(at / "links_only", raw.get("links_only", False)),
    )


def _same_text(at: At, raw: Mapping[str, Any]) -> Match:
    return SameText(
        min_accounts=_at_least(at / "min_accounts", raw.get("min_accounts"), 2),
        window=_minutes(at, raw),
        min_characters=read_positive(at / "min_characters", raw.get("min_characters")),
    )


def _new_account_swarm(at: At, raw: Mapping[str, Any]) -> Match:
    hours = read_positive(at / "max_account_age_hours", raw.get("max_account_age_hours"))
    return NewAccountSwarm(
        min_accounts=_at_least(at / "min_accounts", raw.get("min_accounts"), 2),
        window=_minutes(at, raw),
        max_account_age=timedelta(hours=hours),
    )


def _mass_mentions(at: At, raw: Mapping[str, Any]) -> Match:
    return MassMentions(
        max_mentions=read_positive(at / "max_mentions", raw.get("max_mentions")),
        window=_minutes(at, raw),
    )


def _report_storm(at: At, raw: Mapping[str, Any]) -> Match:
    return ReportStorm(
        min_reports=_at_least(at / "min_reports", raw.get("min_reports"), 2),
        window=_minutes(at, raw),
    )


_MATCH_KEYS: Mapping[MatchKind, frozenset[str]] = {
    MatchKind.URL_BLOCKLIST: frozenset({"blocklist"}),
    MatchKind.POSTING_BURST: frozenset({"min_posts", "window_minutes", "links_only"}),
    MatchKind.SAME_TEXT: frozenset({"min_accounts", "window_minutes", "min_characters"}),
    MatchKind.NEW_ACCOUNT_SWARM: frozenset(
        {"min_accounts", "window_minutes", "max_account_age_hours"}
    ),
    MatchKind.MASS_MENTIONS: frozenset({"max_mentions", "window_minutes"}),
    MatchKind.REPORT_STORM: frozenset({"min_reports", "window_minutes"}),
}
_WINDOWED_READERS: Mapping[MatchKind, Callable[[At, Mapping[str, Any]], Match]] = {
    MatchKind.POSTING_BURST: _posting_burst,
    MatchKind.SAME_TEXT: _same_text,
    MatchKind.NEW_ACCOUNT_SWARM: _new_account_swarm,
    MatchKind.MASS_MENTIONS: _mass_mentions,
    MatchKind.REPORT_STORM: _report_storm,
}
