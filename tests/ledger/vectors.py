"""Public test vectors in shared/testdata/tlog (see its README for their sources).

The shared folder sits beside the checkout (`…/<clone>/` and `…/shared/`). A missing folder is
a broken setup, so loading fails loudly instead of skipping.
"""

import json
from pathlib import Path
from typing import Any

VECTORS = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "tlog"


def load_vectors(name: str) -> Any:
    path = VECTORS / name
    if not path.is_file():
        raise FileNotFoundError(f"test vectors missing: expected {path} (shared/ beside the repo)")
    return json.loads(path.read_text(encoding="utf-8"))


def hashes(hex_values: list[str]) -> list[bytes]:
    return [bytes.fromhex(value) for value in hex_values]
