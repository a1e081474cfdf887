"""Copies of an image surface as copies of its post, the way text copies do: listed on the
case with their similarity, and decided one by one, each through `enforce` with its own
ledger entry, after which the copy's image is no longer served."""

import io

import pytest
from PIL import Image
from sqlalchemy import select

from conftest import AccountFactory
from images import jpeg_bytes, png_bytes, scene
from moderation.conftest import ANYTHING
from townsquare.app import Services
from townsquare.ledger import decode_entry
from townsquare.microblog import (
    Account,
    MediaNotFoundError,
    MediaVariant,
    Microblog,
    Post,
    PostDraft,
)
from townsquare.moderation import (
    COPY_THRESHOLD,
    ActionKind,
    CaseDecision,
    Moderation,
    PostTarget,
    ReportCategory,
    ReportDraft,
)
from townsquare.storage.tables import moderation_actions

REMOVE = CaseDecision(ActionKind.REMOVE, f"{ANYTHING}@3", "A picture that breaks the rules.")


def _post_image(microblog: Microblog, author: Account, data: bytes, text: str) -> Post:
    media = microblog.media.upload(author.id, data)
    return microblog.posts.create(author.id, PostDraft(text=text, media_ids=(media.id,)))


def _smaller_and_recompressed(image: Image.Image) -> bytes:
    shrunk = image.resize((image.width // 2, image.height // 2), Image.Resampling.BILINEAR)
    buffer = io.BytesIO()
    shrunk.save(buffer, "JPEG", quality=60)
    return buffer.getvalue()


@pytest.fixture
def posted(make_account: AccountFactory, microblog: Microblog) -> dict[str, Post]:
    first, second, third = (make_account(f"poster{n}") for n in range(3))
    picture = scene(640, 480, seed=1)
    other = scene(640, 480, seed=4).transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    return {
        "original": _post_image(microblog, first, jpeg_bytes(picture), "Look at this"),
        "copy": _post_image(
            microblog, second, _smaller_and_recompressed(picture), "Totally different words"
        ),
        "unrelated": _post_image(microblog, third, png_bytes(other), ""),
        "image_only": _post_image(microblog, second, png_bytes(scene(seed=7)), ""),
    }


@pytest.fixture
def case_id(
    moderation: Moderation,
    make_account: AccountFactory,
    posted: dict[str, Post],
    moderator: Account,
) -> int:
    reporter = make_account("reporter")
    target = PostTarget(posted["original"].id)
    made = moderation.cases.report(ReportDraft(reporter.id, target, ReportCategory.OTHER))
    moderation.cases.take(made.case_id, moderator.id)
    return made.case_id


def test_a_copy_of_the_image_is_listed_with_its_similarity(
    moderation: Moderation, moderator: Account, case_id: int, posted: dict[str, Post]
) -> None:
    (copy,) = moderation.cases.copies(case_id, moderator.id)
    assert copy.post_id == posted["copy"].id
    assert copy.by_image
    assert COPY_THRESHOLD < copy.similarity <= 1.0
    assert copy.text == "Totally different words"


def test_posts_with_an_image_and_no_text_are_not_copies_of_each_other(
    microblog: Microblog,
    moderation: Moderation,
    moderator: Account,
    posted: dict[str, Post],
    make_account: AccountFactory,
) -> None:
    # Empty texts are all the same text: they must not make image-only posts copies.
    another = _post_image(microblog, make_account("someone"), png_bytes(scene(seed=9)), "")
    reporter = make_account("reporter")
    made = moderation.cases.report(
        ReportDraft(reporter.id, PostTarget(another.id), ReportCategory.OTHER)
    )
    moderation.cases.take(made.case_id, moderator.id)
    assert moderation.cases.copies(made.case_id, moderator.id) == []


def test_deciding_the_copy_enforces_it_and_its_image_is_no_longer_served(
    services: Services,
    moderation: Moderation,
    moderator: Account,
    case_id: int,
    posted: dict[str, Post],
) -> None:
    copy_post = posted["copy"]
    (copy_view,) = services.microblog.timelines.post(None, copy_post.id).media
    assert services.microblog.media.file(None, copy_view.id, MediaVariant.SMALL).data
    decided = moderation.cases.decide(case_id, moderator.id, REMOVE, copies=[copy_post.id])
    with services.db.read() as conn:
        entries = {
            row.post_id: decode_entry(row.entry).fields
            for row in conn.execute(select(moderation_actions))
        }
    facts = str(entries[copy_post.id]["decision_facts"])
    assert "This post's image is a copy (similarity" in facts
    assert f"of post {posted['original'].id}, decided the same way by action" in facts
    link = entries[copy_post.id]["copy_of"]
    assert isinstance(link, dict)
    assert link["action_id"] == str(decided.action_id)
    with pytest.raises(MediaNotFoundError):
        services.microblog.media.file(None, copy_view.id, MediaVariant.SMALL)
    assert moderation.check_projection().matches
