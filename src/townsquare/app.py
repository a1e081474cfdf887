"""Wiring: settings → database → microblog (with the visibility port) → the HTTP edges.

This is the only module that knows every layer. It builds the services once and hands them to
Litestar as dependencies named `settings`, `microblog`, `ledger` and `policies`, which the edges
declare.
"""

import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from typing import Any

import boto3
import httpx
from litestar import Litestar, Request, Response
from litestar.datastructures import MutableScopeHeaders
from litestar.di import Provide
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from redis import Redis

from townsquare import api, web
from townsquare.audits import ImpartialityAudits, TransparencyReports
from townsquare.kernel import Clock, PeriodicTask, RateLimitedError, SystemClock
from townsquare.ledger import (
    LedgerLog,
    Sequencer,
    WitnessSubmitter,
    leadership_for,
    read_or_create_signer,
)
from townsquare.microblog import (
    DatabaseFeeds,
    FeedLimits,
    FeedStore,
    LimitedAction,
    LocalStreamHub,
    LoginThrottle,
    MediaLimits,
    Microblog,
    Passwords,
    RateLimitRule,
    RateLimits,
    RedisFeeds,
    RedisStreamHub,
    StreamHub,
    ThrottleLimits,
    claim_feeds,
    counter_storage,
    publishing_to,
)
from townsquare.moderation import (
    Moderation,
    ModerationStanding,
    PolicySet,
    default_policy_directory,
    load_policies,
    viewer_country,
)
from townsquare.moderation.rules import (
    RuleLogReader,
    RuleReviews,
    RuleRunner,
    RuleSet,
    RuleWorker,
    default_rule_directory,
    load_rules,
)
from townsquare.notes import EligibilityRules, Notes, ScoringRuns, ScoringSchedule
from townsquare.settings import (
    MediaSettings,
    RateLimitSettings,
    Settings,
    load_settings,
    read_or_create_secret,
)
from townsquare.storage import (
    Database,
    FileMediaStore,
    IdWorker,
    MediaStore,
    S3MediaStore,
    create_database_engine,
)

__all__ = [
    "Services",
    "app_from_environment",
    "build_services",
    "create_app",
]


@dataclass(frozen=True)
class Services:
    """Everything a running server holds, built once at start-up."""

    settings: Settings
    db: Database
    microblog: Microblog
    ledger: LedgerLog
    policies: PolicySet
    rules: RuleSet  # the automated rules, every version
    moderation: Moderation
    notes: Notes
    id_worker: IdWorker  # this process's worker number for ids, leased from the database
    scoring_runs: ScoringRuns
    transparency: TransparencyReports
    audits: ImpartialityAudits
    rule_runner: RuleRunner
    rule_reviews: RuleReviews
    rule_log: RuleLogReader  # what the ledger says of the rules, read once per new entry
    stream_hub: StreamHub  # what the streaming API hears of committed writes, every worker's


def build_services(
    settings: Settings,
    *,
    clock: Clock | None = None,
    passwords: Passwords | None = None,
    login_throttle: LoginThrottle | None = None,
    rate_limits: RateLimits | None = None,
) -> Services:
    """The services over a migrated database. They hold a lease on an id worker number
    (docs/design/ids.md): `create_app` renews it while serving; other callers MUST give it
    back with `services.id_worker.stop()` when done (else it expires after a minute), and
    SHOULD close `services.stream_hub` (a Redis hub's reading thread)."""
    # Committed writes announce themselves to the streams through the hub (after commit).
    stream_hub = _stream_hub(settings)
    db = Database(
        create_database_engine(settings.resolved_database_url), committed=publishing_to(stream_hub)
    )
    clock = clock or SystemClock()
    # One store for every limit: this process's memory, or Redis shared by every worker.
    counters = counter_storage(settings.redis_url, key_prefix=settings.redis_key_prefix)
    limits = settings.rate_limits
    id_worker = IdWorker(db, clock)
    ids = id_worker.ids
    signer = read_or_create_signer(settings.resolved_ledger_key_file, settings.ledger_origin)
    ledger = LedgerLog(db, signer, clock)
    policies = load_policies(default_policy_directory())
    rules = load_rules(default_rule_directory(), policies)
    # Moderation's port is the microblog's only filter: enforce writes what it reads.
    secret = read_or_create_secret(settings.resolved_secret_key_file)
    pseudonyms = hmac.new(secret, b"townsquare moderator pseudonyms v1", hashlib.sha256).digest()
    moderation = Moderation(db, ledger, policies, clock=clock, ids=ids, pseudonym_key=pseudonyms)
    microblog = Microblog(
        db,
        clock=clock,
        base_url=settings.base_url,
        visibility=moderation.visibility,
        passwords=passwords,
        ids=ids,
        login_throttle=login_throttle or LoginThrottle(counters, _sign_in_limits(limits)),
        rate_limits=rate_limits or RateLimits(counters, _action_rules(limits)),
        feeds=_feed_store(settings, db),
        media_store=_media_store(settings),
        media_limits=_media_limits(settings.media),
        stream_hub=stream_hub,
    )
    # Notes ask moderation's projection whether a contributor is in good standing.
    notes = Notes(
        db,
        microblog,
        ModerationStanding(clock),
        clock=clock,
        ids=ids,
        rules=EligibilityRules(min_account_age_days=settings.notes_min_account_age_days),
    )
    # Runs apply their changes through moderation's note-status path, the value they hand
    # over (`NoteStatusChange`) being the microblog's, which both packages stand on.
    scoring_runs = ScoringRuns(db, ledger, moderation.enforce_note_statuses, clock=clock, ids=ids)
    # The rules read the outbox the microblog writes, and act through moderation's enforce.
    runner = RuleRunner(db, ledger, rules, microblog, moderation.enforce, clock=clock, ids=ids)
    return Services(
        settings=settings,
        db=db,
        microblog=microblog,
        ledger=ledger,
        policies=policies,
        rules=rules,
        moderation=moderation,
        notes=notes,
        id_worker=id_worker,
        scoring_runs=scoring_runs,
        transparency=TransparencyReports(db, ledger, clock),
        audits=ImpartialityAudits(db, ledger, clock),
        rule_runner=runner,
        rule_reviews=RuleReviews(db, ledger, rules, clock=clock, ids=ids),
        rule_log=RuleLogReader(ledger),
        stream_hub=stream_hub,
    )


def _stream_hub(settings: Settings) -> StreamHub:
    """Redis pub/sub when the server has Redis, so that a post written in one worker
    reaches the streaming connections of every other; else this process's own hub (one
    worker, or several that each stream only their own writes: see docs/streaming.md)."""
    if settings.redis_url:
        return RedisStreamHub(Redis.from_url(settings.redis_url), prefix=settings.redis_key_prefix)
    return LocalStreamHub()


def _feed_store(settings: Settings, db: Database) -> FeedStore:
    """The home feeds: in Redis when the server has one, else in the database; claimed, so
    that feeds a switch of store left stale are emptied (`claim_feeds`)."""
    database = DatabaseFeeds(FeedLimits())
    store: FeedStore = database
    if settings.redis_url:
        client = Redis.from_url(settings.redis_url)
        store = RedisFeeds(client, FeedLimits(), prefix=settings.redis_key_prefix)
    with db.write() as conn:
        claim_feeds(conn, store, database)
    return store


def _media_store(settings: Settings) -> MediaStore:
    """Where attachment files go: the S3 bucket when one is configured, else the media
    directory (docs/media-storage.md)."""
    s3 = settings.media.s3
    if s3 is None:
        return FileMediaStore(settings.resolved_media_directory)
    client = boto3.client(
        "s3",
        endpoint_url=s3.endpoint_url or None,
        region_name=s3.region or None,
        aws_access_key_id=s3.access_key_id or None,
        aws_secret_access_key=s3.secret_access_key or None,
    )
    return S3MediaStore(client, s3.bucket, s3.prefix)


def _media_limits(media: MediaSettings) -> MediaLimits:
    return MediaLimits(
        max_bytes=media.max_bytes,
        max_pixels=media.max_pixels,
        require_description=media.require_description,
    )


def _sign_in_limits(limits: RateLimitSettings) -> ThrottleLimits:
    if not limits.enabled:
        return ThrottleLimits(per_account=(), per_address=())
    return ThrottleLimits.parse(limits.sign_ins_per_account, limits.sign_ins_per_address)


def _action_rules(limits: RateLimitSettings) -> dict[LimitedAction, RateLimitRule]:
    if not limits.enabled:
        return {}
    return {
        LimitedAction.POST: RateLimitRule(limits.posts_per_account, limits.posts_per_address),
        LimitedAction.FOLLOW: RateLimitRule(limits.follows_per_account, limits.follows_per_address),
        LimitedAction.REPORT: RateLimitRule(limits.reports_per_account, limits.reports_per_address),
        LimitedAction.REGISTER: RateLimitRule(per_address=limits.registrations_per_address),
        LimitedAction.MEDIA: RateLimitRule(limits.media_per_account, limits.media_per_address),
    }


_RULES_PERIOD_SECONDS = 2.0
_SCHEDULED_SECONDS = 5.0  # how late a scheduled post may be, at most
"""How often the server runs the automated rules on the events waiting in the outbox."""


def _forbid_framing(message: Message, scope: Scope) -> None:
    """No page, API answer, error or static file may be shown inside another site's frame
    (clickjacking): `X-Frame-Options: DENY` for old browsers, CSP `frame-ancestors 'none'`
    merged into the response's own policy if it has one."""
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    headers["X-Frame-Options"] = "DENY"
    policy = headers.get("Content-Security-Policy")
    if policy is None:
        headers["Content-Security-Policy"] = "frame-ancestors 'none'"
    elif "frame-ancestors" not in policy:
        headers["Content-Security-Policy"] = f"{policy.rstrip('; ')}; frame-ancestors 'none'"


def create_app(services: Services, *, sequencer: bool = False) -> Litestar:
    """The ASGI application. The schema must already be migrated (`townsquare migrate`).

    With `sequencer`, a background thread integrates ledger entries while the app runs,
    another scores community notes on schedule, a third runs the automated rules on the
    write path's events and a fourth publishes scheduled posts (the server does this; tests
    call `services.ledger.integrate()`, `services.scoring_runs.run()`,
    `services.rule_runner.run_once()` and `microblog.scheduled.publish_due()` themselves).
    """
    settings = services.settings
    secret = read_or_create_secret(settings.resolved_secret_key_file)
    https = settings.base_url.startswith("https://")  # then cookies are marked Secure
    http = httpx.Client()  # to the witnesses, if any
    witnesses = WitnessSubmitter(services.ledger, settings.ledger_witnesses, http)
    running = Sequencer(
        services.ledger,
        resign_seconds=settings.ledger_resign_seconds,
        on_checkpoint=witnesses.submit if settings.ledger_witnesses else None,
        leadership=leadership_for(services.db.engine, name=f"process {os.getpid()}"),
    )

    scoring = ScoringSchedule(services.scoring_runs, period=settings.notes_scoring_minutes * 60)
    rule_worker = RuleWorker(services.rule_runner, period=_RULES_PERIOD_SECONDS)
    publisher = PeriodicTask(
        "scheduled posts", services.microblog.scheduled.publish_due, period=_SCHEDULED_SECONDS
    )

    def shut_down() -> None:
        # Litestar passes the app to hooks that take a parameter, so this one takes none.
        publisher.stop()
        rule_worker.stop()
        scoring.stop()
        running.stop()
        http.close()
        services.stream_hub.close()
        services.id_worker.stop()
        services.db.dispose()

    def on_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        # One mapping from errors to statuses (the API edge's); pages render it as HTML.
        if api.is_api_path(request.url.path):
            return api.error_response(request, exc)
        status, message = api.logged_status_and_message(request, exc)
        wait = exc.retry_after if isinstance(exc, RateLimitedError) else None
        return web.error_page(request, status, message, retry_after=wait)

    app = Litestar(
        route_handlers=[api.api_router(), api.media_upload_router(settings), web.web_router()],
        dependencies={
            "settings": Provide(lambda: settings, sync_to_thread=False, use_cache=True),
            "microblog": Provide(lambda: services.microblog, sync_to_thread=False, use_cache=True),
            "ledger": Provide(lambda: services.ledger, sync_to_thread=False, use_cache=True),
            "policies": Provide(lambda: services.policies, sync_to_thread=False, use_cache=True),
            "rules": Provide(lambda: services.rules, sync_to_thread=False, use_cache=True),
            "rule_log": Provide(lambda: services.rule_log, sync_to_thread=False, use_cache=True),
            "rule_reviews": Provide(
                lambda: services.rule_reviews, sync_to_thread=False, use_cache=True
            ),
            "scoring_runs": Provide(
                lambda: services.scoring_runs, sync_to_thread=False, use_cache=True
            ),
            "moderation": Provide(
                lambda: services.moderation, sync_to_thread=False, use_cache=True
            ),
            "notes": Provide(lambda: services.notes, sync_to_thread=False, use_cache=True),
            "transparency": Provide(
                lambda: services.transparency, sync_to_thread=False, use_cache=True
            ),
            "audits": Provide(lambda: services.audits, sync_to_thread=False, use_cache=True),
        },
        exception_handlers={Exception: on_error},
        before_request=api.reject_integers_out_of_range,
        middleware=[web.session_middleware(secret, secure=https)],
        csrf_config=web.csrf_config(secret, secure=https),
        before_send=[_forbid_framing],
        template_config=web.template_config(),
        openapi_config=api.openapi_config(settings),
        request_max_body_size=settings.max_request_bytes,
        on_startup=[
            services.id_worker.start,
            *(
                [running.start, scoring.start, rule_worker.start, publisher.start]
                if sequencer
                else []
            ),
        ],
        on_shutdown=[shut_down],
        debug=False,
    )
    # Ahead of the router, as Litestar itself wraps CORS: HEAD reaches every GET route.
    app.asgi_handler = web.answer_head_like_get(app.asgi_handler)
    app.asgi_handler = api.allow_cross_origin(app.asgi_handler)
    if settings.country_header:
        app.asgi_handler = _in_viewer_country(app.asgi_handler, settings.country_header)
    return app


_COUNTRY_CODE = re.compile(r"[A-Za-z]{2}")


def _in_viewer_country(handler: ASGIApp, header: str) -> ASGIApp:
    """Each request is served in the country its `header` names (the visibility port's
    `viewer_country`), when it names one: two letters, as ISO 3166 alpha-2 codes are."""
    wanted = header.lower().encode("latin-1")

    async def serve(scope: Scope, receive: Receive, send: Send) -> None:
        code = None
        if scope["type"] in (ScopeType.HTTP, ScopeType.WEBSOCKET):
            for name, value in scope["headers"]:
                if name == wanted and _COUNTRY_CODE.fullmatch(raw := value.decode("latin-1")):
                    code = raw
        with viewer_country(code):
            await handler(scope, receive, send)

    return serve


def app_from_environment() -> Litestar:
    """The application configured from `TOWNSQUARE_*` variables (the server's entry point)."""
    return create_app(build_services(load_settings()), sequencer=True)
