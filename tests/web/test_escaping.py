"""Nothing a person types reaches a page as markup."""

from conftest import AccountFactory, PostFactory
from townsquare.microblog import Microblog
from web.forms import WebClient, sign_in, submit

SCRIPT = "<script>alert(1)</script>"


def test_scripts_in_posts_and_names_are_never_raw(
    client: WebClient, make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice = make_account("alice", display_name=f"Al{SCRIPT}")
    microblog.accounts.update_profile(alice.id, bio=f"bio {SCRIPT}")
    post = make_post(alice, f"post {SCRIPT} #tag", spoiler_text=f"cw {SCRIPT}")
    make_account("bob")
    sign_in(client, "bob")
    for path in ("/public", "/@alice", f"/@alice/{post.id}", "/tags/tag", "/search?q=alice"):
        page = client.get(path).text
        assert SCRIPT not in page, path
        assert "&lt;script&gt;" in page, path


def test_a_search_query_is_escaped(client: WebClient) -> None:
    page = client.get("/search", params={"q": SCRIPT}).text
    assert SCRIPT not in page
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in page


def test_typed_values_redisplayed_in_forms_are_escaped(client: WebClient) -> None:
    response = submit(
        client,
        "/register",
        {"username": f'"><{SCRIPT}', "password": "x", "password_confirmation": "y"},
    )
    assert SCRIPT not in response.text
    assert "&#34;&gt;&lt;&lt;script&gt;" in response.text
