"""The benchmarks' bulk world (bench/bulk_world.py) builds, with time-sortable ids, on both
databases; the timeline and peer benchmarks stand on it."""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol, cast

from sqlalchemy import func, select, text

from townsquare.storage import create_database_engine, tables

BENCH = Path(__file__).parents[1] / "bench" / "bulk_world.py"


class WorldModule(Protocol):
    def WorldSpec(self, accounts: int, posts: int, seed: int) -> Any:  # noqa: N802
        """The world's parameters (a frozen dataclass in the module)."""

    def ensure_world(self, engine: Any, spec: Any, say: Any) -> bool:
        """Build the world unless the database holds it; True if built."""


def load_world_module() -> WorldModule:
    spec = importlib.util.spec_from_file_location("bulk_world", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module: ModuleType = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bulk_world", module)
    spec.loader.exec_module(module)
    return cast(WorldModule, module)


def test_a_world_of_more_posts_than_one_millisecond_holds_ids_builds_with_sortable_ids(
    database_url: str,
) -> None:
    # The regression: ids took the post's index as their 8-bit sequence, so a world of more
    # than 256 posts could not be built at all.
    world = load_world_module()
    engine = create_database_engine(database_url)
    spec = world.WorldSpec(accounts=30, posts=1_200, seed=3)
    messages: list[str] = []
    try:
        assert world.ensure_world(engine, spec, messages.append) is True
        with engine.connect() as conn:
            by_id = conn.scalars(select(tables.posts.c.created_at).order_by(tables.posts.c.id))
            created = list(by_id)
            accounts = conn.scalar(select(func.count()).select_from(tables.accounts))
        assert len(created) == 1_200
        assert created == sorted(created)
        assert accounts == 30
        assert world.ensure_world(engine, spec, messages.append) is False
        assert messages[-1] == f"reusing the world {spec.fingerprint}"
    finally:
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS bench_world"))
        engine.dispose()
