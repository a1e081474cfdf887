"""Where a decision came from, in the DSA Transparency Database's words (its `source_type`
field).

A decision without a case is our own initiative. A case's decision follows a notice: a
trusted flagger's (DSA Art. 22) when one of the outside requests naming its item came from
one; a member's report (Art. 16) otherwise, when there is one; and when only other outside
requests named it — orders of authorities under Art. 9 are not Art. 16 notices — "other
notification". The source says what kind of notice it was, never who sent it, so a sealed
request stays sealed.
"""

from sqlalchemy import Connection, select

from townsquare.moderation._requests import RequesterKind
from townsquare.storage.tables import external_request_items, external_requests, moderation_reports

__all__ = ["source_type"]


def source_type(conn: Connection, case_id: int | None) -> str:
    """The DSA-TDB `source_type` key of a decision on case `case_id` (None: no case)."""
    if case_id is None:
        return "SOURCE_VOLUNTARY"
    kinds = set(
        conn.execute(
            select(external_requests.c.requester_kind)
            .join(
                external_request_items,
                external_request_items.c.request_id == external_requests.c.id,
            )
            .where(external_request_items.c.case_id == case_id)
        ).scalars()
    )
    if RequesterKind.TRUSTED_FLAGGER.value in kinds:
        return "SOURCE_TRUSTED_FLAGGER"
    reported = conn.execute(
        select(moderation_reports.c.id).where(moderation_reports.c.case_id == case_id).limit(1)
    ).first()
    if reported is not None or not kinds:
        return "SOURCE_ARTICLE_16"
    return "SOURCE_TYPE_OTHER_NOTIFICATION"
