"""The ledger's public API: what `__all__` promises, and one error family."""

import inspect

import townsquare.ledger as ledger
from townsquare.kernel import InvalidInputError, TownsquareError

CONTRACT = {
    # Names other tools call (the brief's contract); removing one is a breaking change.
    "leaf_hash", "node_hash", "root_hash", "inclusion_proof", "consistency_proof",
    "verify_inclusion", "verify_consistency", "VerificationError", "LedgerError",
    "Signer", "Verifier", "sign_note", "open_note", "Note", "NoteSignature", "generate_signer",
    "CosignatureSigner", "Checkpoint", "parse_checkpoint", "tile_path", "entry_bundle_path",
    "encode_bundle", "decode_bundle", "tile_hashes", "root_from_tiles",
}  # fmt: skip


def test_all_lists_exactly_the_public_names() -> None:
    assert sorted(ledger.__all__) == sorted(set(ledger.__all__))
    for name in ledger.__all__:
        assert hasattr(ledger, name), name
    public = {name for name in vars(ledger) if not name.startswith("_")}
    assert public - set(ledger.__all__) == set()  # no private module leaks as a public name


def test_the_contract_names_are_exported() -> None:
    assert set(ledger.__all__) >= CONTRACT


def test_one_error_family_under_townsquare_error() -> None:
    errors = [
        value
        for value in vars(ledger).values()
        if inspect.isclass(value) and issubclass(value, Exception)
    ]
    assert {e.__name__ for e in errors} == {
        "LedgerError",
        "MalformedError",
        "VerificationError",
        "EntryTooLargeError",
        "LedgerNotFoundError",
        "LedgerKeyError",
    }
    assert all(issubclass(error, ledger.LedgerError) for error in errors)
    assert issubclass(ledger.LedgerError, TownsquareError)
    assert issubclass(ledger.MalformedError, InvalidInputError)  # the edge answers 400
    assert not issubclass(ledger.VerificationError, InvalidInputError)
