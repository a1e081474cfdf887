"""`townsquare ledger …`: verify a server's log, run a witness, make keys.

These commands need no database: they talk to a server (or, for the witness, are talked to)
over HTTP, in the C2SP formats, exactly as a third party would. `verify` also replays the
moderation decisions it read, so anyone can rebuild what the server must be showing.
"""

import asyncio
import base64
import time
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import httpx
import typer
import uvicorn
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from townsquare.cli._errors import ShownNotesMismatchError
from townsquare.cli._output import say, warn
from townsquare.kernel import TownsquareError
from townsquare.ledger import (
    CosignatureSigner,
    SignatureType,
    VerificationError,
    VerifiedState,
    Verifier,
    VerifierStateDirectory,
    Witness,
    WitnessDecision,
    WitnessOutcome,
    WitnessStateDirectory,
    generate_signer,
    verify_log,
)
from townsquare.moderation import (
    LoggedRequests,
    MalformedRequestEntryError,
    Replayed,
    SealedEntry,
    check_released,
    check_request_entries,
    check_review_draws,
    replay,
)
from townsquare.moderation.rules import check_rule_reviews

__all__ = ["ledger_app", "witness_asgi_app"]

ledger_app = typer.Typer(
    help="Check a Townsquare server's public ledger, or witness it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
witness_app = typer.Typer(help="Cosign a log's checkpoints (c2sp.org/tlog-witness).")
ledger_app.add_typer(witness_app, name="witness", no_args_is_help=True)

_STATE_HOME = Path("~/.townsquare-verify")
_WITNESS_HOME = Path("~/.townsquare-witness")
_MAX_REQUEST_BODY = 64 * 1024  # a checkpoint with 100 signatures and 63 proof lines is < 16 KiB


@contextmanager
def _refusals(prefix: str = "Error") -> Iterator[None]:
    """Any refusal Townsquare explains becomes its message on stderr and exit status 1."""
    try:
        yield
    except TownsquareError as error:
        warn(f"{prefix}: {error}")
        raise typer.Exit(1) from None
    except httpx.HTTPError as error:
        warn(f"Error: could not fetch {error.request.url}: {error}")
        raise typer.Exit(1) from None


# --- verify ---


@ledger_app.command("verify")
def verify(
    url: Annotated[str, typer.Argument(help="The server's base URL, e.g. https://example.com")],
    vkey: Annotated[str | None, typer.Option(help="The log's verifier key text.")] = None,
    vkey_file: Annotated[
        Path | None, typer.Option(help="A file holding the log's verifier key.")
    ] = None,
    state: Annotated[
        Path | None,
        typer.Option(help="Where to remember the log [default: ~/.townsquare-verify/<origin>]"),
    ] = None,
    witness: Annotated[
        list[str] | None,
        typer.Option(help="A witness's verifier key (cosignature/v1); repeat for several."),
    ] = None,
    quorum: Annotated[
        int | None,
        typer.Option(help="Witness cosignatures required [default: every --witness].", min=0),
    ] = None,
) -> None:
    """Check the server's whole ledger: signature, consistency with the last run, every tile
    and every entry; then replay its moderation decisions into the visibility they imply,
    check every outside request's entries against their commitments — a sealed one,
    once its release date has passed, against the details the server now publishes — and
    recompute every draw of decisions for second review, and of rule detections for
    blind review, from its seed.
    Exits non-zero, saying what is wrong, on any mismatch or malformed decision."""
    with _refusals():
        verifier = Verifier.from_vkey(_read_vkey(vkey, vkey_file))
        witnesses = [Verifier.from_vkey(text.strip()) for text in witness or []]
    directory = (state or _STATE_HOME / quote(verifier.name, safe="")).expanduser()
    store = VerifierStateDirectory(directory)
    with _refusals("Verification failed"):
        previous = store.last_verified()
        with httpx.Client(base_url=url.rstrip("/") + "/ledger/", timeout=30) as client:
            fetch = _CountingFetch(client)
            entries: list[bytes] = []
            with _progress_bar() as report:
                verified = verify_log(
                    fetch,
                    verifier,
                    store,
                    progress=report,
                    witnesses=witnesses,
                    quorum=len(witnesses) if quorum is None else quorum,
                    on_entry=lambda _, entry: entries.append(entry),
                )
        # Only a log verified whole is replayed; a malformed decision fails the run.
        replayed = replay(entries)
        requests = check_request_entries(entries)
        draws = check_review_draws(entries)
        rule_draws = check_rule_reviews(entries)
        now = datetime.now(UTC)
        with httpx.Client(base_url=url.rstrip("/"), timeout=30) as client:
            released = requests.released_by(now)
            for sealed in released:
                _check_release(client, sealed)
            published = _check_shown_notes(client, replayed)
        store.save(verified)
    say(_summary(verified, previous, fetch.count, directory))
    say(_replay_summary(replayed, now))
    say(_notes_summary(replayed, published))
    if requests.logged:
        say(_requests_summary(requests, len(released)))
    if draws:
        say(
            f"Second reviews: recomputed {draws} draws from their seeds and the decisions "
            "before them; each drew what it logged."
        )
    if rule_draws:
        say(
            f"Rule reviews: recomputed {rule_draws} draws of detections from their seeds; "
            "each drew what it logged, and every verdict answers a drawn detection once."
        )


def _read_vkey(vkey: str | None, vkey_file: Path | None) -> str:
    if (vkey is None) == (vkey_file is None):
        raise typer.BadParameter("give the log's key as exactly one of --vkey or --vkey-file")
    if vkey is not None:
        return vkey.strip()
    try:
        return vkey_file.read_text(encoding="utf-8").strip()  # type: ignore[union-attr]
    except OSError as error:
        raise typer.BadParameter(f"cannot read {vkey_file}: {error.strerror}") from None


class _CountingFetch:
    """Reads a log file over HTTP; any answer but 200 fails verification, naming the URL."""

    def __init__(self, client: httpx.Client) -> None:
        self.client, self.count = client, 0

    def __call__(self, path: str) -> bytes:
        response = self.client.get(path)
        self.count += 1
        if response.status_code != httpx.codes.OK:
            raise VerificationError(
                f"GET {response.url}: expected 200 OK, found {response.status_code}"
                f"{_explanation(response)}"
            )
        return response.content


def _explanation(response: httpx.Response) -> str:
    """What the server said about its refusal: an RFC 9457 `detail`, or its text's start."""
    try:
        said = response.json().get("detail", "")
    except (ValueError, AttributeError):
        said = response.text[:200].strip()
    return f" ({said})" if said and isinstance(said, str) else ""


@contextmanager
def _progress_bar() -> Iterator[Callable[[int, int], None]]:
    columns = (
        TextColumn("Verifying"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("files"),
        TimeRemainingColumn(),
    )
    console = Console(stderr=True)
    # Only a terminal gets a bar; scripts and logs get the summary line alone.
    with Progress(
        *columns, console=console, transient=True, disable=not console.is_terminal
    ) as bar:
        task = bar.add_task("verify", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def _summary(
    verified: VerifiedState, previous: VerifiedState | None, fetched: int, directory: Path
) -> str:
    since = (
        f"; it extends the checkpoint of size {previous.size} verified before"
        if previous is not None
        else ""
    )
    return (
        f"OK: verified {verified.size} entries of {verified.origin} up to root "
        f"{base64.b64encode(verified.root_hash).decode()}{since}. "
        f"{fetched} files fetched; state in {directory}."
    )


def _replay_summary(replayed: Replayed, now: datetime) -> str:
    ended = sum(1 for r in replayed.restrictions if r.ends_at is not None and r.ends_at <= now)
    in_force = len(replayed.restrictions) - ended
    after = f" ({ended} more reached their end date)" if ended else ""
    counts = f"{replayed.decisions} decisions: {in_force} restrictions in force{after}"
    windows = (
        "1 election window" if replayed.windows == 1 else f"{replayed.windows} election windows"
    )
    elections = (
        f" {windows}; {replayed.flagged} decisions taken by two moderators, and none that "
        "needed two taken by one."
        if replayed.windows
        else ""
    )
    return f"Moderation: replayed {counts}.{elections}"


def _check_release(client: httpx.Client, sealed: SealedEntry) -> None:
    """Fetch a released request from the server and check it against the ledger's
    commitment; a server that still seals it after its release date fails the run."""
    response = client.get(f"/api/v1/townsquare/requests/{sealed.request_id}")
    if response.status_code != httpx.codes.OK:
        raise MalformedRequestEntryError(
            f"GET {response.url}: expected 200 OK for a released request, "
            f"found {response.status_code}{_explanation(response)}"
        )
    shown = response.json()
    if shown.get("sealed") is not False:
        raise MalformedRequestEntryError(
            f"request {sealed.request_id}: still sealed by the server after its release date "
            f"({sealed.release_at.isoformat()})"
        )
    body, nonce = shown["committed"][sealed.key], shown["nonce"]
    if not isinstance(body, dict) or not isinstance(nonce, str):
        raise MalformedRequestEntryError(
            f"request {sealed.request_id}: the server publishes no {sealed.key} to check"
        )
    check_released(sealed, body, nonce)


def _check_shown_notes(client: httpx.Client, replayed: Replayed) -> bool:
    """Compare the notes the ledger says are shown with those the server publishes; False
    when it publishes none (an older server), a `ShownNotesMismatchError` when they differ."""
    response = client.get("/api/v1/townsquare/notes/shown")
    if response.status_code == httpx.codes.NOT_FOUND:
        return False
    if response.status_code != httpx.codes.OK:
        raise ShownNotesMismatchError(
            f"GET {response.url}: expected 200 OK, found {response.status_code}"
            f"{_explanation(response)}"
        )
    published = {str(note["note_id"]) for note in response.json()["notes"]}
    derived = {str(row.note_id) for row in replayed.shown_notes}
    if published != derived:
        extra = ", ".join(sorted(published - derived)) or "none"
        missing = ", ".join(sorted(derived - published)) or "none"
        raise ShownNotesMismatchError(
            f"the server shows notes the ledger does not ({extra}) or hides notes it shows "
            f"({missing})"
        )
    return True


def _notes_summary(replayed: Replayed, published: bool) -> str:
    shown = len(replayed.shown_notes)
    checked = (
        ", the same as the server publishes"
        if published
        else " (the server publishes no list to compare)"
    )
    return (
        f"Community notes: replayed {replayed.note_changes} status changes: "
        f"{shown} notes shown{checked}."
    )


def _requests_summary(requests: LoggedRequests, released: int) -> str:
    sealed = len(requests.sealed) - released
    return (
        f"Outside requests: {requests.logged} logged, {requests.answered} answered; "
        f"{released} sealed entries released and matched to their commitments, "
        f"{sealed} entries still sealed."
    )


# --- keygen ---


@ledger_app.command("keygen")
def keygen(
    name: Annotated[str, typer.Argument(help="The key name: the log's origin, or the witness's.")],
    cosigner: Annotated[
        bool, typer.Option(help="Make a witness key (cosignature/v1) instead of a log key.")
    ] = False,
) -> None:
    """Print a new private key line (keep it secret), then its verifier key line."""
    key_type = SignatureType.COSIGNATURE_V1 if cosigner else SignatureType.ED25519
    with _refusals():
        private_key, vkey = generate_signer(name, key_type=key_type)
    say(private_key)
    say(vkey)


# --- witness serve ---


@witness_app.command("serve")
def serve_witness(
    log_vkey: Annotated[
        list[str], typer.Option(help="A log's verifier key (repeat for several logs).")
    ],
    key: Annotated[
        str, typer.Option(help="The witness's private key, or a file holding it (safer).")
    ],
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 7380,
    state: Annotated[
        Path | None,
        typer.Option(help="Where to record cosigned checkpoints [default: ~/.townsquare-witness]"),
    ] = None,
) -> None:
    """Serve POST /add-checkpoint (c2sp.org/tlog-witness) for the given logs."""
    with _refusals():
        witness = _build_witness(log_vkey, key, (state or _WITNESS_HOME).expanduser())
    origins = ", ".join(sorted(witness.logs))
    say(
        f"Witness {witness.cosigner.name} cosigning {origins} at http://{host}:{port}/add-checkpoint"
    )
    uvicorn.run(witness_asgi_app(witness), host=host, port=port, lifespan="off", log_level="info")


def _build_witness(log_vkeys: list[str], key: str, state: Path) -> Witness:
    # A key given on the command line shows in `ps`; a file is the safer way to pass it.
    try:
        text = key if key.startswith("PRIVATE+KEY+") else Path(key).expanduser().read_text()
    except OSError as error:
        raise typer.BadParameter(f"cannot read the key file {key}: {error.strerror}") from None
    cosigner = CosignatureSigner.from_private_key(text.strip())
    logs: dict[str, list[Verifier]] = {}
    for vkey in log_vkeys:
        verifier = Verifier.from_vkey(vkey.strip())
        logs.setdefault(verifier.name, []).append(verifier)
    return Witness(cosigner, logs, WitnessStateDirectory(state))


# A minimal ASGI surface: one route, no framework needed.
_Scope = MutableMapping[str, Any]
_Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
_Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
_App = Callable[[_Scope, _Receive, _Send], Awaitable[None]]


def witness_asgi_app(witness: Witness, clock: Callable[[], int] | None = None) -> _App:
    """The witness over HTTP: `POST /add-checkpoint`, answered as c2sp.org/tlog-witness says.
    `clock` gives the POSIX time each cosignature states (the system clock by default)."""
    now = clock or (lambda: int(time.time()))

    async def app(scope: _Scope, receive: _Receive, send: _Send) -> None:
        if scope["type"] != "http":
            return
        if scope["path"] != "/add-checkpoint":
            await _respond(send, 404, "text/plain; charset=utf-8", b"not found\n")
        elif scope["method"] != "POST":
            await _respond(send, 405, "text/plain; charset=utf-8", b"use POST\n", allow=b"POST")
        else:
            body = await _read_body(receive)
            if body is None:
                await _respond(send, 413, "text/plain; charset=utf-8", b"body too large\n")
                return
            # The decision reads and fsyncs files: keep it off the event loop.
            decision = await asyncio.to_thread(witness.add_checkpoint, body, now())
            await _respond(send, decision.outcome.value, *_answer(decision))

    return app


def _answer(decision: WitnessDecision) -> tuple[str, bytes]:
    """The content type and body for a decision (tlog-witness fixes the 200 and 409 ones)."""
    if decision.outcome is WitnessOutcome.COSIGNED:
        return "text/plain; charset=utf-8", decision.cosignatures
    if decision.latest_size is not None:
        return "text/x.tlog.size", f"{decision.latest_size}\n".encode()
    return "text/plain; charset=utf-8", f"{decision.reason}\n".encode()


async def _read_body(receive: _Receive) -> bytes | None:
    body = bytearray()
    while True:
        message = await receive()
        body += message.get("body", b"")
        if len(body) > _MAX_REQUEST_BODY:
            return None
        if not message.get("more_body", False):
            return bytes(body)


async def _respond(
    send: _Send, status: int, content_type: str, body: bytes, allow: bytes | None = None
) -> None:
    headers = [(b"content-type", content_type.encode())]
    if allow is not None:
        headers.append((b"allow", allow))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
