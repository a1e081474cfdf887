"""Typed settings, read once from `TOWNSQUARE_*` environment variables and passed as arguments.

Nothing else in the package reads the environment: code receives a `Settings` value.
"""

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import urlsplit

from limits import parse_many

from townsquare.kernel import InvalidInputError

__all__ = [
    "LedgerWitness",
    "MediaSettings",
    "RateLimitSettings",
    "S3Settings",
    "Settings",
    "SettingsError",
    "base_url_reaches",
    "load_settings",
    "read_or_create_secret",
    "served_base_url",
]


class SettingsError(InvalidInputError):
    """Raised when an environment variable holds a value that cannot be used."""


@dataclass(frozen=True)
class LedgerWitness:
    """A witness the ledger submits its checkpoints to (c2sp.org/tlog-witness)."""

    url: str  # the submission prefix; checkpoints are POSTed to `<url>/add-checkpoint`
    vkey: str  # the witness's cosignature key, `<name>+<hex id>+<base64>`


@dataclass(frozen=True)
class RateLimitSettings:
    """How often an account or a client address may act (docs/rate-limits.md), each in the
    `limits` library's notation: `"300/3 hours"`, several separated by `;`; `""` for none.
    `enabled=False` turns every limit off, sign-in throttling included."""

    enabled: bool = True
    posts_per_account: str = "300/3 hours"
    posts_per_address: str = "1500/3 hours"
    follows_per_account: str = "400/day"
    follows_per_address: str = "2000/day"
    reports_per_account: str = "400/day"
    reports_per_address: str = "2000/day"
    registrations_per_address: str = "10/30 minutes;50/day"
    media_per_account: str = "30/30 minutes"  # as Mastodon
    media_per_address: str = "150/30 minutes"
    # Failed sign-ins (docs/design/sessions-and-throttling.md): each tier longer and more
    # generous than the one before, so the wait grows.
    sign_ins_per_account: str = "5/minute;10/15 minutes;20/day"
    sign_ins_per_address: str = "20/minute;100/hour;500/day"


@dataclass(frozen=True)
class S3Settings:
    """An S3-compatible bucket for media files (docs/media-storage.md). `endpoint_url` empty
    means AWS itself; the keys empty mean boto3's own lookup (environment, instance role)."""

    bucket: str
    endpoint_url: str = ""
    region: str = ""
    access_key_id: str = ""
    secret_access_key: str = ""
    prefix: str = ""


@dataclass(frozen=True)
class MediaSettings:
    """Uploads: their limits (Mastodon's defaults: 16 MiB, 7680 × 4320 pixels), whether
    every image needs a description (alt text) before it is posted, instance-wide, and
    where files are kept: `directory` (the data directory's `media/` when None), or the S3
    bucket when `s3` is set."""

    max_bytes: int = 16 * 1024 * 1024
    max_pixels: int = 7680 * 4320
    require_description: bool = False
    directory: Path | None = None
    s3: S3Settings | None = None


@dataclass(frozen=True)
class Settings:
    """Everything an operator can configure. Defaults give the embedded SQLite set-up."""

    data_dir: Path = Path("data")
    database_url: str = ""
    base_url: str = "http://127.0.0.1:8000"
    instance_title: str = "Townsquare"
    instance_description: str = "A microblog whose moderation happens in the open."
    contact_email: str = "admin@townsquare.invalid"
    registrations_open: bool = True
    max_request_bytes: int = 1_000_000
    secret_key_file: Path | None = None
    languages: tuple[str, ...] = field(default=("en", "fr"))
    ledger_key_file: Path | None = None
    ledger_witnesses: tuple[LedgerWitness, ...] = ()
    ledger_resign_seconds: int = 60
    # How often the server scores community notes (only when ratings changed since).
    notes_scoring_minutes: int = 60
    # Shared counters (rate limits, sign-in throttling) for several worker processes; in
    # memory when empty.
    redis_url: str = ""
    # Keeps these counters apart from another server's in the same Redis database.
    redis_key_prefix: str = "townsquare"
    rate_limits: RateLimitSettings = field(default_factory=RateLimitSettings)
    # Community notes: how old an account must be before it may write, rate or request notes
    # (docs/design/notes-product.md); 0 lets new accounts in at once.
    notes_min_account_age_days: int = 7
    # The request header in which the reverse proxy in front names the reader's country
    # (ISO 3166 alpha-2, e.g. CF-IPCountry), for geo-restrictions; none when empty, and then
    # a geo-restricted post is shown, since no reader is known to be where it is withheld.
    country_header: str = ""
    media: MediaSettings = field(default_factory=MediaSettings)

    @property
    def resolved_database_url(self) -> str:
        """The SQLAlchemy URL in use: the configured one or a SQLite file in the data folder."""
        return self.database_url or f"sqlite:///{self.data_dir / 'townsquare.db'}"

    @property
    def resolved_media_directory(self) -> Path:
        return self.media.directory or self.data_dir / "media"

    @property
    def resolved_secret_key_file(self) -> Path:
        return self.secret_key_file or self.data_dir / "secret.key"

    @property
    def resolved_ledger_key_file(self) -> Path:
        return self.ledger_key_file or self.data_dir / "ledger.key"

    @property
    def ledger_origin(self) -> str:
        """The ledger's identity in its checkpoints (c2sp.org/tlog-checkpoint): the schema-less
        URL of its tlog-tiles prefix, e.g. `example.org/ledger`."""
        return f"{self.domain}/ledger"

    @property
    def domain(self) -> str:
        """The host part of `base_url` (accounts are `user@domain`)."""
        return self.base_url.split("://", 1)[-1].split("/", 1)[0]


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _boolean(name: str, raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise SettingsError(f"{name} must be true or false, found {raw!r}")


def _positive_integer(name: str, raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, found {raw!r}") from None
    if value <= 0:
        raise SettingsError(f"{name} must be greater than zero, found {value}")
    return value


def _whole_number(name: str, raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, found {raw!r}") from None
    if value < 0:
        raise SettingsError(f"{name} must be zero or more, found {value}")
    return value


def _base_url(raw: str) -> str:
    url = raw.strip().rstrip("/")
    scheme, _, rest = url.partition("://")
    if scheme not in {"http", "https"} or not rest or "/" in rest:
        raise SettingsError(
            f"TOWNSQUARE_BASE_URL must look like https://example.org (scheme and host, no "
            f"path), found {raw!r}"
        )
    return url


def _redis_url(raw: str) -> str:
    url = raw.strip()
    if url and not url.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError(
            "TOWNSQUARE_REDIS_URL must be a Redis URL such as redis://127.0.0.1:6379/0 "
            f"(redis://, rediss:// or unix://), found {raw!r}"
        )
    return url


_NO_LIMIT = {"", "none", "off"}


def _limit_spec(name: str, raw: str) -> str:
    """A limit in the `limits` notation, checked; `none` (or `off`) for no limit."""
    spec = raw.strip()
    if spec.lower() in _NO_LIMIT:
        return ""
    try:
        items = parse_many(spec)
    except ValueError:
        items = []
    if not items or any(item.amount <= 0 for item in items):
        raise SettingsError(
            f"{name} must be limits such as '300/3 hours' or '5/minute;20/day' (or 'none'), "
            f"found {raw!r}"
        )
    return spec


def _rate_limits(get: Callable[[str], str | None]) -> RateLimitSettings:
    """`TOWNSQUARE_RATE_LIMITS` (true/false) and one `TOWNSQUARE_RATE_LIMIT_<NAME>` per limit
    (`TOWNSQUARE_RATE_LIMIT_POSTS_PER_ACCOUNT`…)."""
    defaults = RateLimitSettings()
    specs = {}
    for limit in fields(RateLimitSettings):
        if limit.name == "enabled":
            continue
        key = f"RATE_LIMIT_{limit.name.upper()}"
        raw = get(key)
        specs[limit.name] = (
            getattr(defaults, limit.name) if raw is None else _limit_spec(f"TOWNSQUARE_{key}", raw)
        )
    enabled = _boolean("TOWNSQUARE_RATE_LIMITS", get("RATE_LIMITS") or "true")
    return RateLimitSettings(enabled=enabled, **specs)


_WILDCARDS = {"0.0.0.0": "127.0.0.1", "::": "::1"}  # noqa: S104 (recognised, not chosen)
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}
_SCHEME_PORTS = {"http": 80, "https": 443}


def served_base_url(host: str, port: int) -> str:
    """The base URL of a server listening on `host:port`, for when none is configured.

    A server bound to every address (`0.0.0.0`, `::`) has no name of its own, so its links
    use the loopback address: right on this machine, and a sign that TOWNSQUARE_BASE_URL
    should name the public address."""
    name = _WILDCARDS.get(host, host).strip("[]")
    if ":" in name:
        name = f"[{name}]"  # an IPv6 literal (RFC 3986, section 3.2.2)
    return f"http://{name}" if port == 80 else f"http://{name}:{port}"


def base_url_reaches(base_url: str, host: str, port: int) -> bool:
    """Whether `base_url` names the server listening on `host:port`: the same port, and the
    same host unless the server listens on every address (loopback names count as one)."""
    parts = urlsplit(base_url)
    advertised_port = parts.port or _SCHEME_PORTS.get(parts.scheme)
    if advertised_port != port:
        return False
    if host in _WILDCARDS:
        return True
    advertised, served = (parts.hostname or "").lower(), host.strip("[]").lower()
    return advertised == served or {advertised, served} <= _LOOPBACK


def _witnesses(raw: str) -> tuple[LedgerWitness, ...]:
    """`URL VKEY` pairs separated by commas or newlines."""
    witnesses = []
    for item in raw.replace("\n", ",").split(","):
        if not item.strip():
            continue
        parts = item.split()
        url = parts[0].rstrip("/") if parts else ""
        vkey_parts = parts[1].split("+") if len(parts) == 2 else []
        if len(parts) != 2 or not url.startswith(("http://", "https://")) or len(vkey_parts) < 3:
            raise SettingsError(
                "TOWNSQUARE_LEDGER_WITNESSES must list 'URL VKEY' pairs separated by commas, "
                f"e.g. 'https://witness.example/w witness.example+1a2b3c4d+BAB…', found {item!r}"
            )
        witnesses.append(LedgerWitness(url=url, vkey=parts[1]))
    return tuple(witnesses)


def _s3(get: Callable[[str], str | None]) -> S3Settings | None:
    """`TOWNSQUARE_S3_BUCKET` turns S3 storage on; the other `TOWNSQUARE_S3_*` refine it."""
    bucket = (get("S3_BUCKET") or "").strip()
    if not bucket:
        return None
    endpoint = (get("S3_ENDPOINT_URL") or "").strip().rstrip("/")
    if endpoint and not endpoint.startswith(("http://", "https://")):
        raise SettingsError(
            f"TOWNSQUARE_S3_ENDPOINT_URL must be an http:// or https:// URL, found {endpoint!r}"
        )
    return S3Settings(
        bucket=bucket,
        endpoint_url=endpoint,
        region=(get("S3_REGION") or "").strip(),
        access_key_id=(get("S3_ACCESS_KEY_ID") or "").strip(),
        secret_access_key=(get("S3_SECRET_ACCESS_KEY") or "").strip(),
        prefix=(get("S3_PREFIX") or "").strip().strip("/"),
    )


def _media(get: Callable[[str], str | None]) -> MediaSettings:
    defaults = MediaSettings()
    directory = get("MEDIA_DIR")
    return MediaSettings(
        max_bytes=_positive_integer(
            "TOWNSQUARE_MEDIA_MAX_BYTES", get("MEDIA_MAX_BYTES") or str(defaults.max_bytes)
        ),
        max_pixels=_positive_integer(
            "TOWNSQUARE_MEDIA_MAX_PIXELS", get("MEDIA_MAX_PIXELS") or str(defaults.max_pixels)
        ),
        require_description=_boolean(
            "TOWNSQUARE_MEDIA_REQUIRE_DESCRIPTION", get("MEDIA_REQUIRE_DESCRIPTION") or "false"
        ),
        directory=Path(directory) if directory else None,
        s3=_s3(get),
    )


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build settings from `TOWNSQUARE_*` variables (the process environment by default)."""
    env = os.environ if environ is None else environ
    defaults = Settings()

    def get(key: str) -> str | None:
        return env.get(f"TOWNSQUARE_{key}")

    secret = get("SECRET_KEY_FILE")
    ledger_key = get("LEDGER_KEY_FILE")
    return Settings(
        data_dir=Path(get("DATA_DIR") or defaults.data_dir),
        database_url=get("DATABASE_URL") or "",
        base_url=_base_url(get("BASE_URL") or defaults.base_url),
        instance_title=get("INSTANCE_TITLE") or defaults.instance_title,
        instance_description=get("INSTANCE_DESCRIPTION") or defaults.instance_description,
        contact_email=get("CONTACT_EMAIL") or defaults.contact_email,
        registrations_open=_boolean(
            "TOWNSQUARE_REGISTRATIONS_OPEN", get("REGISTRATIONS_OPEN") or "true"
        ),
        max_request_bytes=_positive_integer(
            "TOWNSQUARE_MAX_REQUEST_BYTES",
            get("MAX_REQUEST_BYTES") or str(defaults.max_request_bytes),
        ),
        secret_key_file=Path(secret) if secret else None,
        ledger_key_file=Path(ledger_key) if ledger_key else None,
        ledger_witnesses=_witnesses(get("LEDGER_WITNESSES") or ""),
        ledger_resign_seconds=_positive_integer(
            "TOWNSQUARE_LEDGER_RESIGN_SECONDS",
            get("LEDGER_RESIGN_SECONDS") or str(defaults.ledger_resign_seconds),
        ),
        redis_url=_redis_url(get("REDIS_URL") or ""),
        redis_key_prefix=(get("REDIS_KEY_PREFIX") or defaults.redis_key_prefix).strip(),
        rate_limits=_rate_limits(get),
        notes_min_account_age_days=_whole_number(
            "TOWNSQUARE_NOTES_MIN_ACCOUNT_AGE_DAYS",
            get("NOTES_MIN_ACCOUNT_AGE_DAYS") or str(defaults.notes_min_account_age_days),
        ),
        country_header=(get("COUNTRY_HEADER") or "").strip().lower(),
        notes_scoring_minutes=_positive_integer(
            "TOWNSQUARE_NOTES_SCORING_MINUTES",
            get("NOTES_SCORING_MINUTES") or str(defaults.notes_scoring_minutes),
        ),
        media=_media(get),
    )


def read_or_create_secret(path: Path) -> bytes:
    """The 32-byte secret that signs session cookies, created (mode 0600) on first use."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first: use theirs
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(key.hex() + "\n")
            return key
    try:
        key = bytes.fromhex(path.read_text().strip())
    except ValueError:
        raise SettingsError(
            f"{path} does not hold a hexadecimal key; delete it for a new one"
        ) from None
    if len(key) != 32:
        raise SettingsError(f"{path} holds a {len(key)}-byte key, expected 32; delete it")
    return key
