"""`townsquare rules`: the automated rules' blind review of their detections.

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
from townsquare.ledger import leaf_hash
from townsquare.moderation import MAX_DRAW
from townsquare.moderation.rules import RuleReviewDraw, rule_review_draw_entry
from townsquare.storage.tables import ledger_entries

__all__ = ["rules_app"]

rules_app = typer.Typer(
    help="Automated rules: draw detections for a blind review of each rule's precision.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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
