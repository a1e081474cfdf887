"""The comparisons the impartiality audit makes, and which of them may alert."""

from enum import StrEnum

__all__ = ["Metric"]


class Metric(StrEnum):
    """One comparison between the two groups (docs/design/audit.md, "What is compared")."""

    # Conditional: posts of the two groups compared within the same stratum (reported clause ×
    # report-count band), so a group that is reported more is not taken for one treated worse.
    RESTRICTED_COMPARABLE = "restricted_per_comparable_post"
    # Descriptive: what each group experiences, whatever the reason.
    RESTRICTED_PER_1000_POSTS = "restricted_per_1000_posts"
    SEVERE_SHARE = "severe_share_of_restrictions"
    AUTOMATED_SHARE = "automated_share_of_restrictions"
    APPEAL_RATE = "appeal_rate"
    REVERSAL_RATE = "reversal_rate"

    @property
    def conditional(self) -> bool:
        """Whether a disparity here, if significant and large, raises an alert. Only a
        comparison of comparable posts can: the descriptive ones also move with what each group
        posts, how often it is reported and how readily it appeals, none of which is the
        moderators' doing."""
        return self is Metric.RESTRICTED_COMPARABLE
