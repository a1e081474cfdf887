"""The log submits checkpoints to witnesses (c2sp.org/tlog-witness) and serves cosignatures."""

from pathlib import Path

import httpx

from townsquare.app import Services
from townsquare.ledger import (
    CosignatureSigner,
    Witness,
    WitnessStateDirectory,
    WitnessSubmitter,
    encode_entry,
    open_checkpoint,
)
from townsquare.settings import LedgerWitness

_TIME = 1_800_000_000


def _witness_transport(witness: Witness, seen: list[bytes]) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/w/add-checkpoint"
        seen.append(request.content)
        decision = witness.add_checkpoint(request.content, _TIME)
        if decision.latest_size is not None:
            return httpx.Response(decision.outcome.value, text=f"{decision.latest_size}\n")
        return httpx.Response(decision.outcome.value, content=decision.cosignatures)

    return httpx.MockTransport(answer)


def _grow(services: Services, count: int) -> None:
    with services.db.write() as conn:
        for number in range(count):
            services.ledger.append(conn, encode_entry("test.event", 1, {"number": number}))


def test_each_checkpoint_is_cosigned_with_a_consistency_proof(
    services: Services, tmp_path: Path
) -> None:
    log = services.ledger
    cosigner = CosignatureSigner("witness.example/w", bytes(32))
    witness = Witness(cosigner, {log.origin: [log.verifier]}, WitnessStateDirectory(tmp_path))
    seen: list[bytes] = []
    setting = LedgerWitness("https://witness.example/w", cosigner.verifier().vkey())
    with httpx.Client(transport=_witness_transport(witness, seen)) as http:
        submitter = WitnessSubmitter(log, [setting], http)
        submitter.submit(log.resign())  # the empty tree first
        for count in (3, 300, 1):
            _grow(services, count)
            checkpoint = log.integrate()
            assert checkpoint is not None
            submitter.submit(checkpoint)
            note = log.checkpoint_note()
            verifiers = [cosigner.verifier()]
            opened = open_checkpoint(note, log.origin, log.verifier, verifiers, quorum=1)
            assert opened.size == checkpoint.size
    assert seen[-1].startswith(b"old 303\n")  # a proof from the size cosigned before
    assert len(seen) == 4


def test_a_witness_that_knows_another_size_is_answered_from_it(
    services: Services, tmp_path: Path
) -> None:
    log = services.ledger
    cosigner = CosignatureSigner("witness.example/w", bytes(32))
    witness = Witness(cosigner, {log.origin: [log.verifier]}, WitnessStateDirectory(tmp_path))
    seen: list[bytes] = []
    setting = LedgerWitness("https://witness.example/w", cosigner.verifier().vkey())
    _grow(services, 10)
    first = log.integrate()
    assert first is not None
    witness.add_checkpoint(b"old 0\n\n" + log.checkpoint_note_at(10), _TIME)  # behind our back
    _grow(services, 5)
    second = log.integrate()
    assert second is not None
    with httpx.Client(transport=_witness_transport(witness, seen)) as http:
        WitnessSubmitter(log, [setting], http).submit(second)
    assert [body.split(b"\n")[0] for body in seen] == [b"old 0", b"old 10"]
    assert log.cosigned_size(cosigner.verifier()) == 15


def test_a_witness_that_is_down_does_not_stop_the_log(services: Services) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    setting = LedgerWitness(
        "https://down.example", CosignatureSigner("d", bytes(32)).verifier().vkey()
    )
    with httpx.Client(transport=httpx.MockTransport(refuse)) as http:
        WitnessSubmitter(services.ledger, [setting], http).submit(services.ledger.resign())
    assert services.ledger.checkpoint().size == 0
