"""The comparisons the impartiality audit makes, and which of them may alert."""

from enum import StrEnum

__all__ = ["Metric"]


class Metric(StrEnum):
    """One comparison between the two groups (docs/design/audit.md, "What is compared")."""

    # Conditional: posts of the two groups compared within the same stratum (reported clause ×
    # report-count band), so a group that is reported more is not taken for one treated worse.
    RESTRICTED_COMPARABLE = "restricted_per_comparable_post"
    # Conditional: decisions drawn at random and reviewed again by a moderator who does not see
    # the author; a disagreement is a decision a second look finds wrong, however often the
    # group is reported (only when the dataset publishes reviews.csv).
    BLIND_REVIEW_DISAGREEMENT = "blind_review_disagreement"
    # Descriptive: what each group experiences, whatever the reason.
    RESTRICTED_PER_1000_POSTS = "restricted_per_1000_posts"
    SEVERE_SHARE = "severe_share_of_restrictions"
    AUTOMATED_SHARE = "automated_share_of_restrictions"
    APPEAL_RATE = "appeal_rate"
    REVERSAL_RATE = "reversal_rate"
    HELPFUL_NOTE_SHARE = "helpful_note_share"  # only with helpful_notes.csv
    # The share of decisions on reported posts taking longer than the median of both groups'
    # (only with decision_times.csv): descriptive, since the wait depends on the queue and on
    # how hard the case is, not only on whose post it is.
    SLOW_DECISION_SHARE = "slower_than_median_decision_share"

    @property
    def conditional(self) -> bool:
        """Whether a disparity here, if significant and large, raises an alert. Only a
        comparison of comparable posts or of randomly drawn decisions can: the descriptive
        ones also move with what each group posts, how often it is reported and how readily it
        appeals, none of which is the moderators' doing."""
        return self in (Metric.RESTRICTED_COMPARABLE, Metric.BLIND_REVIEW_DISAGREEMENT)
