"""Tests for townsquare.microblog._text."""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
import regex
from hypothesis import example, given, settings
from hypothesis import strategies as st

from townsquare.microblog._text import (
    MAX_POST_CHARACTERS,
    ParsedText,
    count_characters,
    normalize_for_search,
    parse_text,
    render_html,
    render_plain_html,
)

LINK_REL = "nofollow noopener noreferrer"
KNOWN_USERS = frozenset({"alice", "bob_2"})


def mention_url(username: str) -> str | None:
    return f"https://town.example/@{username}" if username in KNOWN_USERS else None


def tag_url(tag: str) -> str:
    return f"https://town.example/tags/{quote(tag)}"


def render(text: str) -> str:
    return render_html(text, mention_url=mention_url, tag_url=tag_url)


def link_html(href: str, display: str) -> str:
    return f'<a href="{href}" rel="{LINK_REL}" target="_blank">{display}</a>'


# Every tag the renderers may emit, attributes in the order they are written.
ALLOWED_TAG = re.compile(
    r"<(?:/?p|br|/?span|/a"
    r'|a href="[^"<>]*" rel="nofollow noopener noreferrer" target="_blank"'
    r'|a(?: href="[^"<>]*")? class="mention hashtag" rel="tag"'
    r'|a(?: href="[^"<>]*")? class="u-url mention")>'
)
PLAIN_ALLOWED_TAG = re.compile(
    r'<(?:br|/a|a href="[^"<>]*" rel="nofollow noopener noreferrer" target="_blank")>'
)


class Reading(HTMLParser):
    """Reads rendered HTML back into the text it encodes (links as their hrefs)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.hashtags: list[tuple[str, str]] = []
        self.mentions: list[tuple[str, str]] = []
        self._anchor: tuple[str, str] | None = None
        self._anchor_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            values = dict(attrs)
            kind = values.get("class") or values.get("rel") or ""
            self._anchor = (kind, values.get("href") or "")
            self._anchor_text = []

    def handle_endtag(self, tag: str) -> None:
        if tag != "a" or self._anchor is None:
            return
        kind, href = self._anchor
        inner = "".join(self._anchor_text)
        if kind == LINK_REL:
            self.links.append((href, inner))
            self.parts.append(href)
        else:
            (self.hashtags if kind == "mention hashtag" else self.mentions).append((href, inner))
            self.parts.append(inner)
        self._anchor = None

    def handle_data(self, data: str) -> None:
        (self._anchor_text if self._anchor is not None else self.parts).append(data)


def read(rendered: str) -> Reading:
    reading = Reading()
    reading.feed(rendered)
    reading.close()
    return reading


def non_whitespace(text: str) -> str:
    return "".join(text.split())


def expected_display(url: str) -> str:
    shown = re.sub(r"^(?i:https?)://", "", url)
    if count_characters(shown) <= 40:
        return shown
    graphemes: list[str] = regex.findall(r"\X", shown)
    return "".join(graphemes[:39]) + "…"


FRAGMENTS = (
    "#été",
    "#Élection2027",
    "#e\u0301te\u0301",
    "#2027",
    "#_",
    "C#",
    "@alice",
    "@Alice",
    "@bob_2",
    "@carol",
    "@dave@remote.example",
    "a@b.c",
    "mail@example.com",
    "https://x.y/",
    "http://example.com/a_(b)",
    "HTTPS://EXAMPLE.COM",
    "https://",
    "https://a:b/",
    'https://x.y/"onmouseover=alert(1)',
    "javascript:alert(1)",
    "<script>",
    "</p>",
    "<a href=x>",
    "&amp;",
    "&",
    "&lt;",
    '"',
    "'",
    "(",
    ")",
    ".",
    ",",
    "\n",
    "\n\n",
    "\r\n",
    " ",
    "\t",
    "\x00",
    "é",
    "e\u0301",
    "👨‍👩‍👧‍👦",
    "🇫🇷",
)
texts = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=12).map("".join),
)


# --- count_characters -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("hello", 5),
        ("e\u0301", 1),
        ("cafe\u0301", 4),
        ("café", 4),
        ("🇫🇷", 1),
        ("🇫🇷🇧🇪", 2),
        ("👨\u200d👩\u200d👧\u200d👦", 1),
        ("👍🏽", 1),
        ("a\r\nb", 3),
    ],
)
def test_count_characters_counts_grapheme_clusters(text: str, expected: int) -> None:
    assert count_characters(text) == expected


def test_post_limit_boundary_is_in_user_perceived_characters() -> None:
    assert MAX_POST_CHARACTERS == 500
    family = "👨\u200d👩\u200d👧\u200d👦"
    assert count_characters("a" * 500) == 500
    assert count_characters("a" * 501) == 501
    assert count_characters("e\u0301" * 500) == 500  # 1000 code points
    assert count_characters(family * 500) == 500  # 3500 code points
    assert count_characters(family * 501) == MAX_POST_CHARACTERS + 1


@given(st.text(), st.text())
def test_count_characters_is_additive_across_a_line_break(a: str, b: str) -> None:
    # LF always breaks clusters on both sides unless a CR precedes it.
    a = a.replace("\r", "")
    assert count_characters(a + "\n" + b) == count_characters(a) + 1 + count_characters(b)
    assert count_characters(a) <= len(a)


# --- parse_text: hashtags ----------------------------------------------------


def test_french_hashtags_are_casefolded_in_order_and_unique() -> None:
    parsed = parse_text("Vive l'#été ! #Élection2027 #ÉTÉ #Été, #été.")
    assert parsed.hashtags == ("été", "élection2027")


def test_decomposed_and_precomposed_hashtags_are_the_same_tag() -> None:
    assert parse_text("#e\u0301te\u0301 #été").hashtags == ("été",)


def test_hashtags_in_other_scripts() -> None:
    assert parse_text("#日本語 #Москва #عربي #Straße").hashtags == (
        "日本語",
        "москва",
        "عربي",
        "strasse",
    )


def test_hashtag_needs_a_letter_and_a_non_word_before_it() -> None:
    assert parse_text("#2027 #_ #42_ C# x#tag #a1 (#b2)").hashtags == ("a1", "b2")


def test_hashtag_length_limit() -> None:
    assert parse_text("#" + "a" * 100).hashtags == ("a" * 100,)
    assert parse_text("#" + "a" * 101).hashtags == ()


def test_hashtag_inside_url_fragment_is_not_a_hashtag() -> None:
    parsed = parse_text("https://x.y/page#section")
    assert parsed.hashtags == ()
    assert parsed.links == ("https://x.y/page#section",)


# --- parse_text: mentions ----------------------------------------------------


def test_mentions_are_lowercased_unique_and_ordered() -> None:
    assert parse_text("@Bob_2 hi @alice, and @ALICE!").mentions == ("bob_2", "alice")


def test_email_addresses_are_not_mentions() -> None:
    parsed = parse_text("Write to a@b.c or first.last@example.com or x+y@mail.org")
    assert parsed.mentions == ()


def test_remote_mentions_are_ignored() -> None:
    assert parse_text("@carol@remote.example and @dave").mentions == ("dave",)
    assert parse_text("(@carol@remote.example)").mentions == ()


def test_username_rules() -> None:
    assert parse_text("@" + "a" * 30).mentions == ("a" * 30,)
    assert parse_text("@" + "a" * 31).mentions == ()
    assert parse_text("@alicé").mentions == ()
    assert parse_text("@alice's post").mentions == ("alice",)


def test_mention_inside_url_is_not_a_mention() -> None:
    parsed = parse_text("https://mastodon.social/@alice")
    assert parsed.mentions == ()
    assert parsed.links == ("https://mastodon.social/@alice",)


# --- parse_text: links -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("See https://example.com.", "https://example.com"),
        ("https://example.com/a?b=1&c=2, next", "https://example.com/a?b=1&c=2"),
        ("Really? https://example.com/?!", "https://example.com/"),
        ("(https://example.com/path)", "https://example.com/path"),
        (
            "https://en.wikipedia.org/wiki/Python_(programming_language)",
            "https://en.wikipedia.org/wiki/Python_(programming_language)",
        ),
        (
            "(see https://en.wikipedia.org/wiki/Python_(programming_language)).",
            "https://en.wikipedia.org/wiki/Python_(programming_language)",
        ),
        ("'https://example.com/x'", "https://example.com/x"),
        ('"https://example.com/x"', "https://example.com/x"),
        ("https://example.com/x;:", "https://example.com/x"),
        ("« https://fr.example/été »", "https://fr.example/été"),
        ("HTTPS://EXAMPLE.COM/X", "HTTPS://EXAMPLE.COM/X"),
        ("http://example.com:8080/a#b", "http://example.com:8080/a#b"),
        ('https://x.y/"onmouseover=alert(1)', "https://x.y/"),
    ],
)
def test_link_boundaries(text: str, link: str) -> None:
    assert parse_text(text).links == (link,)


@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(1)",
        "ftp://example.com",
        "xhttps://example.com",
        "https://",
        "https:// example.com",
        "https://a:b/",  # unparseable port: would lose its href, so not a link
        "data:text/html,<script>",
    ],
)
def test_not_links(text: str) -> None:
    assert parse_text(text).links == ()


def test_links_unique_in_order() -> None:
    parsed = parse_text("https://b.example https://a.example https://b.example.")
    assert parsed == ParsedText(
        hashtags=(), mentions=(), links=("https://b.example", "https://a.example")
    )


# --- render_html ---------------------------------------------------------------


def test_paragraphs_and_line_breaks() -> None:
    assert render("a\nb\n\nc") == "<p>a<br>b</p><p>c</p>"
    assert render("\n\n a \r\n \t \r\nb\r\n\n\n") == "<p>a</p><p>b</p>"
    assert render("") == ""
    assert render(" \n\n ") == ""


def test_script_is_escaped() -> None:
    out = render("<script>alert(1)</script> & <b>bold</b>")
    assert out == "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;</p>"


def test_quote_in_url_cannot_inject_an_attribute() -> None:
    out = render('go https://x.y/"onmouseover=alert(1) now')
    assert out == f'<p>go {link_html("https://x.y/", "x.y/")}"onmouseover=alert(1) now</p>'
    out = render("https://x.y/'onmouseover='alert(1)'")
    assert [t for t in re.findall(r"<[^>]*>", out) if "onmouseover" in t] == [
        f'<a href="https://x.y/\'onmouseover=\'alert(1)" rel="{LINK_REL}" target="_blank">'
    ]
    assert read(out).links == [("https://x.y/'onmouseover='alert(1)", "x.y/'onmouseover='alert(1)")]


def test_javascript_never_becomes_a_link() -> None:
    assert render("javascript:alert(1)") == "<p>javascript:alert(1)</p>"
    # Even a hostile callback cannot produce a javascript: href.
    out = render_html("@alice", mention_url=lambda _: "javascript:alert(1)", tag_url=tag_url)
    assert out == '<p><a class="u-url mention">@<span>alice</span></a></p>'


def test_link_rendering_escapes_and_truncates() -> None:
    assert render("https://x.y/?a=1&b=2") == (
        f"<p>{link_html('https://x.y/?a=1&amp;b=2', 'x.y/?a=1&amp;b=2')}</p>"
    )
    long_url = "https://example.com/" + "a" * 50
    out = render(long_url)
    assert out == f"<p>{link_html(long_url, 'example.com/' + 'a' * 27 + '…')}</p>"
    exactly_40 = "http://" + "b" * 40
    assert render(exactly_40) == f"<p>{link_html(exactly_40, 'b' * 40)}</p>"


def test_hashtag_rendering_keeps_written_form_and_links_normalized_tag() -> None:
    out = render("#Été!")
    assert out == (
        '<p><a href="https://town.example/tags/%C3%A9t%C3%A9" class="mention hashtag" rel="tag">'
        "#<span>Été</span></a>!</p>"
    )


def test_mentions_link_only_known_local_users() -> None:
    out = render("@Alice @carol @bob_2@remote.example")
    assert out == (
        '<p><a href="https://town.example/@alice" class="u-url mention">@<span>Alice</span></a>'
        " @carol @bob_2@remote.example</p>"
    )


def test_callback_urls_are_escaped() -> None:
    out = render_html("#tag", mention_url=mention_url, tag_url=lambda t: f'/t?x="{t}"&<')
    assert out == (
        '<p><a href="/t?x=&quot;tag&quot;&amp;&lt;" class="mention hashtag" rel="tag">'
        "#<span>tag</span></a></p>"
    )


def test_sanitizer_keeps_our_rel_class_and_target() -> None:
    out = render("#a @alice https://x.y")
    assert 'rel="tag"' in out
    assert 'class="mention hashtag"' in out
    assert 'class="u-url mention"' in out
    assert f'rel="{LINK_REL}"' in out
    assert 'target="_blank"' in out


@settings(max_examples=300)
@given(texts)
@example('https://x.y/"<script>alert(1)</script>')
@example("a\x00b https://x.y/\x00c")
def test_render_html_is_structurally_safe_and_lossless(text: str) -> None:
    out = render(text)
    leftover = ALLOWED_TAG.sub("", out)
    assert "<" not in leftover
    assert ">" not in leftover

    reading = read(out)
    expected = text.replace("\x00", "\ufffd")
    assert non_whitespace("".join(reading.parts)) == non_whitespace(expected)
    for href, display in reading.links:
        assert re.match(r"(?i)https?://", href)
        assert display == expected_display(href)
    for href, inner in reading.hashtags:
        tag = unicodedata.normalize("NFC", inner.removeprefix("#").casefold())
        assert href == tag_url(tag)
    for href, inner in reading.mentions:
        assert href == mention_url(inner.removeprefix("@").lower())


@settings(max_examples=300)
@given(texts)
def test_parse_and_render_agree(text: str) -> None:
    parsed = parse_text(text)
    reading = read(render(text))
    assert set(parsed.links) == {href for href, _ in reading.links}
    assert {tag_url(t) for t in parsed.hashtags} == {href for href, _ in reading.hashtags}
    linked = {mention_url(m) for m in parsed.mentions} - {None}
    assert linked == {href for href, _ in reading.mentions}
    for link in parsed.links:
        assert link in text
    for mention in parsed.mentions:
        assert re.fullmatch(r"[a-z0-9_]{1,30}", mention)


# --- render_plain_html -----------------------------------------------------------


def test_plain_html_links_only() -> None:
    out = render_plain_html("  Hi #tag @alice\nsee https://x.y/ok.\n\n<b>z</b> ")
    assert out == (
        f"Hi #tag @alice<br>see {link_html('https://x.y/ok', 'x.y/ok')}.<br><br>"
        "&lt;b&gt;z&lt;/b&gt;"
    )
    assert render_plain_html("") == ""


@settings(max_examples=200)
@given(texts)
def test_render_plain_html_is_structurally_safe_and_lossless(text: str) -> None:
    out = render_plain_html(text)
    leftover = PLAIN_ALLOWED_TAG.sub("", out)
    assert "<" not in leftover
    assert ">" not in leftover
    reading = read(out)
    assert reading.hashtags == []
    assert reading.mentions == []
    assert non_whitespace("".join(reading.parts)) == non_whitespace(text.replace("\x00", "\ufffd"))


# --- normalize_for_search ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Élection", "election"),
        ("ÉTÉ", "ete"),
        ("E\u0301TE\u0301", "ete"),
        ("  Vive\n\tl'été \u00a0 2027 ", "vive l'ete 2027"),
        ("ﬁn", "fin"),
        ("Straße", "strasse"),
        ("Ça", "ca"),
        ("", ""),
    ],
)
def test_normalize_for_search(text: str, expected: str) -> None:
    assert normalize_for_search(text) == expected


def test_accents_match_either_way() -> None:
    indexed = normalize_for_search("Les élections de l'ÉTÉ")
    for query in ("election", "ÉLECTIONS", "ete", "L'Été"):
        assert normalize_for_search(query) in indexed


@given(st.text())
@example("\u0345")
@example("ℌ")
def test_normalize_for_search_is_idempotent(text: str) -> None:
    once = normalize_for_search(text)
    assert normalize_for_search(once) == once


def test_normalize_for_search_is_idempotent_for_every_code_point() -> None:
    # All steps act per code point and the output holds no non-starters, so a
    # string's output is stable iff every output character is: this checks all.
    for code_point in range(0x110000):
        for char in normalize_for_search(chr(code_point)):
            assert char == " " or normalize_for_search(char) == char, hex(code_point)
