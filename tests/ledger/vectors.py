"""Public test vectors, vendored in `tlog_vectors/` (its README gives their sources and licences).

The files live in the repository so a fresh clone tests itself; a missing file is a broken
checkout, so loading fails loudly instead of skipping.
"""

import json
from pathlib import Path
from typing import Any

VECTORS = Path(__file__).resolve().parent / "tlog_vectors"


def load_vectors(name: str) -> Any:
    path = VECTORS / name
    if not path.is_file():
        raise FileNotFoundError(f"test vectors missing: expected {path} (tlog_vectors/README.md)")
    return json.loads(path.read_text(encoding="utf-8"))


def hashes(hex_values: list[str]) -> list[bytes]:
    return [bytes.fromhex(value) for value in hex_values]
