"""The `townsquare` command, driven through Typer's test runner."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cli.environment import cli_environment
from images import jpeg_bytes, scene
from townsquare.app import build_services
from townsquare.cli import app
from townsquare.kernel import FixedClock
from townsquare.ledger import decode_entry
from townsquare.microblog import PostDraft, Role
from townsquare.settings import Settings
from townsquare.storage import head_revision
from townsquare.storage.tables import post_fingerprint_bands, post_fingerprints

runner = CliRunner()


@pytest.fixture
def run(settings: Settings) -> "Runner":
    """`run("user", "create", ...)`: the command against the test database."""
    return Runner(cli_environment(settings))


@pytest.fixture
def run_unmigrated(tmp_path: Path) -> "Runner":
    """The command against a SQLite database that does not exist yet."""
    return Runner({"TOWNSQUARE_DATA_DIR": str(tmp_path / "fresh"), "TOWNSQUARE_DATABASE_URL": ""})


class Runner:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env

    def __call__(self, *args: str) -> Result:
        return runner.invoke(app, list(args), env=self.env)


def _role_of(settings: Settings, username: str) -> Role:
    services = build_services(settings)
    try:
        return services.microblog.accounts.by_username(username).role
    finally:
        services.db.dispose()


def test_migrate_creates_the_schema_then_has_nothing_to_do(run_unmigrated: Runner) -> None:
    first = run_unmigrated("migrate")
    assert first.exit_code == 0, first.output
    assert f"from revision none to {head_revision()}" in first.stdout
    again = run_unmigrated("migrate")
    assert again.exit_code == 0
    assert f"up to date at revision {head_revision()}" in again.stdout


def test_migrate_leaves_a_migrated_database_as_it_is(run: Runner) -> None:
    result = run("migrate")
    assert result.exit_code == 0, result.output
    assert "up to date" in result.stdout


def test_serve_refuses_an_unmigrated_database(run_unmigrated: Runner) -> None:
    result = run_unmigrated("serve", "--port", "8999")
    assert result.exit_code == 1
    assert "run `townsquare migrate` first" in result.stderr
    assert "Traceback" not in result.output


def test_user_create_refuses_an_unmigrated_database(run_unmigrated: Runner) -> None:
    result = run_unmigrated("user", "create", "alice", "--password", "long enough")
    assert result.exit_code == 1
    assert "townsquare migrate" in result.stderr


@pytest.mark.parametrize("role", list(Role))
def test_user_create_gives_the_role_asked(run: Runner, settings: Settings, role: Role) -> None:
    result = run("user", "create", "alice", "--password", "long enough", "--role", role.value)
    assert result.exit_code == 0, result.output
    assert f"Created @alice ({role.value}" in result.stdout
    assert _role_of(settings, "alice") == role


def test_user_create_defaults_to_a_member_with_an_email(run: Runner, settings: Settings) -> None:
    result = run("user", "create", "@bob", "--password", "long enough", "--email", "b@x.org")
    assert result.exit_code == 0, result.output
    assert _role_of(settings, "bob") == Role.MEMBER


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["carol", "--password", "short"], "A password is 8 to 256 characters long."),
        (["not a handle", "--password", "long enough"], "A handle is 1 to 30 characters"),
        (["admin", "--password", "long enough"], "is reserved"),
        (["carol", "--password", "long enough", "--email", "nope"], "is not an e-mail address"),
    ],
)
def test_user_create_explains_what_is_wrong(
    run: Runner, arguments: list[str], message: str
) -> None:
    result = run("user", "create", *arguments)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_user_create_refuses_a_taken_handle_whatever_its_case(run: Runner) -> None:
    assert run("user", "create", "dave", "--password", "long enough").exit_code == 0
    result = run("user", "create", "DAVE", "--password", "another one")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: That handle is taken."


def test_user_create_refuses_an_unknown_role(run: Runner) -> None:
    result = run("user", "create", "erin", "--password", "long enough", "--role", "king")
    assert result.exit_code == 2
    assert "king" in result.output


def test_demo_loads_a_small_world_once(run: Runner) -> None:
    result = run("demo", "--seed", "3", "--accounts", "30", "--posts", "300")
    assert result.exit_code == 0, result.output
    for expected in ("30 accounts", "300 posts", "townsquare-demo", "@alix"):
        assert expected in result.stdout
    again = run("demo", "--seed", "3", "--accounts", "30", "--posts", "300")
    assert again.exit_code == 1
    # the world's 30, the rules stage's link-spam ring (3) and the rules' system account
    assert "already has 34 account(s)" in again.stderr


def test_demo_refuses_too_small_a_world(run: Runner) -> None:
    result = run("demo", "--accounts", "4", "--posts", "10")
    assert result.exit_code == 1
    assert "at least" in result.stderr


def test_the_operator_declares_a_window_and_lists_it(run: Runner, settings: Settings) -> None:
    assert run("migrate").exit_code == 0
    assert "No election window has been declared." in run("elections", "list").stdout
    opens = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)
    result = run(
        "elections",
        "declare",
        "Regional elections",
        "--starts",
        opens.isoformat(),
        "--ends",
        (opens + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
        "--territory",
        "fr",
        "--territory",
        "BE",
        "--hashtag",
        "#Regionales",
    )
    assert result.exit_code == 0, result.output
    assert "Declared election window" in result.stdout
    wide = Runner({**run.env, "COLUMNS": "200"})
    listed = wide("elections", "list").stdout
    assert "Regional elections" in listed
    assert "#regionales" in listed
    services = build_services(settings)
    try:
        [window] = services.moderation.elections.all()
        assert window.territories == ("BE", "FR")
        assert window.ends_at.tzinfo is not None
        services.ledger.integrate()
        entry = decode_entry(services.ledger.entry(services.ledger.size() - 1))
        assert entry.fields["window_id"] == str(window.id)
    finally:
        services.db.dispose()


def test_a_bad_date_or_a_window_too_soon_is_refused_with_the_reason(run: Runner) -> None:
    assert run("migrate").exit_code == 0
    bad = run(
        "elections", "declare", "X", "--starts", "soon", "--ends", "later", "--territory", "FR"
    )
    assert bad.exit_code == 1
    assert "--starts: expected an ISO 8601 date and time" in bad.output
    now = datetime.now(UTC).isoformat()
    soon = run(
        "elections", "declare", "X", "--starts", now, "--ends", "2099-01-01", "--territory", "FR"
    )
    assert soon.exit_code == 1
    assert "at least 1 hour after now" in soon.output


def test_user_create_refuses_a_look_alike_handle(run: Runner) -> None:
    assert run("user", "create", "mod1", "--password", "long enough").exit_code == 0
    result = run("user", "create", "rnod1", "--password", "long enough")
    assert result.exit_code == 1
    assert "That handle looks like @mod1, which is taken." in result.stderr
    assert "Traceback" not in result.output


def test_fingerprints_fills_what_is_missing_then_has_nothing_to_do(
    run: Runner, settings: Settings
) -> None:
    services = build_services(settings)
    try:
        author = services.microblog.accounts.register("writer", "pw" * 8)
        for text in ("first words of a post", "second words of a post"):
            services.microblog.posts.create(author.id, PostDraft(text=text))
        with services.db.write() as conn:
            conn.execute(post_fingerprint_bands.delete())
            conn.execute(post_fingerprints.delete())
    finally:
        services.db.dispose()
    first = run("fingerprints")
    assert first.exit_code == 0, first.output
    assert "Fingerprinted 2 posts." in first.output
    again = run("fingerprints")
    assert "Every post has its fingerprint." in again.output


def test_the_demo_worlds_posts_are_fingerprinted_as_they_are_written(run: Runner) -> None:
    loaded = run("demo", "--seed", "3", "--accounts", "30", "--posts", "300")
    assert loaded.exit_code == 0, loaded.output
    assert "Every post has its fingerprint." in run("fingerprints").output


def test_rules_run_drains_the_outbox_and_release_puts_a_rule_back(
    run: Runner, settings: Settings
) -> None:
    services = build_services(settings)
    try:
        author = services.microblog.accounts.register("writer", "pw" * 8)
        text = "Pay the fee at https://parcel-redelivery-fee.example/pay"
        services.microblog.posts.create(author.id, PostDraft(text=text))
    finally:
        services.id_worker.stop()
        services.db.dispose()
    first = run("rules", "run")
    assert first.exit_code == 0, first.output
    assert "1 detections." in first.output
    again = run("rules", "run")
    assert "0 events processed, 0 detections." in again.output
    listed = run("rules", "quarantined")
    assert "No rule version is quarantined." in listed.output
    refused = run("rules", "release", "link-spam@1")
    assert refused.exit_code == 1
    assert "not quarantined" in refused.stderr


def test_media_prune_deletes_uploads_no_post_took_within_a_day(
    run: Runner, settings: Settings
) -> None:
    two_days_ago = FixedClock(datetime.now(UTC) - timedelta(days=2))
    services = build_services(settings, clock=two_days_ago)
    try:
        author = services.microblog.accounts.register("writer", "pw" * 8)
        media = services.microblog.media
        abandoned = media.upload(author.id, jpeg_bytes(scene()))
        posted = media.upload(author.id, jpeg_bytes(scene()))
        services.microblog.posts.create(author.id, PostDraft(text="", media_ids=(posted.id,)))
    finally:
        services.id_worker.stop()
        services.db.dispose()
    now = build_services(settings)
    try:
        fresh = now.microblog.media.upload(author.id, jpeg_bytes(scene()))
    finally:
        now.id_worker.stop()
        now.db.dispose()
    first = run("media", "prune")
    assert first.exit_code == 0, first.output
    assert "Deleted 1 abandoned uploads." in first.output
    folder = settings.resolved_media_directory
    assert not any((folder / str(abandoned.id)).iterdir())
    assert sorted(p.name for p in (folder / str(posted.id)).iterdir()) == ["original", "small"]
    assert (folder / str(fresh.id) / "original").exists()
    assert "No abandoned upload to delete." in run("media", "prune").output
