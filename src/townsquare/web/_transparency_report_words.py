"""A transparency report in words: its sections as headings, figures and breakdowns in the
reader's language, each section citing the article or principle it answers.

The report itself holds keys (`DECISION_GROUND_ILLEGAL_CONTENT`, `court`, `reversed`…); the
words for them are here, in one table, and a key without words is shown as it is.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from townsquare.audits import AUTOMATED_BY_RULE, AutomatedRule, Counts, Medians, TransparencyReport
from townsquare.web._messages import N_
from townsquare.web._policy_pages import ACTION_LABELS, CATEGORY_LABELS
from townsquare.web._request_labels import OUTCOME_LABELS, REQUESTER_LABELS
from townsquare.web._statement_words import SOURCE_LABELS

__all__ = ["Breakdown", "Figure", "ReportSection", "key_words", "report_sections"]

Words = Callable[[str], str]

_KEY_WORDS: Mapping[str, str] = {
    **{str(key): label for key, label in ACTION_LABELS.items()},
    **CATEGORY_LABELS,
    **SOURCE_LABELS,
    **{str(key): label for key, label in REQUESTER_LABELS.items()},
    **{str(key): label for key, label in OUTCOME_LABELS.items()},
    "pending": N_("Waiting for the cases' decisions"),
    "DECISION_GROUND_ILLEGAL_CONTENT": N_("Illegal content"),
    "DECISION_GROUND_INCOMPATIBLE_CONTENT": N_("Incompatible with the terms of service"),
    "DSA_GROUND_ILLEGAL_CONTENT": N_("Illegal content"),
    "DSA_GROUND_INCOMPATIBLE_CONTENT": N_("Incompatible with the terms of service"),
    "DECISION_VISIBILITY_CONTENT_REMOVED": N_("Removal of content"),
    "DECISION_VISIBILITY_CONTENT_DISABLED": N_("Disabling access to content"),
    "DECISION_VISIBILITY_CONTENT_DEMOTED": N_("Demotion of content"),
    "DECISION_VISIBILITY_CONTENT_LABELLED": N_("Labelled content"),
    "DECISION_VISIBILITY_OTHER": N_("Content placed behind a warning"),
    "DECISION_ACCOUNT_SUSPENDED": N_("Suspension of the account"),
    "DECISION_PROVISION_PARTIAL_SUSPENSION": N_("Partial suspension of the service"),
    "none": N_("None"),
    "spam": N_("Spam"),
    "legal": N_("Illegal content"),
    "violation": N_("Breaks a rule"),
    "other": N_("Other"),
    "author": N_("The author of what was restricted"),
    "reporter": N_("A member who reported it"),
    "automated": N_("Automated detection"),
    "human": N_("A moderator"),
    "user_report": N_("A report from a member"),
    "trusted_flagger": N_("Trusted flagger"),
    "outside_request": N_("An outside request"),
    "moderator": N_("The moderators' own initiative"),
    "everywhere": N_("Everywhere"),
    "text": N_("Text"),
    "account": N_("Account"),
    "link": N_("Link"),
    "reversed": N_("Reversed"),
    "upheld": N_("Upheld"),
    "outside requests answered": N_("outside requests answered"),
    "notices decided": N_("notices decided"),
    "appeals decided": N_("appeals decided"),
    "Actions by ground": N_("Actions by ground"),
    "Actions by source of flag": N_("Actions by source of flag"),
    "Notices by type": N_("Notices by type"),
    "Appeals decided": N_("Appeals decided"),
    "Median time, in hours": N_("Median time, in hours"),
}


def key_words(words: Words) -> Words:
    """A translation of report keys and chart titles: their words, or the key as it is."""

    def say(key: str) -> str:
        label = _KEY_WORDS.get(key)
        return words(label) if label is not None else key

    return say


@dataclass(frozen=True)
class Figure:
    label: str
    value: str


@dataclass(frozen=True)
class Breakdown:
    """A table of keys in words and their counts, or their median times in hours."""

    title: str
    rows: tuple[tuple[str, int | float], ...]


@dataclass(frozen=True)
class ReportSection:
    """One section: its heading, what it answers (`cites`), its figures and breakdowns."""

    id: str
    heading: str
    cites: str
    figures: tuple[Figure, ...]
    breakdowns: tuple[Breakdown, ...]


def report_sections(report: TransparencyReport, words: Words) -> tuple[ReportSection, ...]:
    """The report's sections in page order, in the language of `words` (a gettext)."""
    say = _Say(words)
    return (
        _orders(report, say),
        _notices(report, say),
        _own_initiative(report, say),
        _appeals(report, say),
        _santa_clara(report, say),
    )


class _Say:
    def __init__(self, words: Words) -> None:
        self.words = words
        self.key = key_words(words)

    def figure(self, label: str, value: int | float | str | None) -> Figure:
        return Figure(
            self.words(label), self.words(N_("none timed")) if value is None else str(value)
        )

    def breakdown(self, title: str, counts: Counts | Medians) -> Breakdown:
        return Breakdown(self.words(title), tuple((self.key(k), n) for k, n in counts))


def _orders(report: TransparencyReport, say: _Say) -> ReportSection:
    orders = report.orders
    return ReportSection(
        id="orders",
        heading=say.words(N_("Orders and requests from outside")),
        cites=say.words(N_("DSA Art. 15(1)(a); Santa Clara Principles, state-actor flags")),
        figures=(
            say.figure(N_("Received"), orders.received),
            say.figure(N_("Still sealed (counted, not broken down)"), orders.sealed),
            say.figure(N_("Answered"), orders.answered),
            say.figure(N_("Median time to answer, in hours"), orders.median_hours_to_answer),
        ),
        breakdowns=(
            say.breakdown(N_("By kind of requester"), orders.by_requester_kind),
            say.breakdown(N_("By requester"), orders.by_requester),
            say.breakdown(N_("By issuing country"), orders.by_country),
            say.breakdown(N_("By ground"), orders.by_ground),
            say.breakdown(N_("By outcome"), orders.by_outcome),
            say.breakdown(
                N_("Median time to answer by kind of requester, in hours"),
                orders.median_hours_by_requester_kind,
            ),
            say.breakdown(
                N_("Median time to answer by requester, in hours"),
                orders.median_hours_by_requester,
            ),
            say.breakdown(
                N_("Median time to answer by issuing country, in hours"),
                orders.median_hours_by_country,
            ),
        ),
    )


def _notices(report: TransparencyReport, say: _Say) -> ReportSection:
    notices = report.notices
    return ReportSection(
        id="notices",
        heading=say.words(N_("Notices")),
        cites=say.words(N_("DSA Art. 15(1)(b)")),
        figures=(
            say.figure(N_("Reports from members received"), notices.received),
            say.figure(N_("Notices from trusted flaggers"), notices.from_trusted_flaggers),
            say.figure(N_("Decisions taken on notices"), notices.decisions),
            say.figure(N_("Of which no action"), notices.no_action),
            say.figure(N_("Of which taken by automated means"), notices.automated_decisions),
            say.figure(N_("Median time to decide, in hours"), notices.median_hours_to_decision),
        ),
        breakdowns=(
            say.breakdown(N_("Reports by type"), notices.by_category),
            say.breakdown(N_("Reports by rule cited"), notices.by_clause),
            say.breakdown(N_("Actions by ground"), notices.actions_by_ground),
            say.breakdown(N_("Actions by kind"), notices.actions_by_kind),
        ),
    )


def _own_initiative(report: TransparencyReport, say: _Say) -> ReportSection:
    own = report.own_initiative
    automated = report.automated
    figures = [
        say.figure(N_("Measures taken on our own initiative"), own.actions),
        say.figure(N_("Decisions detected by automated means"), automated.detected),
        say.figure(N_("Decisions taken by automated means"), automated.decided),
    ]
    if not automated.rules:
        figures.append(say.figure(N_("Automated rules"), say.words(N_("none in use"))))
    figures.extend(_automated_rule(rule, say) for rule in automated.rules)
    return ReportSection(
        id="own-initiative",
        heading=say.words(N_("Own-initiative moderation and automated means")),
        cites=say.words(N_("DSA Art. 15(1)(c) and (e)")),
        figures=tuple(figures),
        breakdowns=(
            say.breakdown(N_("By kind"), own.by_kind),
            say.breakdown(N_("By ground"), own.by_ground),
            say.breakdown(N_("By category"), own.by_category),
            say.breakdown(N_("By detection method"), own.by_detection),
            say.breakdown(N_("By type of restriction"), own.by_restriction),
        ),
    )


def _automated_rule(rule: AutomatedRule, say: _Say) -> Figure:
    """A rule's accuracy line; automated decisions that name no rule are known by clause."""
    if rule.kind == AUTOMATED_BY_RULE:
        label = N_("Automated rule %(rule)s: decisions, appealed, reversed, rate")
    else:
        label = N_("Clause %(rule)s, automated, no rule named: decisions, appealed, reversed, rate")
    value = f"{rule.decisions} · {rule.appealed} · {rule.reversed} · {rule.reversal_rate:.0%}"
    return Figure(say.words(label) % {"rule": rule.rule}, value)


def _appeals(report: TransparencyReport, say: _Say) -> ReportSection:
    appeals = report.appeals
    return ReportSection(
        id="appeals",
        heading=say.words(N_("Appeals")),
        cites=say.words(N_("DSA Art. 15(1)(d) and Art. 20")),
        figures=(
            say.figure(N_("Filed"), appeals.filed),
            say.figure(N_("Decided"), appeals.decided),
            say.figure(N_("Upheld"), appeals.upheld),
            say.figure(N_("Reversed"), appeals.reversed),
            say.figure(N_("Median time to decide, in hours"), appeals.median_hours_to_decide),
        ),
        breakdowns=(
            say.breakdown(N_("By who appealed"), appeals.by_basis),
            say.breakdown(N_("By decision appealed"), appeals.by_action),
        ),
    )


def _santa_clara(report: TransparencyReport, say: _Say) -> ReportSection:
    numbers = report.santa_clara
    return ReportSection(
        id="santa-clara",
        heading=say.words(N_("Santa Clara Principles numbers")),
        cites=say.words(N_("Santa Clara Principles 2.0, operational principle 1")),
        figures=(
            say.figure(N_("Pieces of content actioned"), numbers.content_actioned),
            say.figure(N_("Accounts suspended for a time"), numbers.accounts_suspended_temporarily),
            say.figure(N_("Accounts suspended for good"), numbers.accounts_suspended_permanently),
            say.figure(N_("Appeals that reinstated"), numbers.appeals_reinstated),
            say.figure(N_("Appeals that did not"), numbers.appeals_not_reinstated),
            say.figure(N_("Appeals against automated flags"), numbers.automated_flag_appeals),
            say.figure(N_("Of which reinstated"), numbers.automated_flag_reinstated),
            say.figure(N_("Reinstated without an appeal"), numbers.reinstated_without_appeal),
            say.figure(N_("Actions during an election window"), numbers.election_window_actions),
        ),
        breakdowns=(
            say.breakdown(N_("By rule broken"), numbers.by_rule),
            say.breakdown(N_("By country"), numbers.by_country),
            say.breakdown(N_("By format"), numbers.by_format),
            say.breakdown(N_("By source of flag"), numbers.by_source_of_flag),
        ),
    )
