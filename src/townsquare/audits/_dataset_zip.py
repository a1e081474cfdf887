"""The dataset as one zip file of its CSV files, the form a published audit run offers it in.

The bytes are deterministic for a given dataset on a given zlib: files in name order, every
entry dated 1980-01-01 (the zip format's first day), the same permissions, no extra fields.
A run's zip is stored as published, so the SHA-256 its ledger entry holds is that of the
bytes served, whatever a later zlib would write.
"""

import tempfile
import zipfile
from io import BytesIO
from pathlib import Path

from townsquare.audits._dataset import AuditDataset
from townsquare.audits._dataset_csv import write_dataset

__all__ = ["dataset_zip"]

_EPOCH = (1980, 1, 1, 0, 0, 0)
_UNIX = 3  # the "made by" system: Unix, so the permissions below are read as such
_READABLE = 0o100644 << 16  # a regular file, rw-r--r--


def dataset_zip(dataset: AuditDataset) -> bytes:
    """The CSV files `write_dataset` writes for `dataset`, zipped."""
    out = BytesIO()
    with tempfile.TemporaryDirectory() as folder:
        write_dataset(Path(folder), dataset)
        with zipfile.ZipFile(out, "w") as archive:
            for path in sorted(Path(folder).iterdir()):
                archive.writestr(_entry(path.name), path.read_bytes())
    return out.getvalue()


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = _UNIX
    info.external_attr = _READABLE
    return info
