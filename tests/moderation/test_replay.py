"""The projection is the ledger's: after any sequence of decisions, the stored projection
equals its replay from the ledger alone (DESIGN.md, promise 1), and nothing but `enforce`
writes it."""

import contextlib
import random
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

import townsquare
from conftest import AccountFactory, PostFactory
from moderation.conftest import Decide
from townsquare.app import Services
from townsquare.cli import app
from townsquare.kernel import FixedClock
from townsquare.ledger import JSON, encode_entry
from townsquare.microblog import Account, Surface
from townsquare.moderation import (
    DECISION_ENTRY_TYPE,
    AccountTarget,
    Action,
    ActionKind,
    Decision,
    MalformedDecisionEntryError,
    Moderation,
    ModerationError,
    PostTarget,
    Target,
    UrlTarget,
    replay,
)
from townsquare.storage.tables import moderation_restrictions

SOURCE = Path(townsquare.__file__).parent
_WRITERS = ("_projection.py", "_enforce.py")
_PROJECTION_TABLES = ("moderation_restrictions", "moderation_actions", "moderation_notices")


def _random_decision(
    rng: random.Random,
    decide: Decide,
    posts: list[int],
    authors: list[Account],
    taken: list[Action],
    clock: FixedClock,
) -> Decision:
    """One decision of any kind, on a random post, account or URL, maybe temporary."""
    kind = rng.choice(list(ActionKind))
    ends = clock.now() + timedelta(hours=rng.randint(1, 48)) if rng.random() < 0.3 else None
    if kind == ActionKind.RESTORE and taken:
        earlier = rng.choice(taken)
        return decide(kind, earlier.decision.target, restores=earlier.id)
    details: dict[str, object] = {"ends_at": ends}
    target: Target = PostTarget(rng.choice(posts))
    if kind in {ActionKind.WARN, ActionKind.LIMIT, ActionKind.SUSPEND}:
        target = AccountTarget(rng.choice(authors).id)
    elif kind == ActionKind.BLOCK_URL:
        target = UrlTarget(rng.choice(["a.example", "https://b.example/x", "example.org"]))
    elif kind == ActionKind.NO_ACTION and rng.random() < 0.5:
        target = AccountTarget(rng.choice(authors).id)
    if kind == ActionKind.LABEL:
        details["label"] = f"label {rng.randint(1, 9)}"
    if kind == ActionKind.INTERSTITIAL:
        details["content_warning"] = "careful"
    if kind == ActionKind.GEO_RESTRICT:
        details["territorial_scope"] = tuple(rng.sample(["DE", "FR", "IT", "PL"], 2))
    if kind == ActionKind.REDUCE_REACH and rng.random() < 0.5:
        details["surfaces"] = (Surface.SEARCH, Surface.HOME)
    return decide(kind, target, **details)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_projection_equals_the_replay_after_random_decisions(
    seed: int,
    moderation: Moderation,
    decide: Decide,
    services: Services,
    make_account: AccountFactory,
    make_post: PostFactory,
    clock: FixedClock,
) -> None:
    rng = random.Random(seed)
    authors = [make_account(f"author{i}") for i in range(3)]
    texts = ["see https://a.example/1", "https://b.example/x/y", "plain", "https://c.example.org"]
    posts = [make_post(rng.choice(authors), rng.choice(texts)).id for _ in range(6)]
    taken: list[Action] = []
    for step in range(60):
        decision = _random_decision(rng, decide, posts, authors, taken, clock)
        # A refusal (e.g. restoring a lifted action) must change nothing either.
        with contextlib.suppress(ModerationError):
            taken.append(moderation.enforce(decision))
        clock.advance(timedelta(hours=rng.randint(0, 12)))
        if step % 7 == 0:
            services.ledger.integrate()  # half integrated, half still queued
        difference = moderation.check_projection()
        assert difference.matches, (step, difference)
    assert difference.decisions == len(taken)
    kinds = {a.decision.action for a in taken}
    assert len(kinds) >= 9, kinds


def test_only_enforce_writes_the_projection() -> None:
    """Structural: no module but the projection's and `enforce`'s writes moderation tables."""
    write = re.compile(
        r"(insert|update|delete)\(\s*(" + "|".join(_PROJECTION_TABLES) + r"|_table|_actions)\b"
    )
    offenders = [
        str(path.relative_to(SOURCE))
        for path in SOURCE.rglob("*.py")
        if path.name not in _WRITERS and write.search(path.read_text())
    ]
    assert offenders == []
    raw_sql = re.compile(r"(INSERT INTO|UPDATE|DELETE FROM)\s+moderation_", re.IGNORECASE)
    assert [p.name for p in SOURCE.rglob("*.py") if raw_sql.search(p.read_text())] == []


def test_the_replay_command_reports_a_tampered_projection(
    moderation: Moderation,
    decide: Decide,
    services: Services,
    make_account: AccountFactory,
    make_post: PostFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = services.settings
    monkeypatch.setenv("TOWNSQUARE_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("TOWNSQUARE_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("TOWNSQUARE_BASE_URL", settings.base_url)
    post = make_post(make_account("author"), "text")
    moderation.enforce(decide(ActionKind.REMOVE, PostTarget(post.id)))
    moderation.enforce(decide(ActionKind.LABEL, PostTarget(post.id), label="Disputed"))
    runner = CliRunner()
    result = runner.invoke(app, ["moderation", "replay"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "projection matches the ledger (2 decisions)" in result.output

    with services.db.write() as conn:  # a secret edit, outside enforce
        conn.execute(update(moderation_restrictions).values(label="Nothing to see"))
    result = runner.invoke(app, ["moderation", "replay"], env={"COLUMNS": "200"})
    assert result.exit_code == 1
    assert "only in the projection" in result.output
    assert "only in the ledger" in result.output


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"action": "explode"}, "'explode' is not a valid ActionKind"),
        ({"action": "restore", "restores": "5"}, "restores action 5: expected a restriction"),
        ({"action": "remove", "action_id": "6"}, "missing field 'target'"),
    ],
)
def test_a_decision_enforce_could_not_have_written_fails_replay_naming_its_entry(
    fields: dict[str, JSON], why: str
) -> None:
    entries = [encode_entry("test.other", 1, {}), encode_entry(DECISION_ENTRY_TYPE, 1, fields)]
    with pytest.raises(MalformedDecisionEntryError, match="ledger entry 1: ") as refused:
        replay(entries)
    assert why in str(refused.value)
