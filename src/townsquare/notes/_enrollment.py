"""Who takes part in Community Notes, and in which modeling group: the same for a scoring run
and for the userEnrollment file the export writes, so scoring the export again gives what the
run gave.

Every author and rater is listed in modeling group 13. The reference scorer's Core keeps a
rater only when their modelingGroup is one of its core groups, or when they are missing from
userEnrollment (`Scorer._filter_input`: listed with 0 or no group, they are dropped); and its
stable initialisation (on by default, no flag turns it off) first fits the ratings of raters
listed in group 13 and fails when there are none (`get_ratings_for_stable_init`, an inner
merge with userEnrollment). Leaving raters out would keep them in Core but stop the run;
group 13, a core group, keeps them in Core in both scorers and lets the stable start run on
every note. We do not split raters into modeling groups (the reference's groups come from its
own clustering): the whole community is one group, and 13 is the one both scorers start from.
"""

from sqlalchemy import Connection, select

from townsquare.notes.scoring import Enrollment
from townsquare.storage.tables import community_notes, note_ratings

__all__ = ["MODELING_GROUP", "enrollment", "participants"]

MODELING_GROUP = 13


def participants(conn: Connection) -> list[int]:
    """Every author and rater, by account id, ascending."""
    authors = select(community_notes.c.author_id.label("participant"))
    raters = select(note_ratings.c.rater_id.label("participant"))
    return sorted(set(conn.execute(authors.union(raters)).scalars()))


def enrollment(conn: Connection) -> Enrollment:
    """The scorer's enrollment input: every participant in `MODELING_GROUP`."""
    listed = participants(conn)
    return Enrollment(listed, [MODELING_GROUP] * len(listed))
