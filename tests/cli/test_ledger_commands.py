"""`townsquare ledger …`: keygen, verify over real HTTP, and the witness over HTTP."""

import asyncio
import base64
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from ledger.static_logs import StaticLog, make_log, tiles_asgi_app
from live_server import serve_asgi
from townsquare.cli._ledger_commands import ledger_app, witness_asgi_app
from townsquare.ledger import (
    CosignatureSigner,
    Signer,
    Witness,
    WitnessStateDirectory,
    entry_bundle_path,
    open_note,
)

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(ledger_app, list(args))
    return result.exit_code, result.stdout, result.stderr


# --- keygen ---


def test_keygen_prints_a_log_key_then_its_vkey() -> None:
    code, out, _ = run("keygen", "example.com/moderation-log")

    private_key, vkey = out.splitlines()
    assert code == 0
    assert Signer.from_private_key(private_key).verifier().vkey() == vkey
    assert vkey.startswith("example.com/moderation-log+")


def test_keygen_makes_a_witness_key_with_cosigner() -> None:
    code, out, _ = run("keygen", "witness.example/w1", "--cosigner")

    private_key, vkey = out.splitlines()
    assert code == 0
    assert CosignatureSigner.from_private_key(private_key).verifier().vkey() == vkey


def test_keygen_refuses_a_bad_name() -> None:
    code, _, err = run("keygen", "has space")

    assert code == 1
    assert "key name: expected no spaces" in err


# --- verify, against a log served over real HTTP ---


@pytest.fixture
def log() -> StaticLog:
    return make_log(300)


@pytest.fixture
def server_url(log: StaticLog) -> Iterator[str]:
    with serve_asgi(tiles_asgi_app(log)) as url:
        yield url


def test_verify_checks_the_log_and_saves_its_state(
    log: StaticLog, server_url: str, tmp_path: Path
) -> None:
    vkey = log.signer.verifier().vkey()

    code, out, err = run("verify", server_url, "--vkey", vkey, "--state", str(tmp_path))

    root = base64.b64encode(log.checkpoint().root_hash).decode()
    assert (code, err) == (0, "")
    assert out.startswith(f"OK: verified 300 entries of {log.signer.name} up to root {root}.")
    assert "6 files fetched" in out  # checkpoint, tiles 0/000, 0/001.p/44, 1/000.p/1, 2 bundles
    assert (tmp_path / "checkpoint.json").is_file()


def test_verify_again_extends_the_last_run_and_reuses_kept_files(
    log: StaticLog, server_url: str, tmp_path: Path
) -> None:
    vkey_file = tmp_path / "log.vkey"
    vkey_file.write_text(log.signer.verifier().vkey() + "\n")
    state = str(tmp_path / "state")
    run("verify", server_url, "--vkey-file", str(vkey_file), "--state", state)
    log.grow(100)

    code, out, _ = run("verify", server_url + "/", "--vkey-file", str(vkey_file), "--state", state)

    assert code == 0
    assert "verified 400 entries" in out
    assert "it extends the checkpoint of size 300 verified before" in out
    assert "4 files fetched" in out  # the checkpoint, the partial tiles and the partial bundle


def test_verify_requires_the_witness_quorum(
    log: StaticLog, server_url: str, tmp_path: Path
) -> None:
    vkey, witness_vkey = log.signer.verifier().vkey(), COSIGNER.verifier().vkey()
    args = ["verify", server_url, "--vkey", vkey, "--witness", witness_vkey]

    code, _, err = run(*args, "--state", str(tmp_path / "a"))
    assert code == 1
    assert err.startswith("Verification failed: checkpoint: checkpoint: expected cosignatures by")

    answer = post_all(
        make_witness(tmp_path / "witness"), ("POST", "/add-checkpoint", add_checkpoint_body(log, 0))
    )
    log.files["checkpoint"] += answer[0].content
    code, out, _ = run(*args, "--state", str(tmp_path / "b"))
    assert code == 0
    assert out.startswith("OK: verified 300 entries")


def test_verify_fails_on_an_edited_entry(log: StaticLog, server_url: str, tmp_path: Path) -> None:
    bundle = entry_bundle_path(1, 44)
    log.files[bundle] = log.files[bundle].replace(b'"n":260', b'"n":261')

    code, out, err = run(
        "verify", server_url, "--vkey", log.signer.verifier().vkey(), "--state", str(tmp_path)
    )

    assert (code, out) == (1, "")
    assert err.startswith(
        "Verification failed: tile/entries/001.p/44 (entries 256 to 299): entry 4 of the bundle: "
        "expected leaf hash"
    )
    assert not (tmp_path / "checkpoint.json").exists()


def test_verify_fails_on_a_checkpoint_signed_by_another_key(
    log: StaticLog, server_url: str, tmp_path: Path
) -> None:
    other = Signer(log.signer.name, b"\x09" * 32).verifier().vkey()

    code, _, err = run("verify", server_url, "--vkey", other, "--state", str(tmp_path))

    assert code == 1
    assert err.startswith("Verification failed: checkpoint: note: expected a signature by")


def test_verify_names_the_url_that_was_not_served(log: StaticLog, tmp_path: Path) -> None:
    vkey = log.signer.verifier().vkey()
    with serve_asgi(tiles_asgi_app(log, prefix="/elsewhere/")) as url:
        code, _, err = run("verify", url, "--vkey", vkey, "--state", str(tmp_path))

    assert code == 1
    assert f"GET {url}/ledger/checkpoint: expected 200 OK, found 404" in err


def test_verify_reports_an_unreachable_server(log: StaticLog, tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"  # nothing listens there

    code, _, err = run(
        "verify", url, "--vkey", log.signer.verifier().vkey(), "--state", str(tmp_path)
    )

    assert code == 1
    assert err.startswith(f"Error: could not fetch {url}/ledger/checkpoint")


def test_verify_wants_exactly_one_key(log: StaticLog, tmp_path: Path) -> None:
    code, _, err = run("verify", "http://127.0.0.1:9", "--state", str(tmp_path))

    assert code == 2
    assert "exactly one of --vkey or --vkey-file" in err


# --- witness, over HTTP ---

ORIGIN_SIGNER = make_log(0).signer
COSIGNER = CosignatureSigner("witness.example/w1", b"\x42" * 32)


def add_checkpoint_body(log: StaticLog, old_size: int) -> bytes:
    proof = "".join(base64.b64encode(h).decode() + "\n" for h in log.consistency(old_size))
    return f"old {old_size}\n{proof}\n".encode() + log.files["checkpoint"]


def post_all(witness: Witness, *requests: tuple[str, str, bytes]) -> list[httpx.Response]:
    """Send requests to the witness app in order, in one event loop, at time 1,750,000,000."""

    async def send_all() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=witness_asgi_app(witness, clock=lambda: 1_750_000_000))
        async with httpx.AsyncClient(transport=transport, base_url="http://witness") as client:
            return [
                await client.request(method, path, content=body) for method, path, body in requests
            ]

    return asyncio.run(send_all())


def make_witness(tmp_path: Path) -> Witness:
    logs = {ORIGIN_SIGNER.name: [ORIGIN_SIGNER.verifier()]}
    return Witness(COSIGNER, logs, WitnessStateDirectory(tmp_path))


def test_the_witness_answers_each_case_with_the_status_the_spec_names(tmp_path: Path) -> None:
    first, grown = make_log(10), make_log(15)
    first_hash = base64.b64encode(grown.consistency(10)[0])
    bad_proof = add_checkpoint_body(grown, 10).replace(first_hash, base64.b64encode(bytes(32)))
    stranger = make_log(3, signer=Signer("other.example/log", b"\x01" * 32))
    impostor = make_log(15)
    impostor.files["checkpoint"] = impostor.signed_checkpoint(
        signer=Signer(ORIGIN_SIGNER.name, b"\x05" * 32)
    )
    too_large = b"old 0\n" + b"A" * 70_000

    answers = post_all(
        make_witness(tmp_path),
        ("POST", "/add-checkpoint", add_checkpoint_body(first, 0)),
        ("POST", "/add-checkpoint", add_checkpoint_body(grown, 0)),  # stale: 10 was cosigned
        ("POST", "/add-checkpoint", bad_proof),
        ("POST", "/add-checkpoint", add_checkpoint_body(stranger, 0)),
        ("POST", "/add-checkpoint", add_checkpoint_body(impostor, 10)),
        ("POST", "/add-checkpoint", b"old 0\n"),
        ("POST", "/add-checkpoint", too_large),
        ("GET", "/add-checkpoint", b""),
        ("POST", "/elsewhere", b""),
        ("POST", "/add-checkpoint", add_checkpoint_body(grown, 10)),
    )

    assert [a.status_code for a in answers] == [200, 409, 422, 404, 403, 400, 413, 405, 404, 200]
    cosigned, stale = answers[0], answers[1]
    note = open_note(first.files["checkpoint"] + cosigned.content, [COSIGNER.verifier()])
    assert [s.name for s in note.signatures] == [COSIGNER.name]
    assert (stale.headers["content-type"], stale.text) == ("text/x.tlog.size", "10\n")
    assert "consistency" in answers[2].text
    assert WitnessStateDirectory(tmp_path).latest(ORIGIN_SIGNER.name) == grown.checkpoint()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.e2e
def test_witness_serve_cosigns_over_real_http(tmp_path: Path) -> None:
    key_file = tmp_path / "witness.key"
    key_file.write_text(COSIGNER.private_key() + "\n")
    port = _free_port()
    command = [
        sys.executable,
        "-c",
        "from townsquare.cli._ledger_commands import ledger_app; ledger_app()",
        *("witness", "serve", "--log-vkey", ORIGIN_SIGNER.verifier().vkey()),
        *("--key", str(key_file), "--port", str(port), "--state", str(tmp_path / "state")),
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=os.environ
    )
    try:
        answer = _post_when_up(
            f"http://127.0.0.1:{port}/add-checkpoint", add_checkpoint_body(make_log(10), 0)
        )
    finally:
        process.terminate()
        output = process.communicate(timeout=15)[0].decode()

    assert answer.status_code == 200, output
    assert answer.text.startswith(f"— {COSIGNER.name} ")
    assert f"Witness {COSIGNER.name} cosigning {ORIGIN_SIGNER.name}" in output
    assert WitnessStateDirectory(tmp_path / "state").latest(ORIGIN_SIGNER.name) is not None


def _post_when_up(url: str, body: bytes) -> httpx.Response:
    deadline = time.monotonic() + 20
    while True:
        try:
            return httpx.post(url, content=body, timeout=5)
        except httpx.ConnectError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
