"""The plain sentence a "why?" receipt and a public case page open with.

One sentence says what happened, under which rule, who decided and what came of an appeal;
the proofs follow it. It is built from plain fields (`Lead`): a case page fills them from the
case's outcome (`lead_from_outcome`), which the moderation layer reads from the database, so
the sentence is there as soon as the decision is; a post's "why?" receipt fills them from the
ledger entries it lists (`lead_from_entries`). Both say the same of the same decision.
"""

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from townsquare.ledger import JSON
from townsquare.moderation import ActionKind, CaseOutcome
from townsquare.web._messages import N_
from townsquare.web._visitors import Visitor

__all__ = [
    "AppealResult",
    "Decider",
    "Lead",
    "lead_from_entries",
    "lead_from_outcome",
    "lead_sentence",
]


class Decider(enum.StrEnum):
    """Who took a decision, as the statement of reasons records it."""

    MODERATOR = "moderator"
    TWO_MODERATORS = "two_moderators"  # an election window's two-person rule
    AUTOMATED = "automated"


class AppealResult(enum.StrEnum):
    """What the ledger says of an appeal against the decision."""

    NONE = "none"  # none decided (one may be pending, or none filed)
    UPHELD = "upheld"
    REVERSED = "reversed"


@dataclass(frozen=True)
class Lead:
    """What a reader needs first about one decision. `moderators` are pseudonyms, when the
    page knows them; `on_account` is set when the decision was about an account."""

    action: ActionKind
    clause: str
    clause_title: str
    decider: Decider
    appeal: AppealResult = AppealResult.NONE
    moderators: tuple[str, ...] = ()
    on_account: bool = False
    automated_rule: str | None = None  # the rule version that decided, `id@version`

    @property
    def in_force(self) -> ActionKind:
        """The action that stands now: nothing, once an appeal reversed it."""
        return ActionKind.NO_ACTION if self.appeal == AppealResult.REVERSED else self.action


_ON_POST: Mapping[ActionKind, str] = {
    ActionKind.REMOVE: N_("This post was removed under the rule %(rule)s"),
    ActionKind.LABEL: N_("This post was given a label under the rule %(rule)s"),
    ActionKind.INTERSTITIAL: N_(
        "This post was put behind a content warning under the rule %(rule)s"
    ),
    ActionKind.REDUCE_REACH: N_("This post’s reach was reduced under the rule %(rule)s"),
    ActionKind.GEO_RESTRICT: N_("This post was withheld in some countries under the rule %(rule)s"),
    ActionKind.WARN: N_("Its author was warned under the rule %(rule)s"),
    ActionKind.LIMIT: N_("Its author’s account was limited under the rule %(rule)s"),
    ActionKind.SUSPEND: N_("Its author’s account was suspended under the rule %(rule)s"),
    ActionKind.BLOCK_URL: N_("A link in this post was blocked under the rule %(rule)s"),
    ActionKind.RESTORE: N_("This post was shown again under the rule %(rule)s"),
    ActionKind.NO_ACTION: N_(
        "The moderators found no reason to act on this post under the rule %(rule)s"
    ),
}
_ON_ACCOUNT: Mapping[ActionKind, str] = {
    ActionKind.WARN: N_("This account’s owner was warned under the rule %(rule)s"),
    ActionKind.LIMIT: N_("This account was limited under the rule %(rule)s"),
    ActionKind.SUSPEND: N_("This account was suspended under the rule %(rule)s"),
    ActionKind.NO_ACTION: N_(
        "The moderators found no reason to act on this account under the rule %(rule)s"
    ),
}
_WHO: Mapping[Decider, str] = {
    Decider.MODERATOR: N_("a moderator decided it"),
    Decider.TWO_MODERATORS: N_("two moderators decided it, as an election window requires"),
    Decider.AUTOMATED: N_("an automated rule decided it"),
}
_WHO_NAMED: Mapping[Decider, str] = {
    Decider.MODERATOR: N_("a moderator (%(names)s) decided it"),
    Decider.TWO_MODERATORS: N_(
        "two moderators (%(names)s) decided it, as an election window requires"
    ),
    Decider.AUTOMATED: N_("an automated rule decided it"),
}
_WHO_RULE = N_(
    "the automated rule %(rule)s decided it, under the server’s account for automated rules"
)
_APPEAL: Mapping[AppealResult, str] = {
    AppealResult.NONE: N_("no appeal against it has been decided"),
    AppealResult.UPHELD: N_("on appeal, another moderator upheld it"),
    AppealResult.REVERSED: N_(
        "on appeal, another moderator reversed it, and it is no longer in force"
    ),
}


_RULE = N_("“%(title)s” (%(clause)s)")
_SENTENCE = N_("%(what)s; %(who)s; %(appeal)s.")
_AND = N_("%(first)s and %(second)s")


def lead_sentence(lead: Lead, visitor: Visitor) -> str:
    """The one sentence, in the visitor's language."""
    say = visitor.gettext
    rule = say(_RULE) % {"title": lead.clause_title, "clause": lead.clause}
    phrases = _ON_ACCOUNT if lead.on_account and lead.action in _ON_ACCOUNT else _ON_POST
    return say(_SENTENCE) % {
        "what": say(phrases[lead.action]) % {"rule": rule},
        "who": _who(lead, visitor),
        "appeal": say(_APPEAL[lead.appeal]),
    }


def _who(lead: Lead, visitor: Visitor) -> str:
    if lead.decider == Decider.AUTOMATED and lead.automated_rule:
        return visitor.gettext(_WHO_RULE) % {"rule": lead.automated_rule}
    if not lead.moderators:
        return visitor.gettext(_WHO[lead.decider])
    first, *others = lead.moderators
    names = visitor.gettext(_AND) % {"first": first, "second": others[0]} if others else first
    return visitor.gettext(_WHO_NAMED[lead.decider]) % {"names": names}


def lead_from_entries(
    decision: Mapping[str, JSON],
    appeal: Mapping[str, JSON] | None,
    clause_title: str,
    moderators: tuple[str, ...] = (),
) -> Lead:
    """The lead of a `moderation.decision` statement and the `moderation.appeal` entry
    decided against it (if any); `clause_title` in the reader's language."""
    decider = _decider(
        automated=decision.get("automated_decision")
        not in {None, "AUTOMATED_DECISION_NOT_AUTOMATED"},
        two_moderators=decision.get("second_moderator_approval") is True,
    )
    outcome = appeal.get("outcome") if appeal is not None else None
    target = decision.get("target")
    return Lead(
        action=ActionKind(str(decision.get("action"))),
        clause=str(decision.get("clause", "")),
        clause_title=clause_title,
        decider=decider,
        appeal=AppealResult(outcome) if outcome in {"upheld", "reversed"} else AppealResult.NONE,
        moderators=moderators if decider != Decider.AUTOMATED else (),
        on_account=isinstance(target, Mapping) and target.get("kind") == "account",
        automated_rule=_rule(decision) if decider == Decider.AUTOMATED else None,
    )


def _rule(decision: Mapping[str, JSON]) -> str | None:
    """The rule version a version 4 statement names (earlier ones name none)."""
    rule = decision.get("rule")
    return rule if isinstance(rule, str) else None


def lead_from_outcome(
    outcome: CaseOutcome, clause_title: str, moderators: tuple[str, ...] = ()
) -> Lead:
    """The lead of a case's decision as it stands now (`CaseOutcome`); `clause_title` in the
    reader's language, `moderators` the deciders' pseudonyms when the page knows them."""
    decider = _decider(automated=outcome.automated, two_moderators=outcome.two_moderators)
    if outcome.reversed:
        appeal = AppealResult.REVERSED
    elif outcome.upheld:
        appeal = AppealResult.UPHELD
    else:
        appeal = AppealResult.NONE
    return Lead(
        action=outcome.decided,
        clause=outcome.clause,
        clause_title=clause_title,
        decider=decider,
        appeal=appeal,
        moderators=moderators if decider != Decider.AUTOMATED else (),
        on_account=outcome.on_account,
    )


def _decider(*, automated: bool, two_moderators: bool) -> Decider:
    if automated:
        return Decider.AUTOMATED
    return Decider.TWO_MODERATORS if two_moderators else Decider.MODERATOR
