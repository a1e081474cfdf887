"""The moderators' second-review pages: who may open them, what the blind page shows and
hides, the answer form, in English and French — through the real services."""

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from conftest import AccountFactory, PostFactory
from townsquare.app import Services
from townsquare.microblog import Role
from townsquare.moderation import (
    ActionKind,
    CaseDecision,
    PostTarget,
    ReportCategory,
    ReportDraft,
)
from townsquare.storage.tables import second_reviews
from web.forms import WebClient, sign_in, submit

FRENCH = {"Accept-Language": "fr"}
CLAUSE = "civic-integrity/1@2"  # allows reduce_reach
QUEUE = "/moderation/second-reviews"


@dataclass(frozen=True)
class Drawn:
    review_id: int
    case_id: int


@pytest.fixture
def drawn(services: Services, make_account: AccountFactory, make_post: PostFactory) -> Drawn:
    """`decider` reduced the reach of a post by Alice Author (`alice`), reported by `bob`,
    and commented on the case; the decision is drawn for a second review."""
    author = make_account("alice", display_name="Alice Author")
    decider = make_account("decider", role=Role.MODERATOR)
    make_account("rev", role=Role.MODERATOR)
    make_account("member")
    post = make_post(author, "Vote on Wednesday, not Sunday")
    reporter = make_account("bob")
    draft = ReportDraft(reporter.id, PostTarget(post.id), ReportCategory.VIOLATION, CLAUSE)
    cases = services.moderation.cases
    case_id = cases.report(draft).case_id
    cases.take(case_id, decider.id)
    cases.comment(case_id, decider.id, "Misleading about the date.")
    cases.decide(
        case_id, decider.id, CaseDecision(ActionKind.REDUCE_REACH, CLAUSE, "It misleads voters.")
    )
    while services.ledger.integrate() is not None:
        pass
    draw = services.moderation.second_reviews.draw(1)
    assert len(draw.drawn) == 1
    with services.db.read() as conn:
        review_id = conn.execute(select(second_reviews.c.id)).scalar_one()
    return Drawn(int(review_id), case_id)


SIGN_IN = "sign in"
ROLES = ("anonymous", "member", "rev")  # `rev`: a moderator not involved in the decision
ROUTES = [
    ("GET", QUEUE, (SIGN_IN, 403, 200)),
    ("GET", QUEUE + "/{review_id}", (SIGN_IN, 403, 200)),
    ("POST", QUEUE + "/{review_id}", (SIGN_IN, 403, 303)),
]


@pytest.mark.parametrize(("method", "path", "answers"), ROUTES)
def test_each_page_answers_each_role(
    client: WebClient, drawn: Drawn, method: str, path: str, answers: tuple[int | str, ...]
) -> None:
    answered: dict[str, int | str] = {}
    url = path.format(review_id=drawn.review_id)
    for role in ROLES:
        client.cookies.clear()
        if role != "anonymous":
            sign_in(client, role)
        if method == "POST":
            response = submit(client, url, {"action": "none", "clause": CLAUSE})
        else:
            response = client.get(url, follow_redirects=False)
        location = response.headers.get("location", "")
        signing_in = response.status_code == 303 and location.startswith("/login")
        answered[role] = SIGN_IN if signing_in else response.status_code
    assert answered == dict(zip(ROLES, answers, strict=True))


def test_a_moderator_sees_the_queue_from_the_moderation_page(
    client: WebClient, drawn: Drawn
) -> None:
    sign_in(client, "rev")
    assert f'href="{QUEUE}"' in client.get("/moderation").text
    queue = client.get(QUEUE)
    assert queue.status_code == 200
    assert f'href="{QUEUE}/{drawn.review_id}"' in queue.text


def test_the_review_page_is_blind(client: WebClient, services: Services, drawn: Drawn) -> None:
    sign_in(client, "rev")
    page = client.get(f"{QUEUE}/{drawn.review_id}")
    assert page.status_code == 200
    html = page.text
    assert "Vote on Wednesday, not Sunday" in html  # the post, reach reduced or not
    assert f"<code>{CLAUSE}</code>" in html  # the clause the report cited
    assert "It breaks a rule of this site" in html  # the report's category
    for hidden in ("alice", "Alice Author", "decider", "Misleading about the date"):
        assert hidden not in html
    deliberation = services.moderation.cases.published(drawn.case_id).deliberation
    decider_pseudonym = deliberation[0].moderator
    assert decider_pseudonym not in html
    assert "Reduced reach" not in html.split('<select id="review-action"')[0]  # not the outcome
    assert "It misleads voters" not in html  # nor its facts
    assert f"/moderation/cases/{drawn.case_id}" not in html


def test_the_original_decider_is_refused_with_a_reason(client: WebClient, drawn: Drawn) -> None:
    sign_in(client, "decider")
    assert f"{QUEUE}/{drawn.review_id}" not in client.get(QUEUE).text
    page = client.get(f"{QUEUE}/{drawn.review_id}")
    assert page.status_code == 403
    assert "another moderator must review it again" in page.text
    answered = submit(client, f"{QUEUE}/{drawn.review_id}", {"action": "none", "clause": CLAUSE})
    assert answered.status_code == 403


def test_an_answer_is_recorded_and_leaves_the_queue(
    client: WebClient, services: Services, drawn: Drawn
) -> None:
    sign_in(client, "rev")
    answered = submit(client, f"{QUEUE}/{drawn.review_id}", {"action": "none", "clause": CLAUSE})
    assert (answered.status_code, answered.headers["location"]) == (303, QUEUE)
    (done,) = services.moderation.second_reviews.completed()
    assert (done.original, done.second, done.disagreed) == (
        ActionKind.REDUCE_REACH,
        ActionKind.NO_ACTION,
        True,
    )
    assert f"{QUEUE}/{drawn.review_id}" not in client.get(QUEUE).text


def test_an_answer_the_rule_does_not_allow_is_refused_on_the_page(
    client: WebClient, drawn: Drawn
) -> None:
    sign_in(client, "rev")
    answered = submit(client, f"{QUEUE}/{drawn.review_id}", {"action": "suspend", "clause": CLAUSE})
    assert answered.status_code == 422
    assert "Choose an action, and a rule that allows it." in answered.text


def test_the_pages_are_in_french(client: WebClient, drawn: Drawn) -> None:
    sign_in(client, "rev")
    assert "Secondes revues" in client.get(QUEUE, headers=FRENCH).text
    page = client.get(f"{QUEUE}/{drawn.review_id}", headers=FRENCH).text
    assert "Seconde revue d’une décision tirée au sort" in page
    assert "Enregistrer ma décision" in page


def test_the_ledger_pages_show_the_draw_entry(
    client: WebClient, services: Services, drawn: Drawn
) -> None:
    while services.ledger.integrate() is not None:
        pass
    index = services.ledger.size() - 1
    assert "audit.review_draw" in client.get("/ledger").text
    entry = client.get(f"/ledger/view/{index}")
    assert entry.status_code == 200
    assert "seed_root_hash" in entry.text
