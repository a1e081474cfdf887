"""`enforce`: who may act, what each action does on every surface, what the ledger records,
and that it all happens in one transaction (issue 4, "One enforcement path")."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import Connection, func, select

from conftest import AccountFactory, PostFactory
from moderation.conftest import LABEL_ONLY, Decide
from townsquare.app import Services
from townsquare.kernel import FixedClock
from townsquare.ledger import decode_entry
from townsquare.microblog import (
    Account,
    HiddenBecause,
    LabelledBecause,
    Microblog,
    Page,
    Post,
    PostLabel,
    Presentation,
    Role,
    Surface,
)
from townsquare.moderation import (
    AccountTarget,
    ActionKind,
    ActionNotAllowedError,
    AlreadyLiftedError,
    InvalidDecisionError,
    Moderation,
    NotAModeratorError,
    OwnContentError,
    PostTarget,
    UrlTarget,
    viewer_country,
)
from townsquare.storage.tables import (
    ledger_pending,
    moderation_actions,
    moderation_notices,
    moderation_restrictions,
)

TEXT = "hello #topic findme https://evil.example/page"


def seen(microblog: Microblog, viewer: Account, post: Post) -> dict[Surface, Presentation | None]:
    """How `post` appears to `viewer` on each surface (None: not there at all)."""
    listings = {
        Surface.PUBLIC: microblog.timelines.public(viewer.id, Page()),
        Surface.HASHTAG: microblog.timelines.hashtag(viewer.id, "topic", Page()),
        Surface.PROFILE: microblog.timelines.profile(viewer.id, post.account_id, Page()),
        Surface.SEARCH: list(microblog.search.everything(viewer.id, "findme").posts),
    }
    found: dict[Surface, Presentation | None] = {
        surface: next((v.presentation for v in views if v.post.id == post.id), None)
        for surface, views in listings.items()
    }
    found[Surface.LINK] = microblog.timelines.post(viewer.id, post.id).presentation
    return found


@pytest.fixture
def author(make_account: AccountFactory) -> Account:
    return make_account("author")


@pytest.fixture
def reader(make_account: AccountFactory) -> Account:
    return make_account("reader")


@pytest.fixture
def post(make_post: PostFactory, author: Account) -> Post:
    return make_post(author, TEXT)


def _count(conn: Connection, table: object) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


# -- (1) authorization ---------------------------------------------------------------------


def test_a_member_may_not_enforce(
    moderation: Moderation, decide: Decide, post: Post, reader: Account
) -> None:
    decision = decide(ActionKind.REMOVE, PostTarget(post.id))
    with pytest.raises(NotAModeratorError, match="moderator or admin"):
        moderation.enforce(decision.__class__(**{**decision.__dict__, "actor_id": reader.id}))


def test_a_moderator_may_not_act_on_their_own_post(
    moderation: Moderation, decide: Decide, make_post: PostFactory, moderator: Account
) -> None:
    own = make_post(moderator, "mine")
    with pytest.raises(OwnContentError):
        moderation.enforce(decide(ActionKind.REMOVE, PostTarget(own.id)))
    with pytest.raises(OwnContentError):
        moderation.enforce(decide(ActionKind.SUSPEND, AccountTarget(moderator.id)))


def test_the_clause_must_allow_the_action(
    moderation: Moderation, decide: Decide, post: Post
) -> None:
    with pytest.raises(ActionNotAllowedError, match="allows label, not remove"):
        moderation.enforce(decide(ActionKind.REMOVE, PostTarget(post.id), clause=LABEL_ONLY))
    moderation.enforce(decide(ActionKind.LABEL, PostTarget(post.id), clause=LABEL_ONLY, label="x"))


def test_an_admin_may_enforce(
    moderation: Moderation, decide: Decide, post: Post, make_account: AccountFactory
) -> None:
    admin = make_account("boss", role=Role.ADMIN)
    decision = decide(ActionKind.REMOVE, PostTarget(post.id))
    action = moderation.enforce(decision.__class__(**{**decision.__dict__, "actor_id": admin.id}))
    assert action.affected_account_id == post.account_id


def test_an_inconsistent_decision_is_refused(
    moderation: Moderation, decide: Decide, post: Post, author: Account
) -> None:
    with pytest.raises(InvalidDecisionError, match="not applicable to a account"):
        moderation.enforce(decide(ActionKind.REMOVE, AccountTarget(author.id)))
    with pytest.raises(InvalidDecisionError, match="territorial_scope"):
        moderation.enforce(decide(ActionKind.GEO_RESTRICT, PostTarget(post.id)))
    with pytest.raises(InvalidDecisionError, match="label"):
        moderation.enforce(decide(ActionKind.LABEL, PostTarget(post.id)))


# -- each action on each surface ------------------------------------------------------------


def test_removal_hides_the_post_everywhere_and_leaves_a_tombstone(
    moderation: Moderation, decide: Decide, microblog: Microblog, post: Post, reader: Account
) -> None:
    assert all(seen(microblog, reader, post).values())
    moderation.enforce(decide(ActionKind.REMOVE, PostTarget(post.id)))
    shown = seen(microblog, reader, post)
    link = shown.pop(Surface.LINK)
    assert set(shown.values()) == {None}
    assert link is not None
    assert not link.visible
    assert link.tombstone is not None
    assert (link.tombstone.because, link.tombstone.clause) == (
        HiddenBecause.REMOVED,
        "test-rules/1@3",
    )
    assert link.tombstone.title_in("en") == "Harassment"


def test_reduced_reach_hides_only_the_named_surfaces_and_is_labelled(
    moderation: Moderation, decide: Decide, microblog: Microblog, post: Post, reader: Account
) -> None:
    moderation.enforce(decide(ActionKind.REDUCE_REACH, PostTarget(post.id)))
    shown = seen(microblog, reader, post)
    assert shown[Surface.PUBLIC] is None
    assert shown[Surface.HASHTAG] is None
    assert shown[Surface.SEARCH] is None
    for surface in (Surface.PROFILE, Surface.LINK):
        presentation = shown[surface]
        assert presentation is not None
        assert presentation.visible
        (label,) = presentation.labels
        assert (label.because, label.clause, label.title_in("en"), label.text) == (
            LabelledBecause.REACH_REDUCED,
            "test-rules/1@3",
            "Harassment",
            None,
        )
        assert label.surfaces == (Surface.HASHTAG, Surface.PUBLIC, Surface.SEARCH)


def test_reduced_reach_on_chosen_surfaces(
    moderation: Moderation, decide: Decide, microblog: Microblog, post: Post, reader: Account
) -> None:
    decision = decide(
        ActionKind.REDUCE_REACH, PostTarget(post.id), surfaces=(Surface.SEARCH,), label="Less"
    )
    moderation.enforce(decision)
    shown = seen(microblog, reader, post)
    assert shown[Surface.SEARCH] is None
    public = shown[Surface.PUBLIC]
    assert public is not None
    (label,) = public.labels
    assert (label.because, label.text, label.surfaces) == (
        LabelledBecause.REACH_REDUCED,
        "Less",
        (Surface.SEARCH,),
    )


def test_label_and_interstitial_show_the_post_with_their_texts(
    moderation: Moderation, decide: Decide, microblog: Microblog, post: Post, reader: Account
) -> None:
    moderation.enforce(decide(ActionKind.LABEL, PostTarget(post.id), label="Disputed"))
    moderation.enforce(
        decide(ActionKind.INTERSTITIAL, PostTarget(post.id), content_warning="Insults")
    )
    titles = {"en": "Harassment"}  # the title the projection keeps
    label = PostLabel(LabelledBecause.LABELLED, "test-rules/1@3", titles, text="Disputed")
    for presentation in seen(microblog, reader, post).values():
        assert presentation == Presentation(labels=(label,), content_warning="Insults")


def test_geo_restriction_hides_the_post_only_in_its_territories(
    moderation: Moderation, decide: Decide, microblog: Microblog, post: Post, reader: Account
) -> None:
    moderation.enforce(
        decide(ActionKind.GEO_RESTRICT, PostTarget(post.id), territorial_scope=("DE", "FR"))
    )
    assert all(p is not None and p.visible for p in seen(microblog, reader, post).values())
    with viewer_country("fr"):
        shown = seen(microblog, reader, post)
    link = shown.pop(Surface.LINK)
    assert set(shown.values()) == {None}
    assert link is not None
    assert link.tombstone is not None
    assert link.tombstone.because == HiddenBecause.NOT_IN_COUNTRY
    assert link.tombstone.country == "FR"
    with viewer_country("BE"):
        assert seen(microblog, reader, post)[Surface.PUBLIC] is not None


def test_suspension_hides_every_post_of_the_account(
    moderation: Moderation,
    decide: Decide,
    microblog: Microblog,
    post: Post,
    reader: Account,
    make_post: PostFactory,
    author: Account,
) -> None:
    other = make_post(author, "another one")
    moderation.enforce(decide(ActionKind.SUSPEND, AccountTarget(author.id)))
    for hidden in (post, other):
        link = microblog.timelines.post(reader.id, hidden.id).presentation
        assert not link.visible
        assert link.tombstone is not None
        assert link.tombstone.because == HiddenBecause.ACCOUNT_SUSPENDED
    assert microblog.timelines.profile(reader.id, author.id, Page()) == []


def test_limit_reduces_the_reach_of_every_post_of_the_account(
    moderation: Moderation,
    decide: Decide,
    microblog: Microblog,
    post: Post,
    author: Account,
    reader: Account,
) -> None:
    moderation.enforce(decide(ActionKind.LIMIT, AccountTarget(author.id)))
    shown = seen(microblog, reader, post)
    assert shown[Surface.PUBLIC] is None
    assert shown[Surface.SEARCH] is None
    profile = shown[Surface.PROFILE]
    assert profile is not None
    assert profile.visible
    assert profile.labels


def test_a_warning_changes_nothing_anyone_sees(
    moderation: Moderation,
    decide: Decide,
    microblog: Microblog,
    post: Post,
    author: Account,
    reader: Account,
) -> None:
    before = seen(microblog, reader, post)
    moderation.enforce(decide(ActionKind.WARN, AccountTarget(author.id)))
    moderation.enforce(decide(ActionKind.NO_ACTION, PostTarget(post.id)))
    assert seen(microblog, reader, post) == before


@pytest.mark.parametrize(
    ("blocked", "hidden"),
    [
        ("evil.example", True),
        ("https://EVIL.example/page", True),
        ("sub.evil.example", False),
        ("example", False),
        ("https://evil.example/other", False),
        ("il.example", False),
    ],
)
def test_a_url_block_hides_posts_linking_there(
    moderation: Moderation,
    decide: Decide,
    microblog: Microblog,
    post: Post,
    reader: Account,
    blocked: str,
    hidden: bool,
) -> None:
    if "." not in blocked:
        with pytest.raises(InvalidDecisionError):
            moderation.enforce(decide(ActionKind.BLOCK_URL, UrlTarget(blocked)))
        return
    moderation.enforce(decide(ActionKind.BLOCK_URL, UrlTarget(blocked)))
    link = microblog.timelines.post(reader.id, post.id).presentation
    assert link.visible is not hidden
    assert (seen(microblog, reader, post)[Surface.PUBLIC] is None) is hidden


# -- restore and expiry --------------------------------------------------------------------


def test_restore_reverses_an_action_once(
    moderation: Moderation, decide: Decide, microblog: Microblog, post: Post, reader: Account
) -> None:
    removal = moderation.enforce(decide(ActionKind.REMOVE, PostTarget(post.id)))
    restore = decide(ActionKind.RESTORE, PostTarget(post.id), restores=removal.id)
    moderation.enforce(restore)
    assert all(p is not None and p.visible for p in seen(microblog, reader, post).values())
    with pytest.raises(AlreadyLiftedError):
        moderation.enforce(restore)


def test_restore_must_name_the_target_of_the_action(
    moderation: Moderation, decide: Decide, post: Post, author: Account
) -> None:
    removal = moderation.enforce(decide(ActionKind.REMOVE, PostTarget(post.id)))
    with pytest.raises(InvalidDecisionError, match="target of that action"):
        moderation.enforce(
            decide(ActionKind.RESTORE, AccountTarget(author.id), restores=removal.id)
        )


def test_an_action_stops_applying_at_its_end(
    moderation: Moderation,
    decide: Decide,
    microblog: Microblog,
    post: Post,
    reader: Account,
    clock: FixedClock,
) -> None:
    ends = clock.now() + timedelta(days=7)
    moderation.enforce(decide(ActionKind.REMOVE, PostTarget(post.id), ends_at=ends))
    clock.advance(timedelta(days=7) - timedelta(seconds=1))
    assert not microblog.timelines.post(reader.id, post.id).presentation.visible
    clock.advance(timedelta(seconds=1))
    assert microblog.timelines.post(reader.id, post.id).presentation.visible


# -- (2) the statement of reasons ----------------------------------------------------------


def test_the_entry_holds_the_statement_of_reasons_and_never_the_content(
    moderation: Moderation, decide: Decide, post: Post, services: Services, clock: FixedClock
) -> None:
    ends = clock.now() + timedelta(days=30)
    action = moderation.enforce(
        decide(
            ActionKind.GEO_RESTRICT,
            PostTarget(post.id),
            territorial_scope=("FR",),
            ends_at=ends,
            automated_detection=True,
        )
    )
    services.ledger.integrate()
    entry = decode_entry(services.ledger.entry(services.ledger.size() - 1))
    assert entry.type == "moderation.decision"
    assert entry.version == 4
    fields = dict(entry.fields)
    assert fields["election_window"] is None
    assert fields["second_moderator_approval"] is False
    assert fields["copy_of"] is None
    assert fields["rule"] is None  # a moderator's detection, no automated rule's
    assert fields["action_id"] == str(action.id)
    assert fields["target"] == {"kind": "post", "id": str(post.id)}
    assert fields["account_id"] == str(post.account_id)
    assert fields["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_DISABLED"]
    assert fields["decision_ground"] == "DECISION_GROUND_INCOMPATIBLE_CONTENT"
    assert fields["incompatible_content_ground"] == "test-rules/1@3: Harassment"
    assert fields["clause"] == "test-rules/1@3"
    assert fields["policy_hash"] == "ab" * 32
    assert fields["category"] == "STATEMENT_CATEGORY_CYBER_VIOLENCE"
    assert fields["automated_detection"] == "Yes"
    assert fields["automated_decision"] == "AUTOMATED_DECISION_NOT_AUTOMATED"
    assert fields["territorial_scope"] == ["FR"]
    assert fields["application_date"] == "2026-06-01"
    assert fields["end_date_visibility_restriction"] == "2026-07-01"
    assert fields["decision_facts"] == "The post insults another member by name."
    assert fields["source_type"] == "SOURCE_VOLUNTARY"
    assert fields["content_date"] == "2026-06-01"
    assert "INTERNAL_COMPLAINT_HANDLING" in fields["redress"]  # type: ignore[operator]
    raw = json.dumps(fields)
    assert "findme" not in raw
    assert "evil.example" not in raw
    assert not any(isinstance(v, int) and v > 2**53 for v in fields.values())


def test_the_author_is_sent_a_notice(
    moderation: Moderation, decide: Decide, post: Post, services: Services
) -> None:
    action = moderation.enforce(decide(ActionKind.REMOVE, PostTarget(post.id)))
    with services.db.read() as conn:
        notices = conn.execute(select(moderation_notices)).all()
    assert [(n.account_id, n.action_id) for n in notices] == [(post.account_id, action.id)]


# -- (3) one transaction -------------------------------------------------------------------


class FailingLog:
    """A ledger whose append fails after the action and projection rows were written."""

    def append(self, conn: Connection, entry: bytes) -> int:
        raise RuntimeError("the disk is full")


def test_a_failing_ledger_append_leaves_nothing_behind(
    services: Services, decide: Decide, post: Post, moderation: Moderation
) -> None:
    failing = Moderation(
        services.db,
        FailingLog(),
        moderation.policies,
        clock=services.microblog.context.clock,
        ids=services.microblog.context.ids,
    )
    with pytest.raises(RuntimeError, match="disk is full"):
        failing.enforce(decide(ActionKind.REMOVE, PostTarget(post.id)))
    with services.db.read() as conn:
        for table in (moderation_actions, moderation_restrictions, moderation_notices):
            assert _count(conn, table) == 0
        assert _count(conn, ledger_pending) == 0
    assert services.microblog.timelines.post(None, post.id).presentation.visible
