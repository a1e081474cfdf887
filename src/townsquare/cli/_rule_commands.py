"""`townsquare rules`: run the automated rules on the waiting events now, list the rule
versions set aside after raising, and put one back to work.

The server runs the rules in the background every few seconds; `rules run` drains the
outbox once (for a scheduled job, or a server run without its background threads).
"""

from typing import Annotated

import typer

from townsquare.cli._output import say
from townsquare.cli._services import migrated_services
from townsquare.kernel import SystemClock
from townsquare.moderation.rules import record_rules

__all__ = ["rules_app"]

rules_app = typer.Typer(
    help="Automated rules: run them on waiting events, list and release quarantined ones.",
    no_args_is_help=True,
)


@rules_app.command("run")
def run_rules() -> None:
    """Run the automated rules on every event waiting in the outbox, once."""
    with migrated_services() as services:
        with services.db.write() as conn:  # a rule runs only once the ledger records it
            record_rules(conn, services.ledger, services.rules, SystemClock().now())
        summary = services.rule_runner.run_once()
    say(f"{summary.events} events processed, {summary.detections} detections.")
    for ref in summary.quarantined:
        say(f"Quarantined {ref}: it raised; `townsquare rules quarantined` says why.")


@rules_app.command("quarantined")
def list_quarantined() -> None:
    """List the rule versions quarantined after raising, with the error and the event."""
    with migrated_services() as services:
        found = services.rule_runner.quarantined()
    if not found:
        say("No rule version is quarantined.")
    for quarantine in found:
        say(
            f"{quarantine.rule}: since {quarantine.quarantined_at:%Y-%m-%d %H:%M} UTC, on "
            f"event {quarantine.event_id}: {quarantine.error}"
        )


@rules_app.command("release")
def release(
    rule: Annotated[str, typer.Argument(help="The rule version, as id@version.")],
) -> None:
    """Put a quarantined rule version back to work (logged in the ledger)."""
    with migrated_services() as services:
        services.rule_runner.release(rule)
    say(f"Released {rule}: it runs on the next events.")
