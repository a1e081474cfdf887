"""Datasets built from counts: so many posts of a group, reported so often, so many restricted."""

from collections.abc import Mapping

from townsquare.audits import AuditAccount, AuditDataset, AuditDecision, AuditPost

# (group, reported clause, report count) -> (posts, restricted posts)
Cells = Mapping[tuple[str, str, int], tuple[int, int]]


def make_dataset(
    cells: Cells, action: str = "remove", groups: tuple[str, ...] = ("A", "B")
) -> AuditDataset:
    """One account per group in `groups`; for each cell, `posts` posts of which the first
    `restricted` get a restricting `action`, the others (if reported) a decision not to act."""
    accounts = tuple(AuditAccount(f"account-{group}", group) for group in groups)
    posts: list[AuditPost] = []
    decisions: list[AuditDecision] = []
    for (group, clause, reports), (count, restricted) in cells.items():
        for index in range(count):
            post_id = f"{group}-{clause}-{reports}-{index}"
            posts.append(AuditPost(post_id, f"account-{group}", reports, clause))
            if index < restricted:
                decisions.append(AuditDecision(post_id, action, clause, False, False, False))
            elif reports:
                decisions.append(AuditDecision(post_id, "none", clause, False, False, False))
    return AuditDataset(accounts, tuple(posts), tuple(decisions))


def simpson_dataset() -> AuditDataset:
    """Group A is reported far more, in the stratum where restrictions are common; within each
    stratum both groups are restricted at the same rate (1 % unreported, 30 % at 5 reports)."""
    return make_dataset(
        {
            ("A", "", 0): (100, 1),
            ("A", "spam/1", 5): (1000, 300),
            ("B", "", 0): (1000, 10),
            ("B", "spam/1", 5): (100, 30),
        }
    )


def biased_dataset() -> AuditDataset:
    """Within each stratum, group A's posts are restricted twice as often as group B's."""
    return make_dataset(
        {
            ("A", "", 0): (2000, 40),
            ("A", "spam/1", 2): (500, 100),
            ("B", "", 0): (2000, 20),
            ("B", "spam/1", 2): (500, 50),
        }
    )
