"""Note keys: Ed25519 signers and verifiers in the formats of Go's golang.org/x/mod/sumdb/note.

* vkey (c2sp.org/signed-note): `<name>+<8 hex key ID>+base64(type || public key)`.
* private key (Go, not C2SP): `PRIVATE+KEY+<name>+<8 hex key ID>+base64(type || 32-byte seed)`.

Both are split on their first `+` signs only, because standard base64 may itself contain `+`.
Two signature types are supported: Ed25519 over the note text (0x01, a log signing its
checkpoints) and Ed25519 cosignature/v1 (0x04, c2sp.org/tlog-cosignature, a witness). The key ID
is SHA-256(name || 0x0A || type || public key)[:4] read big-endian, so one seed used for both
types gets two different key IDs.
"""

import hashlib
import os
from dataclasses import dataclass, field
from enum import IntEnum
from functools import cached_property
from typing import ClassVar, Protocol, Self

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from townsquare.ledger._codec import MAX_INT64, decode_base64, encode_base64
from townsquare.ledger._errors import MalformedError, VerificationError

__all__ = [
    "CosignatureSigner",
    "NoteSigner",
    "SignatureType",
    "Signer",
    "Verifier",
    "check_key_name",
    "cosignature_timestamp",
    "generate_signer",
    "key_id",
]

_ED25519_KEY_SIZE = 32
_ED25519_SIGNATURE_SIZE = 64
_TIMESTAMP_SIZE = 8


class SignatureType(IntEnum):
    """Signature type bytes assigned by c2sp.org/signed-note that this package implements."""

    ED25519 = 0x01
    COSIGNATURE_V1 = 0x04


class NoteSigner(Protocol):
    """Anything that can add one signature line to a note."""

    @property
    def name(self) -> str: ...

    @property
    def key_id(self) -> int: ...

    def sign(self, text: bytes) -> bytes:
        """The signature bytes (without the key ID) over the note text."""
        ...


def key_id(name: str, key_type: int, public_key: bytes) -> int:
    """SHA-256(name || 0x0A || type || public key)[:4] as a big-endian uint32."""
    digest = hashlib.sha256(name.encode() + b"\n" + bytes([key_type]) + public_key).digest()
    return int.from_bytes(digest[:4], "big")


def check_key_name(name: str) -> None:
    """Key names are non-empty, with no Unicode space, no `+` and no control character."""
    if not name or "+" in name or any(ch.isspace() or ch < " " for ch in name):
        raise MalformedError(f"key name: expected no spaces or '+', found {name!r}")
    try:
        name.encode()
    except UnicodeEncodeError as error:
        raise MalformedError(f"key name: expected valid Unicode, found {name!r}") from error


def cosignature_timestamp(signature: bytes) -> int:
    """The POSIX time a cosignature/v1 signature (without its key ID) claims it was made."""
    if len(signature) != _TIMESTAMP_SIZE + _ED25519_SIGNATURE_SIZE:
        raise MalformedError(
            f"cosignature: expected {_TIMESTAMP_SIZE + _ED25519_SIGNATURE_SIZE} bytes, "
            f"found {len(signature)}"
        )
    return int.from_bytes(signature[:_TIMESTAMP_SIZE], "big")


def _cosigned_message(text: bytes, timestamp: int) -> bytes:
    # c2sp.org/tlog-cosignature, "Ed25519 signed message": header, time line, whole note text.
    return b"cosignature/v1\ntime %d\n" % timestamp + text


@dataclass(frozen=True)
class Verifier:
    """A public key that can check one signer's note signatures."""

    name: str
    key_type: SignatureType
    public_key: bytes = field(repr=False)
    key_id: int = field(init=False)

    def __post_init__(self) -> None:
        check_key_name(self.name)
        if len(self.public_key) != _ED25519_KEY_SIZE:
            raise MalformedError(
                f"public key: expected {_ED25519_KEY_SIZE} bytes, found {len(self.public_key)}"
            )
        object.__setattr__(self, "key_id", key_id(self.name, self.key_type, self.public_key))

    @classmethod
    def from_vkey(cls, vkey: str) -> Self:
        """Parse `<name>+<hex key ID>+base64(type || public key)`; the key ID must match."""
        name, _, rest = vkey.partition("+")
        hex_id, _, encoded = rest.partition("+")
        key = decode_base64(encoded, "vkey key")
        verifier = cls(name, _key_type(key[:1], "vkey"), key[1:])
        _check_hex_id(hex_id, verifier.key_id, "vkey")
        return verifier

    def vkey(self) -> str:
        encoded = encode_base64(bytes([self.key_type]) + self.public_key)
        return f"{self.name}+{self.key_id:08x}+{encoded}"

    def verify(self, text: bytes, signature: bytes) -> None:
        """Return None if `signature` (without key ID) signs `text`; raise VerificationError."""
        message, ed25519_signature = text, signature
        if self.key_type is SignatureType.COSIGNATURE_V1:
            timestamp = self._cosignature_timestamp(signature)
            message = _cosigned_message(text, timestamp)
            ed25519_signature = signature[_TIMESTAMP_SIZE:]
        if len(ed25519_signature) != _ED25519_SIGNATURE_SIZE:
            raise VerificationError(
                f"signature by {self.name}+{self.key_id:08x}: expected "
                f"{_ED25519_SIGNATURE_SIZE} Ed25519 bytes, found {len(ed25519_signature)}"
            )
        try:
            self._public_key.verify(ed25519_signature, message)
        except InvalidSignature:
            raise VerificationError(
                f"signature by {self.name}+{self.key_id:08x}: expected a valid "
                f"{self.key_type.name} signature over the note text, found one that fails"
            ) from None

    @cached_property
    def _public_key(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(self.public_key)

    def _cosignature_timestamp(self, signature: bytes) -> int:
        try:
            timestamp = cosignature_timestamp(signature)
        except MalformedError as error:
            raise VerificationError(f"cosignature by {self.name}: {error}") from None
        if timestamp > MAX_INT64:
            raise VerificationError(
                f"cosignature by {self.name}: expected a timestamp < 2^63, found {timestamp}"
            )
        return timestamp


@dataclass(frozen=True)
class _SigningKey:
    """An Ed25519 seed under a key name; subclasses fix what the key signs."""

    KEY_TYPE: ClassVar[SignatureType]

    name: str
    seed: bytes = field(repr=False)

    def __post_init__(self) -> None:
        check_key_name(self.name)
        if len(self.seed) != _ED25519_KEY_SIZE:
            raise MalformedError(
                f"private key: expected a {_ED25519_KEY_SIZE}-byte seed, found {len(self.seed)}"
            )

    @classmethod
    def from_private_key(cls, text: str) -> Self:
        """Parse Go's `PRIVATE+KEY+<name>+<hex key ID>+base64(type || seed)`."""
        private, _, rest = text.partition("+")
        key_word, _, rest = rest.partition("+")
        if (private, key_word) != ("PRIVATE", "KEY"):
            raise MalformedError("private key: expected the prefix 'PRIVATE+KEY+', found another")
        name, _, rest = rest.partition("+")
        hex_id, _, encoded = rest.partition("+")
        key = decode_base64(encoded, "private key")
        if _key_type(key[:1], "private key") is not cls.KEY_TYPE:
            raise MalformedError(
                f"private key: expected type {cls.KEY_TYPE:#04x}, found {key[0]:#04x}"
            )
        signer = cls(name, key[1:])
        _check_hex_id(hex_id, signer.key_id, "private key")
        return signer

    def private_key(self) -> str:
        encoded = encode_base64(bytes([self.KEY_TYPE]) + self.seed)
        return f"PRIVATE+KEY+{self.name}+{self.key_id:08x}+{encoded}"

    def verifier(self) -> Verifier:
        return Verifier(self.name, self.KEY_TYPE, self._public_bytes)

    @cached_property
    def key_id(self) -> int:
        return key_id(self.name, self.KEY_TYPE, self._public_bytes)

    @cached_property
    def _private_key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.seed)

    @cached_property
    def _public_bytes(self) -> bytes:
        return self._private_key.public_key().public_bytes_raw()


class Signer(_SigningKey):
    """A log's Ed25519 note signer (type 0x01); signatures are byte-identical to Go's."""

    KEY_TYPE = SignatureType.ED25519

    def sign(self, text: bytes) -> bytes:
        return self._private_key.sign(text)


class CosignatureSigner(_SigningKey):
    """A witness's Ed25519 cosignature/v1 signer (type 0x04).

    A cosignature states "as of `timestamp` this is the largest consistent tree I have seen",
    so signing needs the time: `sign(text, timestamp)`, or `at(timestamp)` for a `NoteSigner`
    to pass to `sign_note`. Its private key text uses type byte 0x04 (Go has no format for it).
    """

    KEY_TYPE = SignatureType.COSIGNATURE_V1

    def sign(self, text: bytes, timestamp: int) -> bytes:
        if not 0 <= timestamp <= MAX_INT64:
            raise MalformedError(f"timestamp: expected 0 <= t < 2^63, found {timestamp}")
        signature = self._private_key.sign(_cosigned_message(text, timestamp))
        return timestamp.to_bytes(_TIMESTAMP_SIZE, "big") + signature

    def at(self, timestamp: int) -> "TimedCosigner":
        return TimedCosigner(self, timestamp)


@dataclass(frozen=True)
class TimedCosigner:
    """A cosignature signer bound to the POSIX time it states (a `NoteSigner`)."""

    cosigner: CosignatureSigner
    timestamp: int

    @property
    def name(self) -> str:
        return self.cosigner.name

    @property
    def key_id(self) -> int:
        return self.cosigner.key_id

    def sign(self, text: bytes) -> bytes:
        return self.cosigner.sign(text, self.timestamp)


def generate_signer(
    name: str, seed: bytes | None = None, key_type: SignatureType = SignatureType.ED25519
) -> tuple[str, str]:
    """A new key as (private key text, vkey text); the seed is 32 random bytes unless given."""
    key_class = {SignatureType.ED25519: Signer, SignatureType.COSIGNATURE_V1: CosignatureSigner}
    signer = key_class[key_type](name, os.urandom(_ED25519_KEY_SIZE) if seed is None else seed)
    return signer.private_key(), signer.verifier().vkey()


def _key_type(type_byte: bytes, what: str) -> SignatureType:
    try:
        return SignatureType(type_byte[0])
    except (IndexError, ValueError):
        found = f"{type_byte[0]:#04x}" if type_byte else "no key"
        raise MalformedError(
            f"{what}: expected signature type 0x01 or 0x04, found {found}"
        ) from None


def _check_hex_id(hex_id: str, expected: int, what: str) -> None:
    if len(hex_id) != 8 or any(ch not in "0123456789abcdefABCDEF" for ch in hex_id):
        raise MalformedError(f"{what}: expected an 8-digit hex key ID, found {hex_id!r}")
    if int(hex_id, 16) != expected:
        raise MalformedError(
            f"{what}: expected key ID {expected:08x} (hash of name and key), found {hex_id}"
        )
