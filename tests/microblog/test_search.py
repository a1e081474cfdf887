"""Search: accent-insensitive both ways, prefixes, accounts, hashtags, and no query errors."""

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import AccountFactory, PostFactory
from townsquare.microblog import Microblog, PostVisibility, SearchResults


def post_texts(results: SearchResults) -> list[str]:
    return [v.post.text for v in results.posts]


@pytest.mark.parametrize(
    ("written", "query"),
    [
        ("Élection présidentielle", "election"),
        ("Élection présidentielle", "ÉLECTION"),
        ("election day", "élection"),
        ("E\u0301lection en cours", "élection"),  # written with a combining accent
        ("Le maïs et les œufs", "mais"),
        ("Straße gesperrt", "strasse"),
    ],
)
def test_accents_and_case_match_both_ways(
    make_account: AccountFactory,
    make_post: PostFactory,
    microblog: Microblog,
    written: str,
    query: str,
) -> None:
    make_post(make_account(), written)
    make_post(make_account(), "something else entirely")
    assert post_texts(microblog.search.everything(None, query)) == [written]


def test_english_words_all_must_match(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice = make_account()
    make_post(alice, "The quick brown fox")
    make_post(alice, "A quick lunch")
    assert post_texts(microblog.search.everything(None, "quick fox")) == ["The quick brown fox"]
    assert len(microblog.search.everything(None, "quick").posts) == 2


def test_the_last_word_is_a_prefix(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    make_post(make_account(), "Townsquare moderation is transparent")
    assert post_texts(microblog.search.everything(None, "moderation transp")) == [
        "Townsquare moderation is transparent"
    ]
    assert post_texts(microblog.search.everything(None, "moder transparent")) == []


def test_only_public_originals_are_found(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice, bob = make_account(), make_account()
    public = make_post(alice, "findme public")
    make_post(alice, "findme unlisted", visibility=PostVisibility.UNLISTED)
    make_post(alice, "findme private", visibility=PostVisibility.PRIVATE)
    microblog.posts.reblog(bob.id, public.id)
    assert post_texts(microblog.search.everything(None, "findme")) == ["findme public"]


def test_deleted_posts_are_not_found(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice = make_account()
    post = make_post(alice, "ephemeral words")
    microblog.posts.delete(alice.id, post.id)
    assert post_texts(microblog.search.everything(None, "ephemeral")) == []


def test_search_hides_authors_the_viewer_muted(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    me, muted = make_account(), make_account()
    make_post(muted, "noisy words")
    microblog.graph.mute(me.id, muted.id)
    assert post_texts(microblog.search.everything(me.id, "noisy")) == []
    assert post_texts(microblog.search.everything(None, "noisy")) == ["noisy words"]


def test_content_warnings_are_searched(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    make_post(make_account(), "the text", spoiler_text="Spoilers ahead")
    assert post_texts(microblog.search.everything(None, "spoilers")) == ["the text"]


def test_accounts_by_handle_and_display_name(
    make_account: AccountFactory, microblog: Microblog
) -> None:
    helene = make_account("helene_b", display_name="Hélène Bérard")
    make_account("someone", display_name="Someone Else")

    def found(query: str) -> list[int]:
        return [a.id for a in microblog.search.everything(None, query).accounts]

    assert found("helene") == [helene.id]
    assert found("HÉLÈNE bérard") == [helene.id]
    assert found("berard") == [helene.id]
    assert found("@helene_b") == [helene.id]
    assert found("helene zzz") == []  # every word must match
    assert microblog.search.everything(None, "@helene").posts == ()


def test_hashtags_by_prefix(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    make_post(make_account(), "#Élection2027 #électricité #elections #other")

    def found(query: str) -> list[str]:
        return list(microblog.search.everything(None, query).hashtags)

    assert found("#elec") == ["elections", "électricité", "élection2027"]
    assert found("élection") == ["elections", "élection2027"]
    assert found("#oth") == ["other"]
    assert microblog.search.everything(None, "#elec").accounts == ()


def test_limit_and_offset(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog
) -> None:
    alice = make_account()
    for n in range(5):
        make_post(alice, f"numbered {n}")
    first = post_texts(microblog.search.everything(None, "numbered", limit=2))
    second = post_texts(microblog.search.everything(None, "numbered", limit=2, offset=2))
    assert first == ["numbered 4", "numbered 3"]
    assert second == ["numbered 2", "numbered 1"]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'",
        '"unbalanced',
        "a OR b",
        "NOT",
        "AND OR NOT",
        "NEAR(a b)",
        "a*",
        "*",
        "col:umn",
        "^start",
        "(paren",
        "a & b | !c",
        "a:*",
        "<->",
        "\\",
        "%",
        "_",
        "--",
        "'; DROP TABLE posts; --",
        "\x00",
        "\ud800",
        "   ",
        "",
        "@",
        "#",
        "#@",
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "½ ² ⅔",
        "١٢٣",
        "x" * 1000,
    ],
)
def test_query_syntax_characters_never_error(
    make_account: AccountFactory, make_post: PostFactory, microblog: Microblog, query: str
) -> None:
    make_post(make_account("someone"), "ordinary words #tag")
    results = microblog.search.everything(None, query)
    assert isinstance(results, SearchResults)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=st.text(max_size=60))
@example(query='" OR "')
@example(query="a:* & !b")
def test_search_never_raises(
    microblog: Microblog, make_account: AccountFactory, make_post: PostFactory, query: str
) -> None:
    if not microblog.accounts.count():
        make_post(make_account("writer", display_name="Écrivain"), "Élection #vote 2027")
    results = microblog.search.everything(None, query)
    assert len(results.posts) <= 1
