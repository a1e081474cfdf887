"""The calibration bench's synthetic world has the shape bench/README.md describes (the rates
it gives the audit are the bench's job, not this test's)."""

import importlib.util
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Protocol, cast

import pytest

from townsquare.audits import AuditDataset

BENCH = Path(__file__).parents[2] / "bench" / "audit_calibration.py"


class Bench(Protocol):
    SCENARIOS: tuple[str, ...]

    def synthetic_world(self, seed: int, scenario: str, posts_per_group: int = ...) -> AuditDataset:
        """One world of `scenario` drawn from `seed`."""


def load_bench() -> Bench:
    spec = importlib.util.spec_from_file_location("audit_calibration", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module: ModuleType = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return cast(Bench, module)


def shares(dataset: AuditDataset) -> dict[str, tuple[int, float, float]]:
    """Per group: posts, the share reported, the share restricted."""
    group_of = {account.account_id: account.group for account in dataset.accounts}
    post_group = {post.post_id: group_of[post.account_id] for post in dataset.posts}
    posts = Counter(post_group.values())
    reported = Counter(post_group[p.post_id] for p in dataset.posts if p.reports)
    restricted = Counter(
        post_group[post_id]
        for post_id in {d.post_id for d in dataset.decisions if d.action != "none"}
    )
    return {g: (posts[g], reported[g] / posts[g], restricted[g] / posts[g]) for g in posts}


@pytest.mark.parametrize("seed", [0, 1])
def test_a_fair_world_has_three_groups_of_5000_posts_and_about_2_percent_restricted(
    seed: int,
) -> None:
    world = load_bench().synthetic_world(seed, "fair")
    found = shares(world)
    assert sorted(found) == ["A", "B", "neither"]
    for posts, reported, restricted in found.values():
        assert posts == 5000
        assert 0.08 < reported < 0.12
        assert 0.013 < restricted < 0.03
    assert all(p.report_clause == "" for p in world.posts if p.reports == 0)
    assert all(p.report_clause for p in world.posts if p.reports > 0)


def test_the_same_seed_draws_the_same_world() -> None:
    bench = load_bench()
    assert bench.synthetic_world(3, "biased", 500) == bench.synthetic_world(3, "biased", 500)


def test_the_scenarios_change_only_group_b() -> None:
    bench = load_bench()
    fair = shares(bench.synthetic_world(0, "fair"))
    biased = shares(bench.synthetic_world(0, "biased"))
    reported_more = shares(bench.synthetic_world(0, "reported-more"))
    assert biased["B"][2] > 1.2 * fair["B"][2]
    assert reported_more["B"][1] > 1.6 * fair["B"][1]
    for scenario in (biased, reported_more):
        assert scenario["A"][1] == pytest.approx(fair["A"][1], abs=0.02)
