"""Settings come from `TOWNSQUARE_*` variables; bad values are refused with a usable message."""

import stat
from pathlib import Path

import pytest

from townsquare.microblog import ThrottleLimits
from townsquare.settings import (
    LedgerWitness,
    RateLimitSettings,
    S3Settings,
    Settings,
    SettingsError,
    base_url_reaches,
    load_settings,
    read_or_create_secret,
    served_base_url,
)


def test_defaults_give_an_embedded_sqlite_set_up() -> None:
    settings = load_settings({})
    assert settings == Settings()
    assert settings.resolved_database_url == "sqlite:///data/townsquare.db"
    assert settings.resolved_secret_key_file == Path("data/secret.key")
    assert settings.registrations_open is True


def test_every_variable_is_read() -> None:
    settings = load_settings(
        {
            "TOWNSQUARE_DATA_DIR": "/srv/town",
            "TOWNSQUARE_DATABASE_URL": "postgresql://town@db/town",
            "TOWNSQUARE_BASE_URL": "https://town.example/",
            "TOWNSQUARE_INSTANCE_TITLE": "Place du village",
            "TOWNSQUARE_INSTANCE_DESCRIPTION": "Un microblog",
            "TOWNSQUARE_CONTACT_EMAIL": "mairie@town.example",
            "TOWNSQUARE_REGISTRATIONS_OPEN": "no",
            "TOWNSQUARE_MAX_REQUEST_BYTES": "2048",
            "TOWNSQUARE_SECRET_KEY_FILE": "/run/secrets/town",
            "UNRELATED": "ignored",
        }
    )
    assert settings.data_dir == Path("/srv/town")
    assert settings.resolved_database_url == "postgresql://town@db/town"
    assert settings.base_url == "https://town.example"
    assert settings.domain == "town.example"
    assert settings.instance_title == "Place du village"
    assert settings.instance_description == "Un microblog"
    assert settings.contact_email == "mairie@town.example"
    assert settings.registrations_open is False
    assert settings.max_request_bytes == 2048
    assert settings.resolved_secret_key_file == Path("/run/secrets/town")


def test_the_process_environment_is_the_default_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOWNSQUARE_INSTANCE_TITLE", "From the environment")
    assert load_settings().instance_title == "From the environment"


def test_sqlite_file_lives_in_the_data_folder() -> None:
    settings = load_settings({"TOWNSQUARE_DATA_DIR": "/var/lib/town"})
    assert settings.resolved_database_url == "sqlite:////var/lib/town/townsquare.db"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("TRUE", True), (" yes ", True), ("on", True), ("0", False), ("Off", False)],
)
def test_booleans_accept_the_usual_spellings(raw: str, expected: bool) -> None:
    settings = load_settings({"TOWNSQUARE_REGISTRATIONS_OPEN": raw})
    assert settings.registrations_open is expected


def test_a_bad_boolean_names_the_variable_and_the_value() -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings({"TOWNSQUARE_REGISTRATIONS_OPEN": "maybe"})
    message = str(raised.value)
    assert "TOWNSQUARE_REGISTRATIONS_OPEN" in message
    assert "'maybe'" in message
    assert "true or false" in message


@pytest.mark.parametrize("raw", ["lots", "1.5", "1e6", "ten"])
def test_a_bad_number_names_the_variable_and_the_value(raw: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings({"TOWNSQUARE_MAX_REQUEST_BYTES": raw})
    assert "TOWNSQUARE_MAX_REQUEST_BYTES" in str(raised.value)
    assert repr(raw) in str(raised.value)
    assert "whole number" in str(raised.value)


def test_settings_error_is_an_invalid_input_error() -> None:
    from townsquare.kernel import InvalidInputError, TownsquareError

    assert issubclass(SettingsError, InvalidInputError)
    assert issubclass(SettingsError, TownsquareError)


def test_secret_is_created_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "secret.key"
    key = read_or_create_secret(path)
    assert len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_secret_is_reused_once_created(tmp_path: Path) -> None:
    path = tmp_path / "secret.key"
    first = read_or_create_secret(path)
    assert read_or_create_secret(path) == first
    assert path.read_text().strip() == first.hex()


def test_each_new_secret_is_different(tmp_path: Path) -> None:
    assert read_or_create_secret(tmp_path / "a") != read_or_create_secret(tmp_path / "b")


@pytest.mark.parametrize("raw", ["0", "-5"])
def test_request_size_must_be_positive(raw: str) -> None:
    with pytest.raises(SettingsError, match="greater than zero"):
        load_settings({"TOWNSQUARE_MAX_REQUEST_BYTES": raw})


@pytest.mark.parametrize("raw", ["example.org", "ftp://example.org", "https://example.org/sub"])
def test_base_url_needs_a_scheme_and_host_only(raw: str) -> None:
    with pytest.raises(SettingsError, match="TOWNSQUARE_BASE_URL"):
        load_settings({"TOWNSQUARE_BASE_URL": raw})


def test_base_url_loses_its_trailing_slash() -> None:
    assert load_settings({"TOWNSQUARE_BASE_URL": "https://example.org/"}).base_url == (
        "https://example.org"
    )


def test_a_corrupted_secret_file_is_a_settings_error(tmp_path: Path) -> None:
    path = tmp_path / "secret.key"
    path.write_text("not hex\n")
    with pytest.raises(SettingsError, match="hexadecimal"):
        read_or_create_secret(path)


def test_a_short_secret_file_is_a_settings_error(tmp_path: Path) -> None:
    path = tmp_path / "secret.key"
    path.write_text("abcd\n")
    with pytest.raises(SettingsError, match="2-byte key"):
        read_or_create_secret(path)


def test_the_ledger_key_lives_in_the_data_folder_by_default() -> None:
    settings = load_settings({"TOWNSQUARE_DATA_DIR": "/srv/town"})
    assert settings.resolved_ledger_key_file == Path("/srv/town/ledger.key")
    assert settings.ledger_witnesses == ()
    assert settings.ledger_resign_seconds == 60


def test_the_ledger_variables_are_read() -> None:
    settings = load_settings(
        {
            "TOWNSQUARE_BASE_URL": "https://town.example",
            "TOWNSQUARE_LEDGER_KEY_FILE": "/etc/town/ledger.key",
            "TOWNSQUARE_LEDGER_WITNESSES": (
                "https://w1.example/ w1.example+01020304+BAAA, "
                "\nhttps://w2.example/x w2.example+0a0b0c0d+BBBB"
            ),
            "TOWNSQUARE_LEDGER_RESIGN_SECONDS": "15",
        }
    )
    assert settings.ledger_key_file == Path("/etc/town/ledger.key")
    assert settings.ledger_witnesses == (
        LedgerWitness("https://w1.example", "w1.example+01020304+BAAA"),
        LedgerWitness("https://w2.example/x", "w2.example+0a0b0c0d+BBBB"),
    )
    assert settings.ledger_resign_seconds == 15
    assert settings.ledger_origin == "town.example/ledger"


@pytest.mark.parametrize(
    "raw", ["https://w.example", "w.example w+01020304+BAAA", "https://w.example notakey"]
)
def test_a_bad_witness_names_the_variable(raw: str) -> None:
    with pytest.raises(SettingsError, match="TOWNSQUARE_LEDGER_WITNESSES"):
        load_settings({"TOWNSQUARE_LEDGER_WITNESSES": raw})


def test_the_resign_interval_must_be_positive() -> None:
    with pytest.raises(SettingsError, match="TOWNSQUARE_LEDGER_RESIGN_SECONDS"):
        load_settings({"TOWNSQUARE_LEDGER_RESIGN_SECONDS": "0"})


def test_the_redis_url_is_optional_and_read() -> None:
    assert load_settings({}).redis_url == ""
    settings = load_settings({"TOWNSQUARE_REDIS_URL": " redis://127.0.0.1:6379/2 "})
    assert settings.redis_url == "redis://127.0.0.1:6379/2"


def test_the_redis_key_prefix_is_read() -> None:
    assert load_settings({}).redis_key_prefix == "townsquare"
    settings = load_settings({"TOWNSQUARE_REDIS_KEY_PREFIX": "town-2"})
    assert settings.redis_key_prefix == "town-2"


def test_the_country_header_is_read_as_a_header_name() -> None:
    assert load_settings({}).country_header == ""
    assert load_settings({"TOWNSQUARE_COUNTRY_HEADER": " CF-IPCountry "}).country_header == (
        "cf-ipcountry"
    )


@pytest.mark.parametrize("raw", ["127.0.0.1:6379", "http://127.0.0.1:6379", "memcached://x"])
def test_a_redis_url_that_is_not_one_names_the_variable(raw: str) -> None:
    with pytest.raises(SettingsError, match="TOWNSQUARE_REDIS_URL"):
        load_settings({"TOWNSQUARE_REDIS_URL": raw})


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        ("127.0.0.1", 8000, "http://127.0.0.1:8000"),
        ("127.0.0.1", 8765, "http://127.0.0.1:8765"),
        ("localhost", 9000, "http://localhost:9000"),
        ("town.example", 80, "http://town.example"),
        ("0.0.0.0", 8080, "http://127.0.0.1:8080"),
        ("::", 8080, "http://[::1]:8080"),
        ("::1", 8443, "http://[::1]:8443"),
        ("[::1]", 8443, "http://[::1]:8443"),
    ],
)
def test_the_served_base_url_names_the_host_and_port(host: str, port: int, expected: str) -> None:
    assert served_base_url(host, port) == expected
    assert load_settings({"TOWNSQUARE_BASE_URL": expected}).base_url == expected
    assert base_url_reaches(expected, host, port)


@pytest.mark.parametrize(
    ("base_url", "host", "port"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1", 8000),
        ("http://localhost:8000", "127.0.0.1", 8000),
        ("http://[::1]:8000", "localhost", 8000),
        ("http://town.example", "0.0.0.0", 80),
        ("https://town.example", "::", 443),
        ("http://TOWN.example:8000", "town.example", 8000),
    ],
)
def test_a_base_url_reaches_the_server_on_its_host_and_port(
    base_url: str, host: str, port: int
) -> None:
    assert base_url_reaches(base_url, host, port)


@pytest.mark.parametrize(
    ("base_url", "host", "port"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1", 8765),  # the issue: the default, another port
        ("https://town.example", "127.0.0.1", 8000),  # behind a reverse proxy
        ("http://town.example:8000", "127.0.0.1", 8000),
        ("http://town.example", "0.0.0.0", 8000),
    ],
)
def test_a_base_url_naming_another_address_does_not_reach_the_server(
    base_url: str, host: str, port: int
) -> None:
    assert not base_url_reaches(base_url, host, port)


def test_the_notes_minimum_account_age_is_read_and_may_be_zero() -> None:
    assert Settings().notes_min_account_age_days == 7
    read = load_settings({"TOWNSQUARE_NOTES_MIN_ACCOUNT_AGE_DAYS": "0"})
    assert read.notes_min_account_age_days == 0
    with pytest.raises(SettingsError, match=r"TOWNSQUARE_NOTES_MIN_ACCOUNT_AGE_DAYS.*zero or more"):
        load_settings({"TOWNSQUARE_NOTES_MIN_ACCOUNT_AGE_DAYS": "-1"})
    with pytest.raises(SettingsError, match="whole number, found 'week'"):
        load_settings({"TOWNSQUARE_NOTES_MIN_ACCOUNT_AGE_DAYS": "week"})


def test_the_notes_scoring_interval_is_read_and_must_be_positive() -> None:
    assert load_settings({}).notes_scoring_minutes == 60
    assert load_settings({"TOWNSQUARE_NOTES_SCORING_MINUTES": "15"}).notes_scoring_minutes == 15
    with pytest.raises(SettingsError, match="TOWNSQUARE_NOTES_SCORING_MINUTES"):
        load_settings({"TOWNSQUARE_NOTES_SCORING_MINUTES": "0"})


def test_rate_limits_are_on_by_default_with_mastodon_like_allowances() -> None:
    limits = load_settings({}).rate_limits
    assert limits == RateLimitSettings()
    assert limits.enabled is True
    assert limits.posts_per_account == "300/3 hours"
    assert limits.follows_per_account == limits.reports_per_account == "400/day"


def test_the_default_sign_in_tiers_are_the_throttles_own() -> None:
    limits = RateLimitSettings()
    parsed = ThrottleLimits.parse(limits.sign_ins_per_account, limits.sign_ins_per_address)
    assert parsed == ThrottleLimits()


def test_every_rate_limit_variable_is_read() -> None:
    settings = load_settings(
        {
            "TOWNSQUARE_RATE_LIMITS": "off",
            "TOWNSQUARE_RATE_LIMIT_POSTS_PER_ACCOUNT": "10/minute",
            "TOWNSQUARE_RATE_LIMIT_POSTS_PER_ADDRESS": "50 per hour",
            "TOWNSQUARE_RATE_LIMIT_FOLLOWS_PER_ACCOUNT": "1/second;100/day",
            "TOWNSQUARE_RATE_LIMIT_FOLLOWS_PER_ADDRESS": "none",
            "TOWNSQUARE_RATE_LIMIT_REPORTS_PER_ACCOUNT": "20/hour",
            "TOWNSQUARE_RATE_LIMIT_REPORTS_PER_ADDRESS": "OFF",
            "TOWNSQUARE_RATE_LIMIT_REGISTRATIONS_PER_ADDRESS": "3/hour",
            "TOWNSQUARE_RATE_LIMIT_SIGN_INS_PER_ACCOUNT": "3/minute;6/hour",
            "TOWNSQUARE_RATE_LIMIT_SIGN_INS_PER_ADDRESS": "30/minute",
        }
    )
    assert settings.rate_limits == RateLimitSettings(
        enabled=False,
        posts_per_account="10/minute",
        posts_per_address="50 per hour",
        follows_per_account="1/second;100/day",
        follows_per_address="",
        reports_per_account="20/hour",
        reports_per_address="",
        registrations_per_address="3/hour",
        sign_ins_per_account="3/minute;6/hour",
        sign_ins_per_address="30/minute",
    )


@pytest.mark.parametrize("raw", ["lots", "10", "0/minute", "10/fortnight", "-1/hour"])
def test_a_bad_rate_limit_names_the_variable_and_the_value(raw: str) -> None:
    with pytest.raises(
        SettingsError, match=r"TOWNSQUARE_RATE_LIMIT_POSTS_PER_ACCOUNT.*'300/3 hours'"
    ):
        load_settings({"TOWNSQUARE_RATE_LIMIT_POSTS_PER_ACCOUNT": raw})


def test_the_rate_limit_switch_is_a_boolean() -> None:
    with pytest.raises(SettingsError, match="TOWNSQUARE_RATE_LIMITS"):
        load_settings({"TOWNSQUARE_RATE_LIMITS": "sometimes"})


def test_media_settings_come_from_the_environment(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "TOWNSQUARE_DATA_DIR": str(tmp_path),
            "TOWNSQUARE_MEDIA_MAX_BYTES": "5000000",
            "TOWNSQUARE_MEDIA_MAX_PIXELS": "4000000",
            "TOWNSQUARE_MEDIA_REQUIRE_DESCRIPTION": "true",
            "TOWNSQUARE_S3_BUCKET": "pictures",
            "TOWNSQUARE_S3_ENDPOINT_URL": "https://s3.example.org/",
            "TOWNSQUARE_S3_REGION": "fr-par",
            "TOWNSQUARE_S3_PREFIX": "/town/",
        }
    )
    assert settings.media.max_bytes == 5_000_000
    assert settings.media.max_pixels == 4_000_000
    assert settings.media.require_description
    assert settings.resolved_media_directory == tmp_path / "media"
    assert settings.media.s3 == S3Settings(
        bucket="pictures", endpoint_url="https://s3.example.org", region="fr-par", prefix="town"
    )
    assert load_settings({}).media.s3 is None
    with pytest.raises(SettingsError, match="TOWNSQUARE_S3_ENDPOINT_URL"):
        load_settings({"TOWNSQUARE_S3_BUCKET": "b", "TOWNSQUARE_S3_ENDPOINT_URL": "s3.example"})
    with pytest.raises(SettingsError, match="TOWNSQUARE_MEDIA_MAX_BYTES"):
        load_settings({"TOWNSQUARE_MEDIA_MAX_BYTES": "0"})
