"""Where media attachment files are kept: one small protocol, on the local filesystem by
default (under the data directory) or in an S3-compatible bucket (docs/media-storage.md).

Files are written once under a key the microblog makes (`<media id>/original.png`) and never
changed; the database says which keys an attachment has and who may read them, so a store
knows nothing of visibility.
"""

import os
import re
import tempfile
from pathlib import Path
from typing import Any, Protocol

from townsquare.kernel import NotFoundError

__all__ = [
    "FileMediaStore",
    "MediaFileMissingError",
    "MediaStore",
    "MemoryMediaStore",
    "S3MediaStore",
]

_KEY = re.compile(r"[0-9A-Za-z_-]+(/[0-9A-Za-z_.-]+)*")


class MediaFileMissingError(NotFoundError):
    """Raised when a store holds no file under the key asked for."""


def _checked(key: str) -> str:
    """Keys are the microblog's own, but a key that could leave the store's root is refused
    all the same."""
    if not _KEY.fullmatch(key) or ".." in key:
        raise ValueError(f"Not a media key: {key!r}")
    return key


class MediaStore(Protocol):
    """The contract: `put` MUST NOT return before the file can be read back by any process
    of the server; `get` MUST raise `MediaFileMissingError` for a key it does not hold;
    `delete` MUST succeed for a key already gone (a retried clean-up)."""

    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...


class FileMediaStore:
    """Files under `root`, each written to a temporary file, flushed to disk and renamed
    into place, so a reader never sees half a file."""

    def __init__(self, root: Path) -> None:
        self._root = root

    def _path(self, key: str) -> Path:
        return self._root / _checked(key)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise MediaFileMissingError(f"No media file {key}") from None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


class S3MediaStore:
    """Objects in an S3-compatible bucket through a boto3 client (`client`), under
    `prefix`. The bucket stays private: files are served by Townsquare, which checks who
    may see them, never by bucket URLs."""

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self._client = client
        self._bucket = bucket
        self._prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""

    def _name(self, key: str) -> str:
        return self._prefix + _checked(key)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self._client.put_object(
            Bucket=self._bucket, Key=self._name(key), Body=data, ContentType=content_type
        )

    def get(self, key: str) -> bytes:
        try:
            answer = self._client.get_object(Bucket=self._bucket, Key=self._name(key))
        except self._client.exceptions.NoSuchKey:
            raise MediaFileMissingError(f"No media file {key}") from None
        body: bytes = answer["Body"].read()
        return body

    def delete(self, key: str) -> None:
        self._client.delete_object(Bucket=self._bucket, Key=self._name(key))


class MemoryMediaStore:
    """Files in this process's memory: for tests, benchmarks and a server whose operator
    configured no store (the microblog's default). Gone when the process ends."""

    def __init__(self) -> None:
        self._files: dict[str, bytes] = {}

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self._files[_checked(key)] = data

    def get(self, key: str) -> bytes:
        try:
            return self._files[key]
        except KeyError:
            raise MediaFileMissingError(f"No media file {key}") from None

    def delete(self, key: str) -> None:
        self._files.pop(key, None)
