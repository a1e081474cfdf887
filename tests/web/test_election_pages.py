"""The election pages and the second moderator on the case page: an admin declares a
window, one moderator's decision becomes a proposal, another approves it, and the public
pages show the decision flagged with the window."""

from datetime import UTC, datetime, timedelta

import pytest

from conftest import AccountFactory, PostFactory
from townsquare.app import Services
from townsquare.kernel import FixedClock
from townsquare.microblog import Role
from townsquare.moderation import CaseState, PostTarget, ReportDraft, WindowDraft
from townsquare.notes import note_draft
from web.forms import WebClient, sign_in, submit

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
CLAUSE = "civic-integrity/1@2"  # an election clause that allows reduce_reach
FRENCH = {"Accept-Language": "fr"}


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


def _declare(client: WebClient, **changes: str) -> str:
    fields = {
        "name": "Élections municipales",
        "starts_at": "2026-12-02T11:00",
        "ends_at": "2026-12-20T18:00",
        "territories": "fr",
        "hashtags": "#Municipales #vote",
        **changes,
    }
    response = submit(client, "/elections", fields)
    assert response.status_code == 303, response.text
    location: str = response.headers["location"]
    return location


def test_an_admin_declares_a_window_and_everyone_sees_it(
    client: WebClient, make_account: AccountFactory
) -> None:
    assert "No election window has been declared." in client.get("/elections").text
    assert submit(client, "/elections", {"name": "x"}).status_code == 303  # sign in first
    make_account("member")
    sign_in(client, "member")
    assert "Declare an election window" not in client.get("/elections").text
    assert (
        submit(
            client,
            "/elections",
            {
                "name": "x",
                "starts_at": "2026-12-02T11:00",
                "ends_at": "2026-12-03T11:00",
                "territories": "FR",
            },
        ).status_code
        == 403
    )
    make_account("chief", role=Role.ADMIN)
    sign_in(client, "chief")
    location = _declare(client)
    window = client.get(location)
    assert "Élections municipales" in window.text
    assert "#municipales" in window.text
    assert "#vote" in window.text
    assert "No decision has been taken under this window" in window.text
    listed = client.get("/elections", headers=FRENCH).text
    assert "Périodes électorales" in listed
    assert f'href="{location}"' in listed


def test_a_declaration_out_of_bounds_shows_the_form_again_with_the_reason(
    client: WebClient, make_account: AccountFactory
) -> None:
    make_account("chief", role=Role.ADMIN)
    sign_in(client, "chief")
    refused = submit(
        client,
        "/elections",
        {
            "name": "Too soon",
            "starts_at": "2026-12-02T09:30",
            "ends_at": "2026-12-03T09:00",
            "territories": "FR",
        },
    )
    assert refused.status_code == 422
    assert "at least 1 hour after now" in refused.text
    assert 'value="Too soon"' in refused.text


def test_two_moderators_decide_a_case_in_a_window(
    client: WebClient,
    services: Services,
    clock: FixedClock,
    make_account: AccountFactory,
    make_post: PostFactory,
) -> None:
    make_account("chief", role=Role.ADMIN)
    sign_in(client, "chief")
    window_page = _declare(client)
    clock.advance(timedelta(hours=3))
    post = make_post(make_account("alice"), "Vote on Wednesday, not Sunday")
    draft = ReportDraft(make_account("bob").id, PostTarget(post.id))
    case_id = services.moderation.cases.report(draft).case_id
    make_account("first", role=Role.MODERATOR)
    make_account("second", role=Role.MODERATOR)

    sign_in(client, "first")
    submit(client, f"/moderation/cases/{case_id}/take")
    fields = {"action": "reduce_reach", "clause": CLAUSE, "facts": "It gives the wrong day."}
    preview = submit(client, f"/moderation/cases/{case_id}/decide", {**fields, "preview": "1"})
    assert "this decision will be proposed to a second moderator" in preview.text
    assert "Propose for approval" in preview.text
    assert "second_moderator_approval" in preview.text
    proposed = submit(client, f"/moderation/cases/{case_id}/decide", fields)
    assert proposed.status_code == 303
    assert proposed.headers["location"] == f"/moderation/cases/{case_id}"  # not public yet
    own = client.get(f"/moderation/cases/{case_id}").text
    assert "Awaiting a second moderator" in own
    assert "Withdraw the proposal" in own
    assert "Approve and enforce" not in own
    third = make_account("third", role=Role.MODERATOR)
    waiting = services.moderation.cases.case_file(case_id, third.id)
    assert waiting.case.state == CaseState.AWAITING_APPROVAL

    sign_in(client, "second")
    theirs = client.get(f"/moderation/cases/{case_id}").text
    assert "Approve and enforce" in theirs
    assert "It gives the wrong day." in theirs
    approved = submit(client, f"/moderation/cases/{case_id}/approve")
    assert approved.status_code == 303
    assert approved.headers["location"] == f"/cases/{case_id}"
    public = client.get(f"/cases/{case_id}").text
    assert "Approved by a second moderator" in public
    assert "Moderator " in public
    services.ledger.integrate()
    listed = client.get(window_page).text
    assert f'href="/cases/{case_id}"' in listed
    assert "Ledger entry" in listed
    decisions = client.get("/decisions").text
    assert "Election window: decided by two moderators" in decisions
    assert services.moderation.check_projection().matches


def test_a_second_moderator_rejects_with_reasons_and_the_reviewer_decides_again(
    client: WebClient,
    services: Services,
    clock: FixedClock,
    make_account: AccountFactory,
    make_post: PostFactory,
) -> None:
    make_account("chief", role=Role.ADMIN)
    sign_in(client, "chief")
    _declare(client)
    clock.advance(timedelta(hours=3))
    post = make_post(make_account("alice"), "Polls open at 8 #Municipales")
    case_id = services.moderation.cases.report(
        ReportDraft(make_account("bob").id, PostTarget(post.id))
    ).case_id
    make_account("first", role=Role.MODERATOR)
    make_account("second", role=Role.MODERATOR)
    sign_in(client, "first")
    submit(client, f"/moderation/cases/{case_id}/take")
    fields = {"action": "remove", "clause": "harassment/1@2", "facts": "Spam."}
    assert submit(client, f"/moderation/cases/{case_id}/decide", fields).status_code == 303

    sign_in(client, "second")
    empty = submit(client, f"/moderation/cases/{case_id}/reject", {"reason": " "})
    assert empty.status_code == 422
    rejected = submit(client, f"/moderation/cases/{case_id}/reject", {"reason": "It is true."})
    assert rejected.status_code == 303
    third = make_account("third", role=Role.MODERATOR)
    assert services.moderation.cases.case_file(case_id, third.id).case.state == CaseState.IN_REVIEW
    sign_in(client, "first")
    page = client.get(f"/moderation/cases/{case_id}").text
    assert "Earlier proposals" in page
    assert "It is true." in page
    assert "Rejected by a second moderator" in page


def _note(services: Services, author_id: int, post_id: int, text: str) -> int:
    draft = note_draft(
        classification="MISINFORMED_OR_POTENTIALLY_MISLEADING",
        reasons=["misleadingFactualError"],
        trustworthy_sources=True,
        text=text,
        sources=["https://elections.example/calendar"],
    )
    return services.notes.write(author_id, post_id, draft).id


def test_the_window_lists_notes_written_on_its_posts_while_it_is_open(
    client: WebClient,
    services: Services,
    clock: FixedClock,
    make_account: AccountFactory,
    make_post: PostFactory,
) -> None:
    make_account("chief", role=Role.ADMIN)
    sign_in(client, "chief")
    window_page = _declare(client)
    poster, writer = make_account("poster"), make_account("writer")
    tagged = make_post(poster, "Polls close at noon on Sunday #Municipales")
    early = make_post(poster, "Turnout was 12% last time #vote")
    untagged = make_post(poster, "Polls close at noon on Sunday")
    clock.advance(timedelta(days=8))  # the writer may contribute, inside the window
    listed_note = _note(services, writer.id, tagged.id, "Polls close at 8 pm, not at noon.")
    _note(services, writer.id, untagged.id, "A note on a post without the hashtags.")
    clock.advance(timedelta(days=20))  # the window has closed
    _note(services, writer.id, early.id, "A note written after the window closed.")

    sign_in(client, "writer")
    english = client.get(window_page).text
    assert "Community notes on election posts" in english
    assert "Polls close at 8 pm, not at noon." in english
    assert "Needs more ratings" in english
    assert f'href="/notes/{listed_note}/history"' in english
    assert f'href="/posts/{tagged.id}/notes"' in english
    assert "without the hashtags" not in english
    assert "after the window closed" not in english
    french = client.get(window_page, headers=FRENCH).text
    assert "Notes de la communauté sur les publications électorales" in french
    assert "Polls close at 8 pm, not at noon." in french
    assert "Historique du statut" in french


def test_anonymous_visitors_see_only_decided_notes_on_the_window_page(
    client: WebClient,
    services: Services,
    clock: FixedClock,
    make_account: AccountFactory,
    make_post: PostFactory,
) -> None:
    opens = NOW + timedelta(hours=2)
    draft = WindowDraft("Municipales", opens, opens + timedelta(days=18), ("FR",), ("#vote",))
    window = services.moderation.elections.declare(draft, declared_by=None)
    post = make_post(make_account("poster"), "Polls close at noon #vote")
    writer = make_account("writer")
    clock.advance(timedelta(days=8))
    _note(services, writer.id, post.id, "Polls close at 8 pm, not at noon.")
    english = client.get(f"/elections/{window.id}").text
    assert "Polls close at 8 pm" not in english  # it needs more ratings: members only
    assert "No note on this window's posts to show yet." in english
    french = client.get(f"/elections/{window.id}", headers=FRENCH).text
    assert "Aucune note à afficher pour les publications de cette période." in french
