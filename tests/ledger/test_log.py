"""The log in the database, on each backend: append in the caller's transaction, integrate in
batches, and read back tiles, bundles, proofs and signed checkpoints that verify."""

import os
import stat
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from townsquare.app import Services
from townsquare.kernel import InvalidInputError, NotFoundError, SystemClock
from townsquare.ledger import (
    EMPTY_ROOT,
    CosignatureSigner,
    LedgerKeyError,
    LedgerLog,
    LedgerNotFoundError,
    MalformedError,
    Sequencer,
    Signer,
    VerificationError,
    decode_bundle,
    encode_entry,
    leaf_hash,
    open_checkpoint,
    parse_receipt,
    read_or_create_signer,
    root_hash,
    sign_note,
    tile_hashes,
    tiles_for_size,
    verify_inclusion,
    verify_receipt,
    verify_tiles,
)
from townsquare.storage import tables


def make_entry(number: int) -> bytes:
    return encode_entry("test.event", 1, {"number": number, "note": f"event {number}"})


def append(services: Services, numbers: range) -> list[bytes]:
    """Append entries for `numbers` in one transaction; return them."""
    entries = [make_entry(n) for n in numbers]
    with services.db.write() as conn:
        for entry in entries:
            services.ledger.append(conn, entry)
    return entries


def stored_tiles(ledger: LedgerLog, size: int) -> dict[object, bytes]:
    return {t: ledger.tile(t.level, t.index, t.width) for t in tiles_for_size(size)}


def check_log(services: Services, entries: list[bytes]) -> None:
    """The invariant after any step: the served log is exactly the tree of `entries`."""
    ledger = services.ledger
    hashes = [leaf_hash(e) for e in entries]
    checkpoint = open_checkpoint(ledger.checkpoint_note(), ledger.origin, ledger.verifier)
    assert checkpoint.size == len(entries) == ledger.size()
    assert checkpoint.root_hash == root_hash(hashes)
    tiles = stored_tiles(ledger, len(entries))
    verify_tiles(checkpoint.size, checkpoint.root_hash, tiles)  # type: ignore[arg-type]
    for tile, data in tiles.items():
        assert data == b"".join(tile_hashes(tile, hashes))  # type: ignore[arg-type]
    assert ledger.entries(0, len(entries)) == entries


def test_an_empty_log_serves_a_signed_empty_checkpoint(services: Services) -> None:
    ledger = services.ledger
    checkpoint = open_checkpoint(ledger.checkpoint_note(), ledger.origin, ledger.verifier)
    assert (checkpoint.size, checkpoint.root_hash) == (0, EMPTY_ROOT)
    assert ledger.integrate() is None
    assert ledger.signed_at() is None
    assert ledger.resign().size == 0
    assert ledger.checkpoint_note() == services.ledger.checkpoint_note()
    assert ledger.signed_at() is not None


def test_appended_entries_wait_for_the_sequencer(services: Services) -> None:
    append(services, range(3))
    assert services.ledger.size() == 0
    checkpoint = services.ledger.integrate()
    assert checkpoint is not None
    assert checkpoint.size == 3
    check_log(services, [make_entry(n) for n in range(3)])


def test_a_rolled_back_transaction_leaves_no_entry(services: Services) -> None:
    def failing_change() -> None:
        with services.db.write() as conn:
            services.ledger.append(conn, make_entry(1))
            raise RuntimeError("the domain change failed")

    with pytest.raises(RuntimeError):
        failing_change()
    assert services.ledger.integrate() is None
    with services.db.read() as conn:
        assert conn.execute(select(func.count()).select_from(tables.ledger_pending)).scalar() == 0


def test_batches_grow_one_tree(services: Services) -> None:
    entries: list[bytes] = []
    for start, count in [(0, 1), (1, 255), (256, 1), (257, 600), (857, 3)]:
        entries += append(services, range(start, start + count))
        services.ledger.integrate(max_batch=250)  # several integrations per append
        while services.ledger.integrate(max_batch=250):
            pass
        check_log(services, entries)


def test_inclusion_proofs_and_receipts_verify(services: Services) -> None:
    entries = append(services, range(700))
    services.ledger.integrate()
    ledger = services.ledger
    root = ledger.checkpoint().root_hash
    for index in (0, 1, 255, 256, 511, 699):
        proof = ledger.inclusion_proof(index, 700)
        verify_inclusion(leaf_hash(entries[index]), index, 700, proof, root)
        receipt = parse_receipt(ledger.receipt(index))
        verify_receipt(receipt, entries[index], ledger.origin, ledger.verifier)
    older = root_hash([leaf_hash(e) for e in entries[:300]])
    verify_inclusion(leaf_hash(entries[42]), 42, 300, ledger.inclusion_proof(42, 300), older)


def test_partial_widths_are_prefixes_of_the_newest_tile(services: Services) -> None:
    entries = append(services, range(300))
    services.ledger.integrate()
    hashes = [leaf_hash(e) for e in entries]
    assert services.ledger.tile(0, 1, 7) == b"".join(hashes[256:263])
    assert decode_bundle(services.ledger.bundle(1, 7)) == entries[256:263]
    assert decode_bundle(services.ledger.bundle(0)) == entries[:256]
    with pytest.raises(LedgerNotFoundError):
        services.ledger.tile(0, 1, 45)
    with pytest.raises(LedgerNotFoundError):
        services.ledger.bundle(1)


@pytest.mark.parametrize(
    ("call", "args"),
    [
        ("entry", (5,)),
        ("entry", (-1,)),
        ("entry", (2**70,)),
        ("tile", (0, 1)),
        ("tile", (7, 2**60)),
        ("bundle", (2**62,)),
        ("inclusion_proof", (5, 5)),
        ("inclusion_proof", (0, 6)),
        ("receipt", (5,)),
    ],
)
def test_beyond_the_log_is_not_found(services: Services, call: str, args: tuple[int]) -> None:
    append(services, range(5))
    services.ledger.integrate()
    with pytest.raises(LedgerNotFoundError) as raised:
        getattr(services.ledger, call)(*args)
    assert isinstance(raised.value, NotFoundError)


def test_only_canonical_entries_are_appended(services: Services) -> None:
    with pytest.raises(MalformedError) as raised, services.db.write() as conn:
        services.ledger.append(conn, b'{"v":1,"type":"a"}')
    assert isinstance(raised.value, InvalidInputError)


def test_resign_refreshes_the_latest_checkpoint(services: Services) -> None:
    append(services, range(2))
    services.ledger.integrate()
    note = services.ledger.checkpoint_note()
    first = services.ledger.signed_at()
    assert services.ledger.resign().size == 2
    assert services.ledger.checkpoint_note() == note  # Ed25519 is deterministic
    assert services.ledger.signed_at() is not None
    assert first is not None
    assert services.ledger.signed_at() >= first  # type: ignore[operator]


def test_concurrent_appenders_and_two_sequencers_never_fork(services: Services) -> None:
    """Eight appender threads and two `LedgerLog`s integrating at once (two server processes
    sharing a database): every entry lands exactly once, in one tree."""
    second = LedgerLog(services.db, _signer(services), SystemClock())
    appended: list[bytes] = []
    lock, done = threading.Lock(), threading.Event()

    def appender(worker: int) -> None:
        for batch in range(10):
            entries = [make_entry(worker * 1000 + batch * 10 + n) for n in range(10)]
            with services.db.write() as conn:
                for entry in entries:
                    services.ledger.append(conn, entry)
            with lock:
                appended.extend(entries)

    def sequencer(log: LedgerLog) -> None:
        while not done.is_set():
            log.integrate(max_batch=37)

    sequencers = [
        threading.Thread(target=sequencer, args=(log,)) for log in (services.ledger, second)
    ]
    appenders = [threading.Thread(target=appender, args=(n,)) for n in range(8)]
    for thread in sequencers + appenders:
        thread.start()
    for thread in appenders:
        thread.join()
    done.set()
    for thread in sequencers:
        thread.join()
    while services.ledger.integrate():
        pass
    integrated = services.ledger.entries(0, 10_000)
    assert sorted(integrated) == sorted(appended)
    assert len(integrated) == 800
    check_log(services, integrated)


def _signer(services: Services) -> Signer:
    path = services.settings.resolved_ledger_key_file
    return read_or_create_signer(path, services.settings.ledger_origin)


def test_the_key_file_is_private_and_reused(services: Services, tmp_path: Path) -> None:
    path = services.settings.resolved_ledger_key_file
    assert path == services.settings.data_dir / "ledger.key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert path.read_text().startswith(f"PRIVATE+KEY+{services.ledger.origin}+")
    assert _signer(services).verifier() == services.ledger.verifier
    assert services.ledger.origin == "testserver/ledger"


def test_processes_starting_together_share_one_key(tmp_path: Path) -> None:
    path = tmp_path / "data" / "ledger.key"
    found: list[str] = []
    threads = [
        threading.Thread(
            target=lambda: found.append(read_or_create_signer(path, "x/ledger").private_key())
        )
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(found)) == 1
    assert len(found) == 8
    assert [p.name for p in path.parent.iterdir()] == ["ledger.key"]


def test_a_key_for_another_origin_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ledger.key"
    read_or_create_signer(path, "old.example/ledger")
    with pytest.raises(LedgerKeyError, match=r"old\.example/ledger"):
        read_or_create_signer(path, "new.example/ledger")


def test_a_witness_cosignature_is_served_with_the_checkpoint(services: Services) -> None:
    append(services, range(4))
    checkpoint = services.ledger.integrate()
    assert checkpoint is not None
    witness = CosignatureSigner("witness.example/w", bytes(range(32)))
    cosigned = sign_note(checkpoint.format(), [witness.at(1_800_000_000)]).decode()
    line = cosigned[cosigned.rindex("\n\n") + 2 :]
    services.ledger.add_cosignature(4, witness.verifier(), line)
    services.ledger.add_cosignature(4, witness.verifier(), line)  # a retry replaces it
    note = services.ledger.checkpoint_note()
    assert note.count(b"witness.example/w") == 1
    ledger = services.ledger
    open_checkpoint(note, ledger.origin, ledger.verifier, [witness.verifier()], quorum=1)
    forged = line.replace(line[-10:-2], "AAAAAAAA")
    with pytest.raises(VerificationError):
        services.ledger.add_cosignature(4, witness.verifier(), forged)


def test_the_sequencer_integrates_then_resigns_when_idle(services: Services) -> None:
    heard: list[int] = []
    sequencer = Sequencer(
        services.ledger, resign_seconds=0, on_checkpoint=lambda c: heard.append(c.size)
    )
    append(services, range(3))
    assert sequencer.step() is not None
    assert heard == [3]
    sequencer.step()  # nothing queued: re-signs
    assert heard == [3, 3]
    sequencer.start()
    append(services, range(3, 5))
    for _ in range(100):
        if services.ledger.size() == 5:
            break
        threading.Event().wait(0.05)
    sequencer.stop()
    assert services.ledger.size() == 5


def test_append_many_queues_in_order_in_one_statement(services: Services) -> None:
    entries = [make_entry(n) for n in range(5)]
    with services.db.write() as conn:
        services.ledger.append_many(conn, entries[:3])
        services.ledger.append_many(conn, [])
        first = services.ledger.append(conn, entries[3])
        assert services.ledger.append(conn, entries[4]) > first
    services.ledger.integrate()
    check_log(services, entries)
