"""`townsquare rules`: run the automated rules on the waiting events now, list the rule
versions set aside after raising and put one back to work, and draw detections for the blind
review of each rule's precision.

The server runs the rules in the background every few seconds; `rules run` drains the
outbox once (for a scheduled job, or a server run without its background threads).
`rules draw-reviews --count N` draws up to N detections of each rule version, never drawn
before, seeded by the latest signed checkpoint, and logs the draw as a `rule.review_draw`
entry; moderators who took no part then say whether each item breaks the rule's clause.
"""

import base64
from typing import Annotated

import typer
from sqlalchemy import select

from townsquare.cli._output import say
from townsquare.cli._services import migrated_services
from townsquare.kernel import SystemClock
from townsquare.ledger import leaf_hash
from townsquare.moderation import MAX_DRAW
from townsquare.moderation.rules import RuleReviewDraw, record_rules, rule_review_draw_entry
from townsquare.storage.tables import ledger_entries

__all__ = ["rules_app"]

rules_app = typer.Typer(
    help=(
        "Automated rules: run them on waiting events, list and release quarantined ones, "
        "draw detections for a blind review of each rule's precision."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
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


@rules_app.command("draw-reviews")
def draw_reviews(
    count: Annotated[
        int,
        typer.Option(
            "--count",
            help=f"How many detections to draw of each rule version (1 to {MAX_DRAW}).",
        ),
    ],
) -> None:
    """Draw up to COUNT detections of each rule version, never drawn before, for a blind
    review by a moderator who took no part in what followed them. The draw is seeded by the
    root hash of the latest signed checkpoint and logged as a rule.review_draw ledger entry,
    so anyone can recompute it; the drawn detections wait on the moderators' rule-review
    page."""
    if not 0 < count <= MAX_DRAW:
        raise typer.BadParameter(f"expected 1 to {MAX_DRAW}, found {count}", param_hint="--count")
    with migrated_services() as services:
        draw = services.rule_reviews.draw(count)
        # Integrated now rather than by the server's sequencer, to say where the entry is.
        while services.ledger.integrate() is not None:
            pass
        with services.db.read() as conn:
            index = conn.execute(
                select(ledger_entries.c.idx).where(
                    ledger_entries.c.leaf_hash == leaf_hash(rule_review_draw_entry(draw))
                )
            ).scalar_one()
    say(_drawn_summary(draw, index))


def _drawn_summary(draw: RuleReviewDraw, index: int) -> str:
    seed = base64.b64encode(draw.root_hash).decode("ascii")
    lines = [
        f"Drew {len(draw.drawn)} of {sum(draw.candidates.values())} detections not drawn "
        f"before (asked for up to {draw.asked} of each rule version).",
        *(f"  {rule}: {count} not drawn before" for rule, count in sorted(draw.candidates.items())),
        f"Seed: the checkpoint of {draw.tree_size} entries, root hash {seed}.",
        f"Logged as ledger entry {index} (rule.review_draw).",
    ]
    if draw.drawn:
        shown = ", ".join(str(drawn) for drawn in draw.drawn)
        lines.append(f"Drawn detections (their ledger entries): {shown}.")
    return "\n".join(lines)
