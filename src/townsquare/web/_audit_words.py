"""The impartiality audit in words: one sentence per comparison, in the reader's language,
its numbers written the way that language writes them.

The audit's result holds metrics and numbers; the words are here, in one table per use (the
claim a sentence makes, what a comparison that cannot be made is about, the forest plot's row
name). A metric missing from a table is worded by the audit's own English sentence and named
by its key, so a new metric never breaks the page; `unworded_metrics` lets a test insist.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from townsquare.audits import FOREST_PLOT_WORDS, Comparison, Metric, comparison_sentence
from townsquare.web._i18n import format_p_value, format_ratio
from townsquare.web._messages import N_

__all__ = ["ShownComparison", "plot_words", "shown_comparison", "unworded_metrics"]

Words = Callable[[str], str]

# What each metric says, with %(a)s and %(b)s the group labels and %(ratio)s the ratio.
_CLAIMS: Mapping[Metric, str] = {
    Metric.RESTRICTED_COMPARABLE: N_(
        "Posts from group %(a)s are restricted %(ratio)s× as often as comparable posts from "
        "group %(b)s (same reported rule and number of reports)"
    ),
    Metric.BLIND_REVIEW_DISAGREEMENT: N_(
        "In blind second reviews of randomly drawn decisions, decisions on group %(a)s's posts "
        "are found wrong %(ratio)s× as often as decisions on group %(b)s's"
    ),
    Metric.RESTRICTED_PER_1000_POSTS: N_(
        "Posts from group %(a)s are restricted %(ratio)s× as often as posts from group %(b)s, "
        "counted per 1,000 posts before taking reports into account"
    ),
    Metric.SEVERE_SHARE: N_(
        "Restrictions of group %(a)s's posts are removals or heavier %(ratio)s× as often as "
        "restrictions of group %(b)s's"
    ),
    Metric.AUTOMATED_SHARE: N_(
        "Restrictions of group %(a)s's posts are automated %(ratio)s× as often as those of "
        "group %(b)s's"
    ),
    Metric.APPEAL_RATE: N_(
        "Restrictions of group %(a)s's posts are appealed %(ratio)s× as often as those of "
        "group %(b)s's"
    ),
    Metric.REVERSAL_RATE: N_(
        "Restrictions of group %(a)s's posts are reversed %(ratio)s× as often as those of "
        "group %(b)s's"
    ),
    Metric.HELPFUL_NOTE_SHARE: N_(
        "Posts from group %(a)s carry a Helpful community note %(ratio)s× as often as posts "
        "from group %(b)s"
    ),
    Metric.SLOW_DECISION_SHARE: N_(
        "Decisions on reported posts from group %(a)s take longer than the median time "
        "%(ratio)s× as often as decisions on group %(b)s's"
    ),
}

# What each metric is about, for a comparison that cannot be made.
_SUBJECTS: Mapping[Metric, str] = {
    Metric.RESTRICTED_COMPARABLE: N_("restrictions of comparable posts"),
    Metric.BLIND_REVIEW_DISAGREEMENT: N_("disagreement in blind second reviews"),
    Metric.RESTRICTED_PER_1000_POSTS: N_("restrictions per 1,000 posts"),
    Metric.SEVERE_SHARE: N_("the share of restrictions that are removals or heavier"),
    Metric.AUTOMATED_SHARE: N_("the share of restrictions that are automated"),
    Metric.APPEAL_RATE: N_("how often restrictions are appealed"),
    Metric.REVERSAL_RATE: N_("how often restrictions are reversed"),
    Metric.HELPFUL_NOTE_SHARE: N_("the share of posts carrying a Helpful note"),
    Metric.SLOW_DECISION_SHARE: N_("how often decisions take longer than the median time"),
}

# Each metric's short name: a row of the forest plot, a heading of an alert.
_LABELS: Mapping[Metric, str] = {
    Metric.RESTRICTED_COMPARABLE: N_("Restricted, comparable posts"),
    Metric.BLIND_REVIEW_DISAGREEMENT: N_("Found wrong on blind review"),
    Metric.RESTRICTED_PER_1000_POSTS: N_("Restricted per 1,000 posts"),
    Metric.SEVERE_SHARE: N_("Removal or heavier"),
    Metric.AUTOMATED_SHARE: N_("Automated"),
    Metric.APPEAL_RATE: N_("Appealed"),
    Metric.REVERSAL_RATE: N_("Reversed"),
    Metric.HELPFUL_NOTE_SHARE: N_("Helpful note shown"),
    Metric.SLOW_DECISION_SHARE: N_("Slower than the median"),
}

_PLOT_WORDS: Mapping[str, str] = {
    FOREST_PLOT_WORDS[0]: N_(
        "Group %(a)s over group %(b)s: each ratio and its 95 %% interval (log scale)"
    ),
    FOREST_PLOT_WORDS[1]: N_("Conditional: may alert"),
    FOREST_PLOT_WORDS[2]: N_("Descriptive: never alerts"),
    FOREST_PLOT_WORDS[3]: N_("Alerts"),
    FOREST_PLOT_WORDS[4]: N_("Alert thresholds"),
    FOREST_PLOT_WORDS[5]: N_("No comparison can be estimated yet"),
}

# Why an estimate could not be made, or was corrected (townsquare.audits.statistics).
_NOTES = (
    (re.compile(r"neither group has any unit to count"), N_("neither group has any unit to count")),
    (
        re.compile(r"group (?P<group>\S+) has no unit to count"),
        N_("group %(group)s has no unit to count"),
    ),
    (re.compile(r"no event in either group"), N_("no event in either group")),
    (
        re.compile(r"no stratum holds units of both groups"),
        N_("no stratum holds units of both groups"),
    ),
    (
        re.compile(r"no event in either group within the strata both groups share"),
        N_("no event in either group within the strata both groups share"),
    ),
    (
        re.compile(r"no event in group (?P<group>\S+) within the strata both groups share"),
        N_("no event in group %(group)s within the strata both groups share"),
    ),
    (
        re.compile(
            r"no event in group (?P<group>\S+): 0\.5 added to every count \(Haldane–Anscombe\)"
        ),
        N_("no event in group %(group)s: 0.5 added to every count (Haldane–Anscombe)"),
    ),
)


@dataclass(frozen=True)
class ShownComparison:
    """One comparison as the page shows it: its short name, its sentence, and the numbers
    an alert lists."""

    comparison: Comparison
    label: str
    sentence: str
    ratio: str
    interval: str
    p_value: str

    @property
    def alert(self) -> bool:
        return self.comparison.alert

    @property
    def conditional(self) -> bool:
        return self.comparison.conditional


def unworded_metrics() -> list[Metric]:
    """The metrics some table here has no words for (a test keeps this empty)."""
    tables: tuple[Mapping[Metric, str], ...] = (_CLAIMS, _SUBJECTS, _LABELS)
    return [metric for metric in Metric if any(metric not in table for table in tables)]


def shown_comparison(comparison: Comparison, words: Words, language: str) -> ShownComparison:
    """`comparison` in the language of `words` (a gettext) and `language`'s numbers."""
    estimate = comparison.estimate

    def number(value: float) -> str:
        return format_ratio(value, language)

    return ShownComparison(
        comparison=comparison,
        label=plot_words(words)(comparison.metric.value),
        sentence=_sentence(comparison, words, number),
        ratio=number(estimate.ratio),
        interval=f"{number(estimate.ci_low)}–{number(estimate.ci_high)}",
        p_value=format_p_value(comparison.adjusted_p_value, language),
    )


def plot_words(words: Words) -> Words:
    """A translation of the forest plot's words and row names (metric keys): their words, or
    the key as it is."""
    labels = {metric.value: label for metric, label in _LABELS.items()}

    def say(key: str) -> str:
        label = _PLOT_WORDS.get(key) or labels.get(key)
        return words(label) if label is not None else key

    return say


def _sentence(comparison: Comparison, words: Words, number: Callable[[float], str]) -> str:
    a, b = comparison.groups
    estimate = comparison.estimate
    claim = _CLAIMS.get(comparison.metric)
    subject = _SUBJECTS.get(comparison.metric)
    if claim is None or subject is None:
        return comparison_sentence(comparison)  # not yet worded here: the audit's English
    if not estimate.estimable:
        return words(N_("Groups %(a)s and %(b)s cannot be compared on %(subject)s: %(why)s.")) % {
            "a": a,
            "b": b,
            "subject": words(subject),
            "why": _note(estimate.note, words),
        }
    return words(N_("%(claim)s; 95 %% interval %(low)s–%(high)s; %(verdict)s.")) % {
        "claim": words(claim) % {"a": a, "b": b, "ratio": number(estimate.ratio)},
        "low": number(estimate.ci_low),
        "high": number(estimate.ci_high),
        "verdict": _verdict(comparison, words),
    }


def _verdict(comparison: Comparison, words: Words) -> str:
    if not comparison.conditional:
        return words(N_("descriptive, never alerts"))
    return words(N_("alert")) if comparison.alert else words(N_("no alert"))


def _note(note: str, words: Words) -> str:
    for pattern, template in _NOTES:
        found = pattern.fullmatch(note)
        if found:
            return words(template) % found.groupdict()
    return note
