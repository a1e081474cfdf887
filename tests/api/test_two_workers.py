"""Two server processes writing at once over one database: every id distinct, nothing lost,
no 500 (the issue: without worker bits both minted the same ids, so posts failed with 500s
and favourites answered 200 having stored nothing).

Each worker is an OS process of its own that builds its services from the same settings, as
`townsquare serve --workers 2` does, and serves the real application. Both run on a clock
stopped at one millisecond, so every id they mint falls in the same milliseconds: only the
worker numbers can keep them apart.
"""

import multiprocessing
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing.synchronize import Barrier

from litestar.testing import TestClient
from sqlalchemy import func, select

from api.conftest import UserFactory
from townsquare.app import Services, build_services, create_app
from townsquare.kernel import FixedClock
from townsquare.microblog import PostDraft
from townsquare.settings import Settings
from townsquare.storage.tables import favourites, posts

WORKERS = 2
POSTS_EACH = 20
SHARED_POSTS = 10
STOPPED_AT = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class _Job:
    settings: Settings
    token: str
    shared: tuple[int, ...]  # posts this worker's member favourites


@dataclass(frozen=True)
class _Outcome:
    worker: int
    statuses: tuple[int, ...]  # every HTTP status the worker received
    post_ids: tuple[int, ...]
    favourited: tuple[tuple[int, bool], ...]  # (post id, `favourited` as answered)


def _serve_and_write(
    job: _Job, barrier: Barrier, outcomes: "multiprocessing.Queue[_Outcome]"
) -> None:
    """One worker process: its own services and app, writing as soon as both are ready."""
    services = build_services(job.settings, clock=FixedClock(STOPPED_AT))
    headers = {"Authorization": f"Bearer {job.token}"}
    statuses, post_ids, favourited = [], [], []
    with TestClient(create_app(services)) as client:
        barrier.wait(timeout=60)
        for n in range(POSTS_EACH):
            reply = client.post("/api/v1/statuses", json={"status": f"note {n}"}, headers=headers)
            statuses.append(reply.status_code)
            post_ids.append(int(reply.json()["id"]) if reply.status_code == 200 else 0)
        for post_id in job.shared:
            reply = client.post(f"/api/v1/statuses/{post_id}/favourite", headers=headers)
            statuses.append(reply.status_code)
            favourited.append((post_id, reply.status_code == 200 and reply.json()["favourited"]))
    worker = services.id_worker.lease.worker
    outcomes.put(_Outcome(worker, tuple(statuses), tuple(post_ids), tuple(favourited)))


def _run_workers(jobs: list[_Job]) -> list[_Outcome]:
    spawn = multiprocessing.get_context("spawn")  # a fresh interpreter, as a server worker
    barrier = spawn.Barrier(len(jobs))
    outcomes: multiprocessing.Queue[_Outcome] = spawn.Queue()
    processes = [
        spawn.Process(target=_serve_and_write, args=(job, barrier, outcomes)) for job in jobs
    ]
    for process in processes:
        process.start()
    results = [outcomes.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0
    return results


def test_two_workers_writing_at_once_mint_distinct_ids_and_lose_nothing(
    services: Services, settings: Settings, make_user: UserFactory
) -> None:
    author = make_user("author")
    shared = tuple(
        services.microblog.posts.create(author.account.id, PostDraft(text=f"shared {n}")).id
        for n in range(SHARED_POSTS)
    )
    members = [make_user(f"worker{n}") for n in range(WORKERS)]
    jobs = [_Job(settings, member.token, shared) for member in members]

    outcomes = _run_workers(jobs)

    # (1) No error of any kind, let alone a 500.
    assert {s for o in outcomes for s in o.statuses} == {200}
    # (2) Each process minted under its own worker number, none the parent's.
    numbers = {o.worker for o in outcomes} | {services.id_worker.lease.worker}
    assert len(numbers) == WORKERS + 1
    # (3) Every id distinct, and every post stored.
    minted = [i for o in outcomes for i in o.post_ids]
    assert len(set(minted)) == WORKERS * POSTS_EACH
    with services.db.read() as conn:
        stored = set(conn.scalars(select(posts.c.id).where(posts.c.id.in_(minted))))
        assert stored == set(minted)
        # (4) Every favourite answered as stored is stored, and counted once per member.
        assert all(done for o in outcomes for _, done in o.favourited)
        liked = conn.scalar(
            select(func.count()).select_from(favourites).where(favourites.c.post_id.in_(shared))
        )
        counts = set(conn.scalars(select(posts.c.favourites_count).where(posts.c.id.in_(shared))))
    assert liked == WORKERS * SHARED_POSTS
    assert counts == {WORKERS}
