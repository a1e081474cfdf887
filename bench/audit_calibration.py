"""Calibrate the impartiality audit on synthetic worlds where the truth is known.

    python bench/audit_calibration.py                # 500 seeds per scenario
    python bench/audit_calibration.py --seeds 200 --posts 5000
    python bench/audit_calibration.py --scenarios biased --alpha 0.025 --bands 0

Stages: (1) for each scenario and seed, draw a world (`synthetic_world`): accounts in groups A,
B and `neither`, about 5,000 posts per group, reports by clause and report count, a decision on
every reported post and on the few unreported posts automated detection restricts, with the
chance of a restriction rising with the report count (about 2 % of posts restricted overall);
(2) run the audit exactly as `townsquare audit impartiality` does (`audit_impartiality` with
the default parameters); (3) print, per scenario, the share of seeds that alerted, with its
95 % Wilson interval, against the target.

Scenarios: `fair` (the same rules for everyone), `biased` (group B's posts are restricted 1.5×
as often as comparable posts of group A, in every stratum), `reported-more` (group B's posts
are reported twice as often and by more people, but the moderators treat comparable posts
alike). bench/README.md describes the world and records the figures.
"""

import argparse
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from townsquare.audits import (
    AuditAccount,
    AuditDataset,
    AuditDecision,
    AuditParameters,
    AuditPost,
    ImpartialityAudit,
    Metric,
    audit_impartiality,
)

SCENARIOS = ("fair", "biased", "reported-more")
GROUPS = ("A", "B", "neither")
POSTS_PER_ACCOUNT = 10
# Clauses reports cite, and how often (a post's reports all cite one clause).
CLAUSES = ("hateful-conduct/1", "harassment/2", "civic-integrity/3", "spam/1")
CLAUSE_SHARES = (0.30, 0.30, 0.15, 0.25)
# How much more readily each clause leads to a restriction (spam is clear-cut, civic
# integrity rarely so).
CLAUSE_FACTORS = (1.0, 1.0, 0.7, 1.3)
# Restricting actions and their shares among restrictions.
ACTIONS = ("remove", "label", "reduce_reach", "interstitial")
ACTION_SHARES = (0.5, 0.2, 0.2, 0.1)


@dataclass(frozen=True)
class World:
    """How a synthetic community reports and is moderated."""

    reported_share: float = 0.10  # posts that receive at least one report
    extra_reports: float = 0.4  # report count = geometric(this): P(1) = 0.4, mean 2.5
    restrict_per_report: float = 0.06  # chance of a restriction per report, for the first ten
    restrict_cap: float = 0.6
    restrict_unreported: float = 0.006  # automated detection of posts nobody reported
    automated_reported: float = 0.3  # restrictions of reported posts decided by a rule
    appealed: float = 0.25
    reversed_on_appeal: float = 0.3


def synthetic_world(seed: int, scenario: str, posts_per_group: int = 5_000) -> AuditDataset:
    """(1) One world of `scenario` drawn from `seed` (numpy's PCG64, nothing global)."""
    rng = np.random.default_rng(seed)
    world = World()
    accounts = [
        AuditAccount(f"{group}{index}", group)
        for group in GROUPS
        for index in range(posts_per_group // POSTS_PER_ACCOUNT)
    ]
    author = rng.integers(0, len(accounts) // len(GROUPS), size=(len(GROUPS), posts_per_group))
    posts: list[AuditPost] = []
    decisions: list[AuditDecision] = []
    per_group = posts_per_group // POSTS_PER_ACCOUNT
    for group_index, group in enumerate(GROUPS):
        reported_more = scenario == "reported-more" and group == "B"
        biased = scenario == "biased" and group == "B"
        reports = _reports(rng, world, posts_per_group, reported_more)
        clauses = rng.choice(len(CLAUSES), size=posts_per_group, p=CLAUSE_SHARES)
        chance = _restriction_chance(world, reports, clauses) * (1.5 if biased else 1.0)
        restricted = (rng.random(posts_per_group) < chance).tolist()
        rows = zip(
            reports.tolist(),
            clauses.tolist(),
            author[group_index].tolist(),
            restricted,
            strict=True,
        )
        for index, (count, clause, written_by, restrict) in enumerate(rows):
            post_id = f"{group}-{index}"
            account = accounts[group_index * per_group + written_by].account_id
            posts.append(AuditPost(post_id, account, count, CLAUSES[clause] if count else ""))
            if restrict or count:
                decisions.append(_decision(rng, world, post_id, CLAUSES[clause], restrict, count))
    return AuditDataset(tuple(accounts), tuple(posts), tuple(decisions))


def _reports(
    rng: np.random.Generator, world: World, size: int, reported_more: bool
) -> npt.NDArray[np.int64]:
    """Report counts: most posts none; a reported post's count is geometric. A group that is
    reported more has twice the reported share and a longer tail (mean 3.3 reports)."""
    share = world.reported_share * (2.0 if reported_more else 1.0)
    extra = world.extra_reports * (0.75 if reported_more else 1.0)
    reported = rng.random(size) < share
    return np.where(reported, rng.geometric(extra, size=size), 0)


def _restriction_chance(
    world: World, reports: npt.NDArray[np.int64], clauses: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    factor = np.asarray(CLAUSE_FACTORS)[clauses]
    per_report = np.minimum(world.restrict_cap, world.restrict_per_report * reports) * factor
    return np.where(reports > 0, per_report, world.restrict_unreported)


def _decision(
    rng: np.random.Generator,
    world: World,
    post_id: str,
    clause: str,
    restricted: bool,
    reports: int,
) -> AuditDecision:
    if not restricted:
        return AuditDecision(post_id, "none", clause, False, False, False)
    action = ACTIONS[int(rng.choice(len(ACTIONS), p=ACTION_SHARES))]
    automated = reports == 0 or bool(rng.random() < world.automated_reported)
    appealed = bool(rng.random() < world.appealed)
    reversed_ = appealed and bool(rng.random() < world.reversed_on_appeal)
    return AuditDecision(post_id, action, clause, automated, appealed, reversed_)


@dataclass(frozen=True)
class Rate:
    """How many seeds of how many met a condition, with the 95 % Wilson interval."""

    hits: int
    runs: int

    @property
    def share(self) -> float:
        return self.hits / self.runs

    def interval(self) -> tuple[float, float]:
        z = 1.959963984540054
        centre = (self.share + z * z / (2 * self.runs)) / (1 + z * z / self.runs)
        half = (
            z
            * math.sqrt(self.share * (1 - self.share) / self.runs + z * z / (4 * self.runs**2))
            / (1 + z * z / self.runs)
        )
        return max(0.0, centre - half), min(1.0, centre + half)

    def __str__(self) -> str:
        low, high = self.interval()
        return f"{self.hits}/{self.runs} = {self.share:.1%} (95 % {low:.1%}–{high:.1%})"


def detected_against_b(audit: ImpartialityAudit) -> bool:
    """An alert that points the right way: group A restricted less than group B."""
    return any(c.alert and c.estimate.ratio < 1.0 for c in audit.comparisons)


def any_alert(audit: ImpartialityAudit) -> bool:
    return audit.alert


# (3) What each scenario counts, and the target it must meet.
CHECKS: dict[str, tuple[str, Callable[[ImpartialityAudit], bool], str]] = {
    "fair": ("alarm rate", any_alert, "≤ 5 %"),
    "biased": ("detection rate", detected_against_b, "≥ 90 %"),
    "reported-more": ("alarm rate", any_alert, "≤ 5 %"),
}


@dataclass(frozen=True)
class Calibration:
    """One scenario's result: the rate its check met, and the median of each ratio (A over B)
    over the seeds."""

    rate: Rate
    median_ratios: dict[Metric, float]


def calibrate(scenario: str, seeds: int, posts: int, parameters: AuditParameters) -> Calibration:
    """(2) The audit on `seeds` worlds of `scenario`, counted by the scenario's check."""
    check = CHECKS[scenario][1]
    audits = [
        audit_impartiality(synthetic_world(seed, scenario, posts), parameters)
        for seed in range(seeds)
    ]
    ratios = {
        metric: statistics.median(
            c.estimate.ratio for audit in audits for c in audit.comparisons if c.metric is metric
        )
        for metric in REPORTED_RATIOS
    }
    return Calibration(Rate(sum(check(audit) for audit in audits), seeds), ratios)


# The ratios printed beside the rates: the conditional one against the crude one.
REPORTED_RATIOS = (Metric.RESTRICTED_COMPARABLE, Metric.RESTRICTED_PER_1000_POSTS)


def world_summary(seed: int, scenario: str, posts: int) -> str:
    dataset = synthetic_world(seed, scenario, posts)
    restricted = {d.post_id for d in dataset.decisions if d.action != "none"}
    reported = sum(p.reports > 0 for p in dataset.posts)
    return (
        f"{len(dataset.posts)} posts, {reported} reported, {len(restricted)} restricted "
        f"({len(restricted) / len(dataset.posts):.2%})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=500)
    parser.add_argument("--posts", type=int, default=5_000, help="posts per group")
    parser.add_argument("--threshold", type=float, default=1.25)
    parser.add_argument("--alpha", type=float, default=0.05)
    parser.add_argument(
        "--bands", help="report-count band lower bounds, e.g. 0,1,2,3 (default: the audit's)"
    )
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    arguments = parser.parse_args()
    parameters = AuditParameters(threshold=arguments.threshold, alpha=arguments.alpha)
    if arguments.bands:
        bands = tuple(int(bound) for bound in arguments.bands.split(","))
        parameters = replace(parameters, report_bands=bands)
    for scenario in arguments.scenarios.split(","):
        started = time.monotonic()
        what, _, target = CHECKS[scenario]
        result = calibrate(scenario, arguments.seeds, arguments.posts, parameters)
        medians = ", ".join(f"{m.value} {r:.2f}" for m, r in result.median_ratios.items())
        print(
            f"{scenario:14} {what} {result.rate}  target {target}  median A/B: {medians}  "
            f"[seed 0: {world_summary(0, scenario, arguments.posts)}; "
            f"{time.monotonic() - started:.0f} s]"
        )


if __name__ == "__main__":
    main()
