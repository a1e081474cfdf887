"""Strict text codecs shared by notes, checkpoints and receipts.

C2SP formats use standard padded base64 (RFC 4648 §4) and ASCII decimals without leading zeros.
Decoding is strict so that one value has exactly one spelling: a signed text that parses must
re-encode to the same bytes.
"""

import base64
import binascii
import re

from townsquare.ledger._errors import MalformedError

__all__ = ["decode_base64", "encode_base64", "parse_decimal"]

_DECIMAL = re.compile(r"0|[1-9][0-9]*")
MAX_INT64 = 2**63 - 1


def encode_base64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def decode_base64(text: str, what: str) -> bytes:
    """Decode canonical padded base64, or raise `MalformedError` naming `what`."""
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error) as error:
        raise MalformedError(f"{what}: expected standard padded base64, found {text!r}") from error
    if encode_base64(data) != text:
        raise MalformedError(f"{what}: expected canonical base64, found {text!r}")
    return data


def parse_decimal(text: str, what: str, maximum: int = MAX_INT64) -> int:
    """Parse an ASCII decimal with no sign and no leading zeros, at most `maximum`."""
    if not _DECIMAL.fullmatch(text):
        raise MalformedError(f"{what}: expected a decimal without leading zeros, found {text!r}")
    value = int(text)
    if value > maximum:
        raise MalformedError(f"{what}: expected at most {maximum}, found {value}")
    return value
