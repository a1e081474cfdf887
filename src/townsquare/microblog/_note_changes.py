"""The value a scoring run hands to moderation: one community note's status change.

Notes decides the changes and moderation logs and applies them; the two are siblings and
never import each other, so the value they pass lives in the layer both stand on. It lives
here rather than in the kernel because it belongs to the same vocabulary as the visibility
port's `ShownNote` and `Presentation.notes`: a change to "currently rated helpful" is what
puts a note on a post for every viewer, and the kernel holds only what every layer needs
(ids, the clock, the root errors). The microblog itself never reads it.
"""

from dataclasses import dataclass

__all__ = ["NoteStatusChange"]


@dataclass(frozen=True)
class NoteStatusChange:
    """One note's status change, as a scoring run decided it; moderation logs it field for
    field. Statuses are spelled as the public `scored_notes.tsv` spells them; `rules` names
    the rules that decided it (comma-separated); `fingerprint` is the SHA-256 of the exported
    ratings the run read; intercept and factor are None when the run could not compute them."""

    note_id: int
    post_id: int
    old_status: str
    new_status: str
    intercept: float | None
    factor: float | None
    scorer_version: str
    fingerprint: str
    run_id: int
    rules: str
