"""The witness (c2sp.org/tlog-witness): each answer the spec names, and what it records."""

import base64
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from townsquare.ledger import (
    Checkpoint,
    CosignatureSigner,
    MalformedError,
    Signer,
    Witness,
    WitnessDecision,
    WitnessOutcome,
    WitnessStateDirectory,
    cosignature_timestamp,
    open_checkpoint,
    open_note,
    parse_add_checkpoint,
    sign_note,
)
from townsquare.ledger._codec import encode_base64

from .static_logs import LOG_SIGNER, ORIGIN, StaticLog, make_entry, make_log

COSIGNER = CosignatureSigner("witness.example/w1", b"\x42" * 32)
NOW = 1_750_000_000


def request_body(old_size: int, proof: list[bytes], note: bytes) -> bytes:
    lines = "".join(encode_base64(hash_value) + "\n" for hash_value in proof)
    return f"old {old_size}\n{lines}\n".encode() + note


def make_witness(tmp_path: Path) -> Witness:
    return Witness(COSIGNER, {ORIGIN: [LOG_SIGNER.verifier()]}, WitnessStateDirectory(tmp_path))


def submit(witness: Witness, log: StaticLog, old_size: int, now: int = NOW) -> WitnessDecision:
    """What a faithful log sends: the proof from `old_size` and its current checkpoint."""
    proof = log.consistency(old_size) if old_size else []
    return witness.add_checkpoint(request_body(old_size, proof, log.files["checkpoint"]), now)


def assert_outcome(decision: WitnessDecision, outcome: WitnessOutcome, reason: str) -> None:
    assert (decision.outcome, decision.cosignatures) == (outcome, b"")
    assert reason in decision.reason


# --- Cosigning ---


def test_a_first_checkpoint_is_cosigned_and_the_cosignature_verifies(tmp_path: Path) -> None:
    log = make_log(10)

    decision = submit(make_witness(tmp_path), log, 0)

    assert decision.outcome is WitnessOutcome.COSIGNED
    assert decision.cosignatures.startswith(f"— {COSIGNER.name} ".encode())
    cosigned = log.files["checkpoint"] + decision.cosignatures
    note = open_note(cosigned, [COSIGNER.verifier()])
    assert [s.name for s in note.signatures] == [COSIGNER.name]
    assert cosignature_timestamp(note.signatures[0].signature) == NOW
    witnesses = [COSIGNER.verifier()]
    checkpoint = open_checkpoint(cosigned, ORIGIN, LOG_SIGNER.verifier(), witnesses, quorum=1)
    assert checkpoint == log.checkpoint()


def test_a_grown_log_is_cosigned_with_a_consistency_proof(tmp_path: Path) -> None:
    witness, log = make_witness(tmp_path), make_log(10)
    submit(witness, log, 0)
    log.grow(300)

    decision = submit(witness, log, 10, now=NOW + 60)

    assert decision.outcome is WitnessOutcome.COSIGNED
    note = open_note(log.files["checkpoint"] + decision.cosignatures, [COSIGNER.verifier()])
    assert cosignature_timestamp(note.signatures[0].signature) == NOW + 60


def test_the_same_checkpoint_is_cosigned_again(tmp_path: Path) -> None:
    witness, log = make_witness(tmp_path), make_log(10)
    submit(witness, log, 0)

    assert submit(witness, log, 10).outcome is WitnessOutcome.COSIGNED


def test_the_cosigned_checkpoint_is_persisted(tmp_path: Path) -> None:
    log = make_log(10)
    submit(make_witness(tmp_path), log, 0)

    assert WitnessStateDirectory(tmp_path).latest(ORIGIN) == log.checkpoint()
    assert WitnessStateDirectory(tmp_path).latest("other.example/log") is None


def test_an_independent_verifier_accepts_the_cosignature(tmp_path: Path) -> None:
    from tlog_scales.signing import Vkey
    from tlog_scales.tlog import Checkpoint as ScalesCheckpoint

    log = make_log(10)
    decision = submit(make_witness(tmp_path), log, 0)

    cosigned = ScalesCheckpoint.from_text(
        (log.files["checkpoint"] + decision.cosignatures).decode()
    )
    cosigned.verify(Vkey.from_string(COSIGNER.verifier().vkey()))
    cosigned.verify(Vkey.from_string(LOG_SIGNER.verifier().vkey()))


# --- Refusals, with the status c2sp.org/tlog-witness names ---


def test_a_stale_old_size_is_a_conflict_carrying_the_latest_size(tmp_path: Path) -> None:
    witness, log = make_witness(tmp_path), make_log(10)
    submit(witness, log, 0)
    log.grow(5)

    decision = submit(witness, log, 0)

    assert decision == WitnessDecision(
        WitnessOutcome.CONFLICT,
        "old size: expected 10 (the last size cosigned), found 0",
        latest_size=10,
    )
    assert decision.outcome.value == 409


def test_an_old_size_the_witness_never_saw_is_a_conflict(tmp_path: Path) -> None:
    body = request_body(4, make_log(10).consistency(4), make_log(10).files["checkpoint"])

    decision = make_witness(tmp_path).add_checkpoint(body, NOW)

    assert (decision.outcome, decision.latest_size) == (WitnessOutcome.CONFLICT, 0)


def test_another_root_at_the_cosigned_size_is_a_conflict(tmp_path: Path) -> None:
    witness = make_witness(tmp_path)
    submit(witness, make_log(10), 0)
    forked = StaticLog()
    forked.append(*(make_entry(n, "test.forked") for n in range(10)))

    decision = submit(witness, forked, 10)

    assert (decision.outcome, decision.latest_size) == (WitnessOutcome.CONFLICT, 10)
    assert "expected the root cosigned before" in decision.reason


def test_a_bad_consistency_proof_is_unprocessable(tmp_path: Path) -> None:
    witness, log = make_witness(tmp_path), make_log(10)
    submit(witness, log, 0)
    log.grow(5)
    proof = log.consistency(10)
    proof[0] = bytes(32)

    decision = witness.add_checkpoint(request_body(10, proof, log.files["checkpoint"]), NOW)

    assert_outcome(decision, WitnessOutcome.BAD_PROOF, "consistency")
    assert decision.outcome.value == 422
    assert WitnessStateDirectory(tmp_path).latest(ORIGIN) == Checkpoint(
        ORIGIN, 10, make_log(10).checkpoint().root_hash
    )


def test_a_forked_log_cannot_prove_consistency(tmp_path: Path) -> None:
    witness = make_witness(tmp_path)
    submit(witness, make_log(10), 0)
    forked = StaticLog()
    forked.append(*(make_entry(n, "test.forked") for n in range(15)))

    assert submit(witness, forked, 10).outcome is WitnessOutcome.BAD_PROOF


def test_a_proof_from_size_zero_must_be_empty(tmp_path: Path) -> None:
    log = make_log(10)
    body = request_body(0, [bytes(32)], log.files["checkpoint"])

    decision = make_witness(tmp_path).add_checkpoint(body, NOW)

    assert decision.outcome is WitnessOutcome.BAD_PROOF


def test_an_empty_tree_with_a_non_empty_root_is_unprocessable(tmp_path: Path) -> None:
    note = sign_note(Checkpoint(ORIGIN, 0, bytes(32)).format(), [LOG_SIGNER])

    decision = make_witness(tmp_path).add_checkpoint(request_body(0, [], note), NOW)

    assert decision.outcome is WitnessOutcome.BAD_PROOF


def test_an_old_size_above_the_checkpoint_size_is_a_bad_request(tmp_path: Path) -> None:
    body = request_body(11, [bytes(32)], make_log(10).files["checkpoint"])

    decision = make_witness(tmp_path).add_checkpoint(body, NOW)

    assert_outcome(decision, WitnessOutcome.MALFORMED, "old size: expected <= 10, found 11")


def test_an_unknown_origin_is_not_found(tmp_path: Path) -> None:
    other = make_log(3, signer=Signer("other.example/log", b"\x01" * 32))

    decision = submit(make_witness(tmp_path), other, 0)

    assert_outcome(decision, WitnessOutcome.UNKNOWN_LOG, "'other.example/log'")
    assert decision.outcome.value == 404


def test_a_checkpoint_signed_by_another_key_is_forbidden(tmp_path: Path) -> None:
    log = make_log(10)
    log.files["checkpoint"] = log.signed_checkpoint(signer=Signer(ORIGIN, b"\x07" * 32))

    decision = submit(make_witness(tmp_path), log, 0)

    assert_outcome(decision, WitnessOutcome.UNTRUSTED, "expected a signature by")
    assert decision.outcome.value == 403


def test_a_bad_signature_by_the_log_key_is_forbidden(tmp_path: Path) -> None:
    log = make_log(10)
    text, _, line = log.files["checkpoint"].decode().rstrip("\n").rpartition("\n")
    prefix, _, encoded = line.rpartition(" ")
    signature = bytearray(base64.b64decode(encoded))
    signature[10] ^= 1  # a byte of the Ed25519 signature, after the 4-byte key ID
    log.files["checkpoint"] = f"{text}\n{prefix} {encode_base64(bytes(signature))}\n".encode()

    decision = submit(make_witness(tmp_path), log, 0)

    assert_outcome(decision, WitnessOutcome.UNTRUSTED, "fails")
    assert WitnessStateDirectory(tmp_path).latest(ORIGIN) is None


@pytest.mark.parametrize(
    "body",
    [
        b"old 0\n",  # no blank line, no checkpoint
        b"new 0\n\nx\n",
        b"old 01\n\n",
        b"old 0\nnot base64!\n\n",
        b"old 0\n" + b"AAAA\n" + b"\n",  # a 3-byte hash
        b"old 0\n\nnot a signed note\n",
        b"old 0\n" + (encode_base64(bytes(32)) + "\n").encode() * 64 + b"\n",
    ],
)
def test_a_malformed_body_is_a_bad_request(tmp_path: Path, body: bytes) -> None:
    decision = make_witness(tmp_path).add_checkpoint(body, NOW)

    assert decision.outcome is WitnessOutcome.MALFORMED
    assert decision.outcome.value == 400


def test_the_body_parser_reads_the_spec_example_shape() -> None:
    proof = [bytes([n]) * 32 for n in range(4)]

    request = parse_add_checkpoint(request_body(20852014, proof, b"note\n\n- sig\n"))

    assert (request.old_size, request.proof, request.note) == (
        20852014,
        tuple(proof),
        b"note\n\n- sig\n",
    )
    with pytest.raises(MalformedError, match="at most 63 proof lines"):
        parse_add_checkpoint(request_body(0, [bytes(32)] * 64, b""))


# --- Checking and recording happen atomically ---


@dataclass
class RacingState:
    """A `WitnessState` in memory whose first `replace` loses to another request that
    records `winner` just before it (the race tlog-witness warns about)."""

    winner: Checkpoint
    stored: dict[str, Checkpoint] = field(default_factory=dict)
    raced: bool = False

    def latest(self, origin: str) -> Checkpoint | None:
        return self.stored.get(origin)

    def replace(self, expected: Checkpoint | None, new: Checkpoint) -> bool:
        if not self.raced:
            self.raced = True
            self.stored[self.winner.origin] = self.winner
        if self.stored.get(new.origin) != expected:
            return False
        self.stored[new.origin] = new
        return True


def test_a_request_that_loses_a_race_is_decided_again(tmp_path: Path) -> None:
    log = make_log(10)
    bigger = make_log(20)
    state = RacingState(winner=bigger.checkpoint())
    witness = Witness(COSIGNER, {ORIGIN: [LOG_SIGNER.verifier()]}, state)

    decision = submit(witness, log, 0)

    assert (decision.outcome, decision.latest_size) == (WitnessOutcome.CONFLICT, 20)
    assert state.stored[ORIGIN] == bigger.checkpoint()  # never rolled back to 10


def test_concurrent_requests_from_one_old_size_cosign_only_one(tmp_path: Path) -> None:
    logs = [make_log(size) for size in (10, 20, 30, 40)]
    witness = make_witness(tmp_path)
    decisions: list[WitnessDecision] = []

    def submit_from_zero(log: StaticLog) -> None:
        decisions.append(submit(witness, log, 0))

    threads = [threading.Thread(target=submit_from_zero, args=(log,)) for log in logs]

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    outcomes = sorted(d.outcome.value for d in decisions)
    assert outcomes == [200, 409, 409, 409]
    winner = next(d for d in decisions if d.outcome is WitnessOutcome.COSIGNED)
    recorded = WitnessStateDirectory(tmp_path).latest(ORIGIN)
    assert recorded is not None
    assert {d.latest_size for d in decisions if d.latest_size is not None} == {recorded.size}
    assert winner.reason.endswith(f"size {recorded.size}")
