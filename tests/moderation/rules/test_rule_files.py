"""Rules as code: the shipped rules load and cite clause versions allowing their actions;
a rule or blocklist file that breaks the format is refused, naming the file and the field
or line."""

from pathlib import Path

import pytest

from moderation.rules.factories import VERSION, write_blocklist, write_rule
from townsquare.kernel import InvalidInputError, NotFoundError
from townsquare.moderation import (
    ModerationError,
    PolicySet,
    default_policy_directory,
    load_policies,
)
from townsquare.moderation.rules import (
    ACTING_KINDS,
    Effect,
    MatchKind,
    RuleError,
    RuleSet,
    UnknownRuleError,
    UrlBlocklist,
    default_rule_directory,
    load_rules,
    parse_blocklist,
)

REPOSITORY = Path(__file__).parents[3]


@pytest.fixture(scope="module")
def policies() -> PolicySet:
    return load_policies(default_policy_directory())


@pytest.fixture(scope="module")
def shipped(policies: PolicySet) -> RuleSet:
    return load_rules(default_rule_directory(), policies)


def _version(**changes: str) -> str:
    """One version of the posting-burst rule with lines replaced: `key="new line"`, or
    `key=""` to drop the line starting with `key =`."""
    lines = VERSION.format(version=1, description="Too many links.").splitlines()
    out = []
    for line in lines:
        key = line.split(" = ")[0].strip()
        if key in changes:
            if changes[key]:
                out.append(changes[key])
            continue
        out.append(line)
    return "\n".join(out) + "\n"


def _refused(tmp_path: Path, policies: PolicySet, text: str, name: str = "link-spam") -> str:
    (tmp_path / f"{name}.toml").write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as raised:
        load_rules(tmp_path, policies)
    return str(raised.value)


# -- the shipped rules ------------------------------------------------------------------------


def test_the_shipped_rules_cover_the_required_kinds(shipped: RuleSet) -> None:
    kinds = {rule.match.kind for rule in shipped.rules.values()}
    assert kinds == set(MatchKind)
    assert set(shipped.rules) == {
        "malicious-links",
        "link-spam",
        "posting-burst",
        "copied-text",
        "new-account-swarm",
        "mass-mentions",
        "report-storm",
    }


def test_every_shipped_rule_cites_a_clause_version_allowing_its_action(
    shipped: RuleSet, policies: PolicySet
) -> None:
    for rule in shipped.versions():
        clause = policies.clause(rule.clause)
        assert "@" in rule.clause
        assert rule.action in clause.allowed_actions, rule.ref


def test_every_shipped_rule_is_written_in_english_and_french(shipped: RuleSet) -> None:
    for rule in shipped.versions():
        assert set(rule.title) == set(rule.description) == {"en", "fr"}
        assert rule.title["en"] != rule.title["fr"], rule.ref


def test_only_clear_cut_shipped_rules_act(shipped: RuleSet) -> None:
    acting = {rule.id for rule in shipped.versions() if rule.effect == Effect.ACT}
    assert acting == {"malicious-links"}
    for rule in shipped.versions():
        assert (rule.effect == Effect.ACT) == (rule.severity is None)
        assert rule.effect == Effect.OPEN_CASE or rule.match.kind in ACTING_KINDS


def test_the_shipped_blocklist_names_sources_and_only_example_domains(shipped: RuleSet) -> None:
    match = shipped.rules["malicious-links"].match
    assert isinstance(match, UrlBlocklist)
    assert match.blocklist.sources
    assert all(d.endswith((".example", ".invalid")) for d in match.blocklist.domains)


def test_the_wheel_carries_the_rules_inside_the_policy_copy() -> None:
    # pyproject force-includes `policies/` as the packaged policy directory, so the rules
    # (a folder of it) ship with it and `default_rule_directory` finds them in either copy.
    assert default_rule_directory() == default_policy_directory() / "rules"
    assert '"policies" = "townsquare/moderation/default_policies"' in (
        REPOSITORY / "pyproject.toml"
    ).read_text(encoding="utf-8")


def test_rule_errors_are_moderation_errors_and_bad_input() -> None:
    assert issubclass(RuleError, ModerationError)
    assert issubclass(RuleError, InvalidInputError)


# -- versions and hashes ----------------------------------------------------------------------


def test_versions_are_kept_oldest_first(tmp_path: Path, policies: PolicySet) -> None:
    write_rule(tmp_path, "One.", "Two.")
    rules = load_rules(tmp_path, policies)
    assert [r.ref for r in rules.history("link-spam")] == ["link-spam@1", "link-spam@2"]
    assert rules.rules["link-spam"].version == 2
    first, second = rules.history("link-spam")
    assert first.content_hash != second.content_hash


def test_versions_must_be_numbered_from_one(tmp_path: Path, policies: PolicySet) -> None:
    message = _refused(tmp_path, policies, _version(version="version = 2"))
    assert message == (
        "link-spam.toml: versions[0].version: expected version 1 (versions are 1, 2, … oldest "
        "first), found 2"
    )


def test_a_version_must_change_something(tmp_path: Path, policies: PolicySet) -> None:
    write_rule(tmp_path, "Same.", "Same.")
    with pytest.raises(RuleError, match=r"versions\[1\]: expected a change"):
        load_rules(tmp_path, policies)


def test_a_changed_blocklist_changes_the_rule_hash(tmp_path: Path, policies: PolicySet) -> None:
    def loaded_hash(*domains: str) -> str:
        write_blocklist(tmp_path, "bad-1", *domains)
        (tmp_path / "bad.toml").write_text(
            _version(
                clause='clause = "spam-and-platform-manipulation/3@1"',
                action='action = "remove"',
                severity='effect = "act"',
                kind='kind = "url_blocklist"',
                min_posts='blocklist = "bad-1"',
                window_minutes="",
                links_only="",
            ),
            encoding="utf-8",
        )
        return load_rules(tmp_path, policies).rules["bad"].content_hash

    assert loaded_hash("a.example") != loaded_hash("a.example", "b.example")


# -- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"clause": 'clause = "spam-and-platform-manipulation/9@1"'},
            "link-spam.toml: versions[0].clause: clause 'spam-and-platform-manipulation/9@1': "
            "expected one of",
        ),
        (
            {"clause": 'clause = "spam-and-platform-manipulation/1"'},
            "link-spam.toml: versions[0].clause: expected a clause version, as "
            "policy/number@version, found 'spam-and-platform-manipulation/1'",
        ),
        (
            {"clause": 'clause = "spam-and-platform-manipulation/3@1"'},
            "link-spam.toml: versions[0].clause: expected a clause allowing limit "
            "(spam-and-platform-manipulation/3@1 allows",
        ),
        (
            {"action": 'action = "remove"'},
            "link-spam.toml: versions[0].action: expected one of limit, suspend, warn, "
            "found 'remove'",
        ),
        (
            {"action": 'action = "label"'},
            "link-spam.toml: versions[0].action: expected one of limit, suspend, warn",
        ),
        (
            {
                "action": 'action = "limit"',
                "kind": 'kind = "report_storm"',
                "min_posts": "min_reports = 10",
                "links_only": "",
            },
            "link-spam.toml: versions[0].action: expected one of no_action, found 'limit'",
        ),
        (
            {"severity": 'effect = "act"'},
            "link-spam.toml: versions[0].effect: expected open_case (only url_blocklist rules "
            "may act), found 'act'",
        ),
        (
            {"severity": ""},
            "link-spam.toml: versions[0].severity: expected a whole number from 1, found None",
        ),
        (
            {"severity": "severity = 5"},
            "link-spam.toml: versions[0].severity: expected a severity from 1 to 4, found 5",
        ),
        (
            {"title.fr": ""},
            "link-spam.toml: versions[0].title.fr: expected text in each of en, fr, found None",
        ),
        (
            {"kind": 'kind = "telepathy"'},
            "link-spam.toml: versions[0].match.kind: expected one of mass_mentions, "
            "new_account_swarm, posting_burst, report_storm, same_text, url_blocklist, "
            "found 'telepathy'",
        ),
        (
            {"min_posts": "min_posts = 1"},
            "link-spam.toml: versions[0].match.min_posts: expected a whole number from 2, found 1",
        ),
        (
            {"window_minutes": "window_minutes = 0"},
            "link-spam.toml: versions[0].match.window_minutes: expected a whole number from 1",
        ),
        (
            {"links_only": 'links_only = "yes"'},
            "link-spam.toml: versions[0].match.links_only: expected true or false, found 'yes'",
        ),
        (
            {"links_only": "max_mentions = 3"},
            "link-spam.toml: versions[0].match.max_mentions: expected only the keys kind, "
            "links_only, min_posts, window_minutes",
        ),
        (
            {"action": 'action = "limit"\nsummary = "?"'},
            "link-spam.toml: versions[0].summary: expected only the keys",
        ),
    ],
)
def test_a_broken_rule_is_refused_naming_the_file_and_field(
    tmp_path: Path, policies: PolicySet, changes: dict[str, str], expected: str
) -> None:
    assert _refused(tmp_path, policies, _version(**changes)).startswith(expected)


def test_an_acting_rule_has_no_severity(tmp_path: Path, policies: PolicySet) -> None:
    write_blocklist(tmp_path, "bad-1", "a.example")
    text = _version(
        clause='clause = "spam-and-platform-manipulation/3@1"',
        action='action = "remove"\neffect = "act"',
        kind='kind = "url_blocklist"',
        min_posts='blocklist = "bad-1"',
        window_minutes="",
        links_only="",
    )
    message = _refused(tmp_path, policies, text, name="bad")
    assert message == (
        "bad.toml: versions[0].severity: expected no severity for a rule that acts (it opens "
        "no case), found 2"
    )


def test_a_rule_citing_an_unknown_blocklist_is_refused(tmp_path: Path, policies: PolicySet) -> None:
    write_blocklist(tmp_path, "bad-1", "a.example")
    text = _version(
        kind='kind = "url_blocklist"',
        min_posts='blocklist = "bad-2"',
        window_minutes="",
        links_only="",
    )
    message = _refused(tmp_path, policies, text)
    assert message == (
        "link-spam.toml: versions[0].match.blocklist: expected one of bad-1, found 'bad-2'"
    )


def test_invalid_toml_is_refused_with_its_line(tmp_path: Path, policies: PolicySet) -> None:
    message = _refused(tmp_path, policies, "[[versions]]\nversion = = 1\n")
    assert message.startswith("link-spam.toml: expected valid UTF-8 TOML:")
    assert "line 2" in message


def test_a_file_name_must_be_a_rule_id(tmp_path: Path, policies: PolicySet) -> None:
    message = _refused(tmp_path, policies, _version(), name="Link_Spam")
    assert message.startswith("Link_Spam.toml: expected a file name in lowercase words")


# -- blocklists -------------------------------------------------------------------------------


def test_a_blocklist_keeps_its_sources_and_domains() -> None:
    text = "# A list.\n# source: One\n#Source:Two \n\nphish.example\nxn--bcher-kva.example\n"
    blocklist = parse_blocklist("list-1", text)
    assert blocklist.sources == ("One", "Two")
    assert blocklist.domains == {"phish.example", "xn--bcher-kva.example"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "# source: One\nphish.example\nPhish.Example\n",
            "list-1.txt:3: expected a domain in lowercase ASCII such as phish.example (punycode "
            "for other scripts), found 'Phish.Example'",
        ),
        (
            "# source: One\nhttps://phish.example/login\n",
            "list-1.txt:2: expected a domain in lowercase ASCII",
        ),
        ("# source: One\nlocalhost\n", "list-1.txt:2: expected a domain"),
        (
            "# source: One\na.example\n\na.example\n",
            "list-1.txt:4: expected each domain once, found 'a.example' (line 2)",
        ),
        ("a.example\n", "list-1.txt: expected at least one '# source: …' line"),
        ("# source: One\n# nothing else\n", "list-1.txt: expected at least one domain"),
    ],
)
def test_a_broken_blocklist_is_refused_naming_its_line(text: str, expected: str) -> None:
    with pytest.raises(RuleError) as raised:
        parse_blocklist("list-1", text)
    assert str(raised.value).startswith(expected)


def test_a_blocklist_file_error_names_its_folder(tmp_path: Path, policies: PolicySet) -> None:
    write_blocklist(tmp_path, "bad-1", "not a domain")
    with pytest.raises(RuleError, match=r"^blocklists/bad-1\.txt:2: expected a domain"):
        load_rules(tmp_path, policies)


# -- finding a rule ---------------------------------------------------------------------------


def test_a_rule_is_found_by_id_or_id_at_version(tmp_path: Path, policies: PolicySet) -> None:
    write_rule(tmp_path, "One.", "Two.")
    rules = load_rules(tmp_path, policies)
    assert rules.rule("link-spam").ref == "link-spam@2"
    assert rules.rule("link-spam@1").description["en"] == "One."
    with pytest.raises(UnknownRuleError, match=r"'link-spam@3': expected one of link-spam@1, "):
        rules.rule("link-spam@3")
    with pytest.raises(UnknownRuleError, match=r"'spam': expected one of link-spam$"):
        rules.rule("spam")
    assert issubclass(UnknownRuleError, NotFoundError)
