"""The whole-log verifier against logs built from the pure core, faithful and tampered with."""

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from townsquare.ledger import (
    Signer,
    VerificationError,
    VerifiedState,
    VerifierStateDirectory,
    encode_bundle,
    entry_bundle_path,
    leaf_hash,
    tile_path,
    tiles_for_size,
    verify_log,
)

from .static_logs import LOG_SIGNER, ORIGIN, StaticLog, make_entry, make_log

VERIFIER = LOG_SIGNER.verifier()


def verified(log: StaticLog, state: VerifierStateDirectory | None = None) -> VerifiedState:
    """Verify `log` and, like the command, save the new state when there is one."""
    result = verify_log(log.fetch, VERIFIER, state)
    if state is not None:
        state.save(result)
    return result


def rewritten_log(size: int, changed: range) -> StaticLog:
    """The log as a server rewriting history would publish it, signed with the right key."""
    log = StaticLog()
    log.append(
        *(make_entry(n, "test.rewritten" if n in changed else "test.action") for n in range(size))
    )
    return log


# --- A faithful log ---


@pytest.mark.parametrize("size", [0, 1, 7, 256, 257, 600, 70_000])
def test_a_faithful_log_verifies(size: int) -> None:
    log = make_log(size)

    result = verify_log(log.fetch, VERIFIER, None)

    checkpoint = log.checkpoint()
    assert result == VerifiedState(ORIGIN, size, checkpoint.root_hash, log.files["checkpoint"])


def test_every_tile_and_bundle_is_read() -> None:
    log = make_log(600)

    verify_log(log.fetch, VERIFIER, None)

    tiles = tiles_for_size(600)
    bundles = [entry_bundle_path(t.index, t.width) for t in tiles if t.level == 0]
    assert sorted(log.fetched) == sorted(["checkpoint", *(t.path for t in tiles), *bundles])


def test_progress_counts_every_file_up_to_the_total() -> None:
    log = make_log(600)
    reports: list[tuple[int, int]] = []

    verify_log(
        log.fetch, VERIFIER, None, progress=lambda done, total: reports.append((done, total))
    )

    total = len(log.fetched) - 1  # every file but the checkpoint
    assert reports[0] == (0, total)
    assert reports[-1] == (total, total)
    assert [done for done, _ in reports] == sorted(done for done, _ in reports)


def test_on_entry_is_told_every_entry_in_order_including_kept_bundles(tmp_path: Path) -> None:
    log, state = make_log(600), VerifierStateDirectory(tmp_path)
    verified(log, state)  # full bundles are now kept: the rerun reads them from the state
    seen: list[tuple[int, bytes]] = []

    verify_log(log.fetch, VERIFIER, state, on_entry=lambda i, entry: seen.append((i, entry)))

    assert seen == [(n, make_entry(n)) for n in range(600)]


def test_a_grown_log_is_consistent_with_the_saved_state(tmp_path: Path) -> None:
    log, state = make_log(300), VerifierStateDirectory(tmp_path)
    verified(log, state)

    log.grow(500)
    result = verified(log, state)

    assert (result.size, result.root_hash) == (800, log.checkpoint().root_hash)
    assert state.last_verified() == result


def test_a_rerun_reads_full_tiles_and_bundles_from_the_state(tmp_path: Path) -> None:
    log, state = make_log(600), VerifierStateDirectory(tmp_path)
    verified(log, state)
    log.fetched.clear()

    verified(log, state)

    # Only the mutable checkpoint and the partial (rightmost) files are fetched again.
    partial = [t for t in tiles_for_size(600) if not t.is_full]
    expected = ["checkpoint", *(t.path for t in partial), entry_bundle_path(2, 88)]
    assert sorted(log.fetched) == sorted(expected)
    assert (tmp_path / "files" / tile_path(0, 1)).read_bytes() == log.files[tile_path(0, 1)]


def test_the_state_directory_survives_a_round_trip(tmp_path: Path) -> None:
    log, state = make_log(7), VerifierStateDirectory(tmp_path)
    result = verified(log, state)

    assert VerifierStateDirectory(tmp_path).last_verified() == result
    saved = json.loads((tmp_path / "checkpoint.json").read_text())
    assert saved["size"] == 7
    assert saved["checkpoint"].encode() == log.files["checkpoint"]


# --- Tampering, each caught with a message saying what was expected and found ---


def test_an_edited_entry_is_caught_by_its_bundle() -> None:
    log = make_log(7)
    bundle = entry_bundle_path(0, 7)
    log.files[bundle] = log.files[bundle].replace(b'"n":3', b'"n":9')

    with pytest.raises(VerificationError) as caught:
        verify_log(log.fetch, VERIFIER, None)

    message = str(caught.value)
    assert message.startswith("tile/entries/000.p/7 (entries 0 to 6): entry 3 of the bundle")
    assert f"expected leaf hash {leaf_hash(make_entry(3)).hex()}" in message


def test_an_edited_entry_with_recomputed_tiles_is_caught_by_the_signed_root() -> None:
    log, edited = make_log(7), make_log(7)
    edited.entries[3] = make_entry(9)
    forged = StaticLog()
    forged.append(*edited.entries)
    log.files.update({path: data for path, data in forged.files.items() if path != "checkpoint"})

    with pytest.raises(
        VerificationError, match=r"^tiles of the checkpoint of size 7: .*"
    ) as caught:
        verify_log(log.fetch, VERIFIER, None)

    assert f"expected root {log.checkpoint().root_hash.hex()}" in str(caught.value)


def test_a_dropped_entry_is_caught() -> None:
    log = make_log(300)
    bundle = entry_bundle_path(1, 44)
    log.files[bundle] = encode_bundle(log.entries[256:299])  # the last entry is gone

    with pytest.raises(
        VerificationError,
        match=r"^tile/entries/001\.p/44 \(entries 256 to 299\): entry bundle: expected 44 "
        r"entries \(one per tile hash\), found 43$",
    ):
        verify_log(log.fetch, VERIFIER, None)


def test_a_rewritten_history_signed_with_the_right_key_is_a_fork(tmp_path: Path) -> None:
    log, state = make_log(5), VerifierStateDirectory(tmp_path)
    verified(log, state)
    rewritten = rewritten_log(7, changed=range(7))

    with pytest.raises(
        VerificationError,
        match=r"^fork: expected the tree of size 7 to extend the last verified "
        rf"{ORIGIN} at size 5 \(root .*\), found it does not",
    ):
        verify_log(rewritten.fetch, VERIFIER, state)
    assert state.last_verified() is not None
    assert state.last_verified().size == 5  # type: ignore[union-attr]


def test_a_rewritten_full_tile_is_a_fork_despite_the_kept_copy(tmp_path: Path) -> None:
    log, state = make_log(300), VerifierStateDirectory(tmp_path)
    verified(log, state)
    rewritten = rewritten_log(400, changed=range(10, 11))

    with pytest.raises(VerificationError, match=r"^fork: expected the tree of size 400 to extend"):
        verify_log(rewritten.fetch, VERIFIER, state)


@pytest.mark.parametrize("path", [tile_path(0, 0), entry_bundle_path(0)])
def test_a_damaged_kept_copy_is_fetched_again(tmp_path: Path, path: str) -> None:
    log, state = make_log(300), VerifierStateDirectory(tmp_path)
    verified(log, state)
    (tmp_path / "files" / path).write_bytes(b"damaged")
    log.fetched.clear()

    verified(log, state)

    assert path in log.fetched
    assert (tmp_path / "files" / path).read_bytes() == log.files[path]


def test_a_rewritten_history_is_a_fork_without_kept_files_too(tmp_path: Path) -> None:
    log, state = make_log(300), VerifierStateDirectory(tmp_path)
    verified(log, state)
    (tmp_path / "files").rename(tmp_path / "dropped")
    rewritten = rewritten_log(400, changed=range(10, 11))

    with pytest.raises(VerificationError, match=r"^fork: expected the tree of size 400 to extend"):
        verify_log(rewritten.fetch, VERIFIER, state)


def test_the_same_size_with_another_root_is_a_fork(tmp_path: Path) -> None:
    log, state = make_log(7), VerifierStateDirectory(tmp_path)
    verified(log, state)
    rewritten = rewritten_log(7, changed=range(7))

    with pytest.raises(VerificationError, match=r"^fork: expected root .* at size 7"):
        verify_log(rewritten.fetch, VERIFIER, state)


def test_a_checkpoint_signed_by_another_key_names_both_keys() -> None:
    log = make_log(7)
    impostor = Signer(ORIGIN, b"\x07" * 32)
    log.files["checkpoint"] = log.signed_checkpoint(signer=impostor)

    with pytest.raises(VerificationError) as caught:
        verify_log(log.fetch, VERIFIER, None)

    assert str(caught.value) == (
        f"checkpoint: note: expected a signature by {ORIGIN}+{VERIFIER.key_id:08x}, "
        f"found signatures by {ORIGIN}+{impostor.key_id:08x} only"
    )


def test_a_checkpoint_of_another_log_is_refused() -> None:
    other = Signer("other.example/log", LOG_SIGNER.seed)
    log = make_log(3, signer=other)

    with pytest.raises(VerificationError, match=r"^checkpoint: note: expected a signature by"):
        verify_log(log.fetch, VERIFIER, None)
    with pytest.raises(VerificationError, match=r"checkpoint origin: expected 'elsewhere'"):
        verify_log(log.fetch, other.verifier(), None, origin="elsewhere")


def test_a_truncated_tile_is_caught() -> None:
    log = make_log(7)
    log.files[tile_path(0, 0, 7)] = log.files[tile_path(0, 0, 7)][:-5]

    with pytest.raises(
        VerificationError,
        match=r"^tiles of the checkpoint of size 7: tile/0/000\.p/7: tile: expected 7 hashes "
        r"of 32 bytes, found 219 bytes$",
    ):
        verify_log(log.fetch, VERIFIER, None)


def test_a_missing_tile_is_caught() -> None:
    log = make_log(300)
    del log.files[tile_path(0, 0)]

    with pytest.raises(VerificationError, match=r"^tile/0/000: expected a file, found none"):
        verify_log(log.fetch, VERIFIER, None)


def test_a_rollback_to_a_smaller_size_is_caught(tmp_path: Path) -> None:
    log, state = make_log(7), VerifierStateDirectory(tmp_path)
    verified(log, state)
    log.files["checkpoint"] = log.signed_checkpoint(5)

    with pytest.raises(
        VerificationError,
        match=rf"^rollback: expected a tree of at least 7 entries \(last verified: {ORIGIN} "
        r"at size 7 \(root .*\)\), found a checkpoint of size 5$",
    ):
        verify_log(log.fetch, VERIFIER, state)


def test_an_entry_that_is_not_a_townsquare_entry_is_caught() -> None:
    log = StaticLog()
    log.append(make_entry(0), b'{"type":"test.action","v":1, "n":1}')  # not canonical

    with pytest.raises(VerificationError, match=r"^entry 1: entry: expected canonical JSON"):
        verify_log(log.fetch, VERIFIER, None)


def test_a_failed_run_keeps_the_saved_state(tmp_path: Path) -> None:
    log, state = make_log(7), VerifierStateDirectory(tmp_path)
    before = verified(log, state)
    log.grow(3)
    log.files[entry_bundle_path(0, 10)] = b""

    with pytest.raises(VerificationError):
        verify_log(log.fetch, VERIFIER, state)

    assert state.last_verified() == before


# --- Property: any single flipped byte in a file the tree needs is caught ---

LOG = make_log(300)
NEEDED = ["checkpoint", *(path for path in LOG.files if path != "checkpoint")]


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(NEEDED), st.data())
def test_any_flipped_byte_is_caught(path: str, data: st.DataObject) -> None:
    files = LOG.files
    position = data.draw(st.integers(0, len(files[path]) - 1))
    flip = data.draw(st.integers(1, 255))
    corrupted = bytearray(files[path])
    corrupted[position] ^= flip
    log = StaticLog(entries=LOG.entries, files={**files, path: bytes(corrupted)})

    with pytest.raises(VerificationError):
        verify_log(log.fetch, VERIFIER, None)


# --- An independent verifier reads the same files (tlog-scales, test-only) ---


def test_tlog_scales_verifies_the_checkpoint_and_tiles(tmp_path: Path) -> None:
    from tlog_scales.backend import LocalBackend
    from tlog_scales.reader import TilesReader
    from tlog_scales.signing import Vkey
    from tlog_scales.tiles import leaf_hash as scales_leaf_hash

    log = make_log(300)
    old_root = log.checkpoint().root_hash
    log.grow(400)
    log.write_to(tmp_path)
    reader = TilesReader(LocalBackend(tmp_path))

    checkpoint = reader.get_checkpoint()
    checkpoint.verify(Vkey.from_string(VERIFIER.vkey()))
    assert (checkpoint.origin, checkpoint.size) == (ORIGIN, 700)
    assert reader.calculate_root_hash() == checkpoint.root_hash == log.checkpoint().root_hash
    for index in (0, 255, 256, 511, 699):
        entry = reader.get_entry(index)
        assert entry == log.entries[index]
        proof = reader.get_inclusion_proof(index, 700)
        proof.check(scales_leaf_hash(entry), checkpoint.root_hash)
    reader.get_consistency_proof(300, 700).check(old_root, checkpoint.root_hash)
