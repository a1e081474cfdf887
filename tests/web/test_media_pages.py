"""Images on the web pages: previews with their alt text, loaded lazily, linking to the
originals; a sensitive post's blurred behind a click; an unattached upload served to its
uploader alone (by the session)."""

import re

from conftest import AccountFactory
from images import jpeg_bytes, scene
from townsquare.microblog import Microblog, PostDraft
from web.forms import WebClient, sign_in


def _img_tags(html: str) -> list[str]:
    return re.findall(r"<img [^>]*src=\"/media/[^>]*>", html)


def test_a_post_page_and_the_public_timeline_show_the_images(
    client: WebClient, make_account: AccountFactory, microblog: Microblog
) -> None:
    alice = make_account("alice")
    media = microblog.media.upload(
        alice.id, jpeg_bytes(scene()), description="Yellow bands & a black disc"
    )
    post = microblog.posts.create(alice.id, PostDraft(text="Look", media_ids=(media.id,)))
    for path in (f"/@alice/{post.id}", "/public"):
        page = client.get(path)
        assert page.status_code == 200
        (img,) = _img_tags(page.text)
        assert f'src="/media/{media.id}/small"' in img
        assert 'alt="Yellow bands &amp; a black disc"' in img
        assert 'loading="lazy"' in img
        assert f'href="/media/{media.id}/original"' in page.text
        assert "media--sensitive" not in page.text


def test_a_sensitive_posts_images_are_blurred_behind_a_click_in_both_languages(
    client: WebClient, make_account: AccountFactory, microblog: Microblog
) -> None:
    alice = make_account("alice")
    media = microblog.media.upload(alice.id, jpeg_bytes(scene()), description="A spider")
    post = microblog.posts.create(
        alice.id, PostDraft(text="", spoiler_text="Spiders", media_ids=(media.id,))
    )
    english = client.get(f"/@alice/{post.id}", headers={"Accept-Language": "en"}).text
    assert '<details class="media media--sensitive">' in english
    assert "Sensitive image: show it" in english
    assert "Description: A spider" in english
    assert len(_img_tags(english)) == 2  # the blurred one in the summary, the clear one inside
    french = client.get(f"/@alice/{post.id}", headers={"Accept-Language": "fr"}).text
    assert "Image sensible : l’afficher" in french
    assert "Description : A spider" in french


def test_an_unattached_upload_is_served_to_its_uploader_only(
    client: WebClient, make_account: AccountFactory, microblog: Microblog
) -> None:
    alice = make_account("alice")
    make_account("bob")
    media = microblog.media.upload(alice.id, jpeg_bytes(scene()))
    assert client.get(f"/media/{media.id}/small").status_code == 404
    sign_in(client, "bob")
    assert client.get(f"/media/{media.id}/small").status_code == 404
    client.cookies.clear()
    sign_in(client, "alice")
    served = client.get(f"/media/{media.id}/small")
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
