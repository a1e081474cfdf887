"""Who takes part in Community Notes, as the public userEnrollment file lists them: every
note author and every rater, by account id in ascending order."""

from sqlalchemy import Connection, select

from townsquare.storage.tables import community_notes, note_ratings

__all__ = ["participants"]


def participants(conn: Connection) -> list[int]:
    """Every author and rater, ascending."""
    authors = select(community_notes.c.author_id.label("participant"))
    raters = select(note_ratings.c.rater_id.label("participant"))
    return sorted(set(conn.execute(authors.union(raters)).scalars()))
