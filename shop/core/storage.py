"""Where uploaded and generated files live: one small interface, the local disk behind it by default.

Two stores, never mixed:
- `public()`: product images and other files anyone may see, served at /media/<key>.
- `private()`: course videos, handouts, lesson images and certificate PDFs. Nothing serves this folder
  directly; a view hands a file out only after its own access check (`send(store, key)`).

Keys are relative paths with forward slashes ("courses/12/ab12cd.pdf"); a key that climbs out of its
store ("../x", an absolute path) is refused. The S3-compatible backend comes with the scale-out work.
"""

import os
import secrets
import tempfile
from pathlib import Path, PurePosixPath
from typing import Protocol

from flask import Response, current_app, send_file


class StorageError(ValueError):
    """A key that is not a plain relative path inside the store."""


class Storage(Protocol):
    def save(self, key: str, data: bytes) -> None: ...
    def read(self, key: str) -> bytes: ...
    def exists(self, key: str) -> bool: ...
    def size(self, key: str) -> int: ...
    def delete(self, key: str) -> None: ...
    def send(self, key: str, *, mimetype: str, download_name: str | None = None,
             as_attachment: bool = False, max_age: int = 0) -> Response: ...


def clean_key(key: str) -> str:
    path = PurePosixPath(key)
    if not key or path.is_absolute() or any(part in ("..", "") for part in path.parts) or "\\" in key:
        raise StorageError(f"not a storage key: {key!r}")
    return str(path)


def new_key(folder: str, extension: str) -> str:
    """A fresh, unguessable key in `folder`: "courses/12/3f9a...e1.pdf"."""
    extension = extension.lower().lstrip(".")
    return clean_key(f"{folder.strip('/')}/{secrets.token_hex(16)}.{extension}")


class LocalStorage:
    """Files under one folder of the local disk; writes land whole (a temporary file, then a rename)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        return self.root / clean_key(key)

    def save(self, key: str, data: bytes) -> None:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def read(self, key: str) -> bytes:
        return self.path(key).read_bytes()

    def exists(self, key: str) -> bool:
        try:
            return self.path(key).is_file()
        except StorageError:
            return False

    def size(self, key: str) -> int:
        return self.path(key).stat().st_size

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def send(self, key: str, *, mimetype: str, download_name: str | None = None,
             as_attachment: bool = False, max_age: int = 0) -> Response:
        """The file as a response that answers Range requests (206), so a video seeks."""
        return send_file(self.path(key), mimetype=mimetype, download_name=download_name,
                         as_attachment=as_attachment, conditional=True, max_age=max_age)


def public() -> LocalStorage:
    return LocalStorage(current_app.config["MEDIA_ROOT"])


def private() -> LocalStorage:
    return LocalStorage(current_app.config["PRIVATE_MEDIA_ROOT"])
