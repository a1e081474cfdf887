"""Copies on the case page and the public case page: the reviewer sees the case's post's
copies with their similarity and ticks those to decide with it; the public page says how
many copies the decision covered, with links. Every role in turn for the new form."""

import pytest
from httpx import Response

from conftest import AccountFactory, PostFactory
from images import jpeg_bytes, png_bytes, scene
from townsquare.app import Services
from townsquare.microblog import Post, PostDraft, Role
from townsquare.moderation import PostTarget, ReportDraft
from web.forms import WebClient, sign_in, submit

CLAUSE = "civic-integrity/1@2"  # allows reduce_reach
SCAM = "Polls moved to Wednesday this year: vote on Wednesday, not Sunday! https://vote.example/a"
COPY = "POLLS MOVED TO WEDNESDAY THIS YEAR — vote on Wednesday, not Sunday https://vote.example/b"
FRENCH = {"Accept-Language": "fr"}
ROLES = ("anonymous", "member", "moderator", "admin")
_HANDLES = {"member": "bob", "moderator": "mod_one", "admin": "admin_one"}


@pytest.fixture
def posts(services: Services, make_account: AccountFactory, make_post: PostFactory) -> list[Post]:
    alice, carol = make_account("alice"), make_account("carol")
    made = [make_post(alice, SCAM), make_post(carol, COPY), make_post(carol, "Lunch was good.")]
    make_account("bob")
    make_account("mod_one", role=Role.MODERATOR)
    make_account("admin_one", role=Role.ADMIN)
    return made


@pytest.fixture
def case_id(services: Services, posts: list[Post]) -> int:
    """A case on the first post, taken by mod_one."""
    reporter = services.microblog.accounts.by_username("bob")
    draft = ReportDraft(reporter.id, PostTarget(posts[0].id))
    made = services.moderation.cases.report(draft).case_id
    moderator = services.microblog.accounts.by_username("mod_one")
    services.moderation.cases.take(made, moderator.id)
    return made


def _decide(client: WebClient, case_id: int, copy_id: int) -> Response:
    fields = {
        "action": "reduce_reach",
        "clause": CLAUSE,
        "facts": "It misleads voters on the date.",
        f"copy_{copy_id}": "1",
    }
    return submit(client, f"/moderation/cases/{case_id}/decide", fields)


def test_the_reviewer_sees_the_copies_with_their_similarity_blind(
    client: WebClient, case_id: int, posts: list[Post]
) -> None:
    sign_in(client, "mod_one")
    page = client.get(f"/moderation/cases/{case_id}").text
    assert "Copies of this post" in page
    assert f'name="copy_{posts[1].id}"' in page
    assert f'name="copy_{posts[2].id}"' not in page  # not a copy
    assert "100% similar" in page
    assert "POLLS MOVED TO WEDNESDAY" in page
    assert "carol" not in page  # blind: a copy's author is not named either
    french = client.get(f"/moderation/cases/{case_id}", headers=FRENCH).text
    assert "Copies de cette publication" in french
    assert "similaire à 100 %" in french


def test_deciding_with_a_copy_covers_it_and_the_public_page_says_so(
    client: WebClient, services: Services, case_id: int, posts: list[Post]
) -> None:
    sign_in(client, "mod_one")
    decided = _decide(client, case_id, posts[1].id)
    assert decided.status_code == 303
    services.ledger.integrate()
    public = client.get(f"/cases/{case_id}").text
    assert "This decision covered 1 copy of the post" in public
    assert f'href="/posts/{posts[1].id}/why"' in public
    assert "similarity 1.00" in public
    french = client.get(f"/cases/{case_id}", headers=FRENCH).text
    assert "Cette décision a couvert 1 copie de la publication" in french
    why = client.get(f"/posts/{posts[1].id}/why")
    assert why.status_code == 200
    assert CLAUSE in why.text


# One answer per role in ROLES order: a visitor is sent to sign in, a member is refused, the
# reviewer's decision goes through (303 to the public page), an admin who is not the
# reviewer is refused (another moderator is reviewing the case).
ACCESS = [
    ("GET", (303, 403, 200, 200)),
    ("POST", (303, 403, 303, 403)),
]


@pytest.mark.parametrize("role", ROLES)
def test_the_copies_form_for_every_role(
    client: WebClient, services: Services, case_id: int, posts: list[Post], role: str
) -> None:
    if role != "anonymous":
        sign_in(client, _HANDLES[role])
    index = ROLES.index(role)
    path = f"/moderation/cases/{case_id}"
    shown = client.get(path, follow_redirects=False)
    assert shown.status_code == ACCESS[0][1][index]
    assert ("Copies of this post" in shown.text) == (role == "moderator")
    answer = _decide(client, case_id, posts[1].id)
    assert answer.status_code == ACCESS[1][1][index]
    covered = services.moderation.copies_covered(_action_id(services, case_id))
    assert [c.post_id for c in covered] == ([posts[1].id] if role == "moderator" else [])


def _action_id(services: Services, case_id: int) -> int:
    moderator = services.microblog.accounts.by_username("mod_one")
    return services.moderation.cases.case_file(case_id, moderator.id).case.action_id or 0


def test_a_copy_of_the_image_is_marked_so_on_the_case_page(
    client: WebClient, services: Services, make_account: AccountFactory
) -> None:
    microblog = services.microblog
    dave, erin = make_account("dave"), make_account("erin")
    make_account("mod_two", role=Role.MODERATOR)
    picture = scene(400, 300, seed=3)
    posted = []
    for author, data in ((dave, jpeg_bytes(picture)), (erin, png_bytes(picture))):
        media = microblog.media.upload(author.id, data)
        posted.append(microblog.posts.create(author.id, PostDraft(text="", media_ids=(media.id,))))
    reporter = make_account("frank")
    made = services.moderation.cases.report(ReportDraft(reporter.id, PostTarget(posted[0].id)))
    moderator = microblog.accounts.by_username("mod_two")
    services.moderation.cases.take(made.case_id, moderator.id)
    sign_in(client, "mod_two")
    page = client.get(f"/moderation/cases/{made.case_id}").text
    assert f'name="copy_{posted[1].id}"' in page
    assert "· its image" in page
    french = client.get(f"/moderation/cases/{made.case_id}", headers=FRENCH).text
    assert "· son image" in french
