"""The words of outside requests — who sent them, where they stand, what came of them —
shared by the request pages, the case pages and a post's "why?" page."""

from collections.abc import Mapping
from typing import Any

from townsquare.moderation import Ground, RequesterKind, RequestOutcome, RequestState
from townsquare.web._messages import N_
from townsquare.web._policy_pages import ACTION_LABELS

__all__ = [
    "GROUND_LABELS",
    "OUTCOME_LABELS",
    "REQUESTER_LABELS",
    "STATE_LABELS",
    "request_labels",
]

REQUESTER_LABELS: Mapping[RequesterKind, str] = {
    RequesterKind.COURT: N_("Court"),
    RequesterKind.GOVERNMENT: N_("Government or administration"),
    RequesterKind.LAW_ENFORCEMENT: N_("Police or law enforcement"),
    RequesterKind.REGULATOR: N_("Regulator"),
    RequesterKind.TRUSTED_FLAGGER: N_("Trusted flagger"),
    RequesterKind.RIGHTS_HOLDER: N_("Rights holder"),
    RequesterKind.OTHER: N_("Other"),
}
STATE_LABELS: Mapping[RequestState, str] = {
    RequestState.RECEIVED: N_("Waiting for the cases' decisions"),
    RequestState.ANSWERED: N_("Answered"),
    RequestState.WITHDRAWN: N_("Withdrawn"),
}
OUTCOME_LABELS: Mapping[RequestOutcome, str] = {
    RequestOutcome.COMPLIED: N_("Complied"),
    RequestOutcome.PARTIALLY_COMPLIED: N_("Partially complied"),
    RequestOutcome.DECLINED: N_("Declined"),
    RequestOutcome.WITHDRAWN: N_("Withdrawn"),
}
GROUND_LABELS: Mapping[Ground, str] = {
    Ground.ILLEGAL_CONTENT: N_("Illegal content"),
    Ground.INCOMPATIBLE_CONTENT: N_("Against the terms of service"),
}


def request_labels() -> dict[str, Any]:
    """The words every request template needs, as template variables."""
    return {
        "requester_labels": REQUESTER_LABELS,
        "state_labels": STATE_LABELS,
        "outcome_labels": OUTCOME_LABELS,
        "ground_labels": GROUND_LABELS,
        "action_labels": ACTION_LABELS,
    }
