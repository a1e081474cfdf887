"""Detections: what a rule found, with everything a case or `enforce` needs to act on it."""

from dataclasses import dataclass
from datetime import datetime

from townsquare.moderation._decisions import AccountTarget, Decision, PostTarget
from townsquare.moderation._policies import ActionKind
from townsquare.moderation.rules._rules import Effect

__all__ = ["Detection"]


@dataclass(frozen=True)
class Detection:
    """Rule `rule@rule_version` matched `target` (a post, or an account) at `detected_at`.

    `about` is whom it concerns: the post's author, or the account itself. `effect` says
    whether it opens a case (at `severity`, proposing `action`) or acts at once; `clause` is
    the clause version cited; `facts` state in words what was found, for the statement of
    reasons — identifiers, counts and listed domains, never the post's text.
    """

    rule: str
    rule_version: int
    clause: str  # "id@version"
    target: PostTarget | AccountTarget
    about: int
    effect: Effect
    action: ActionKind
    severity: int | None
    facts: str
    detected_at: datetime

    @property
    def rule_ref(self) -> str:
        return f"{self.rule}@{self.rule_version}"

    @property
    def acts(self) -> bool:
        """Whether the rule decides itself (an automated decision), not a moderator."""
        return self.effect == Effect.ACT

    def decision(self, actor_id: int) -> Decision:
        """The decision to enforce, taken by `actor_id` (the account automated decisions are
        taken under): for a rule that acts, or for a moderator who agrees with a case's."""
        return Decision(
            actor_id=actor_id,
            action=self.action,
            target=self.target,
            clause=self.clause,
            facts=self.facts,
            automated_detection=True,
            automated_decision=self.acts,
        )
