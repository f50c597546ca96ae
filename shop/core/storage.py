"""Where uploaded and generated files live: one small interface, with the local disk or an S3-compatible
object store behind it.

Two stores, never mixed:
- `public()`: product images and other files anyone may see, served at /media/<key>.
- `private()`: course videos, handouts, lesson images and certificate PDFs. Nothing serves them directly; a
  view hands a file out only after its own access check (`store.send(key, ...)`).

Keys are relative paths with forward slashes ("courses/12/ab12cd.pdf"); a key that climbs out of its
store ("../x", an absolute path) is refused.

Backends, chosen by STORAGE_URL:
- empty (the default): the local disk, MEDIA_ROOT and PRIVATE_MEDIA_ROOT. One app server only (or a shared
  volume); `send` streams the file and answers Range requests.
- `s3://bucket/prefix`: S3 or any S3-compatible server through boto3 (S3_ENDPOINT_URL for one that is not
  AWS; keys from the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_DEFAULT_REGION). The public files
  live under `prefix/public/`, the private ones under `prefix/private/`; the bucket itself stays private.
  `send` answers with a redirect to a presigned URL that lives SIGNED_URL_SECONDS (a minute), so every app
  server hands out the same files and a copied link soon stops working. A store that cannot be reached fails
  the request with a 503 page (shop.web.errors), its transaction rolled back.
"""

import functools
import os
import secrets
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any, Protocol
from urllib.parse import quote, urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from flask import Response, current_app, redirect, send_file

CONNECT_SECONDS = 5  # per try: an object store that hangs fails the request (503) in seconds, not minutes
READ_SECONDS = 30


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


class S3Storage:
    """Files under one prefix of a bucket on an S3-compatible server; handed out by short-lived signed URLs."""

    def __init__(self, client: Any, bucket: str, prefix: str, signed_seconds: int = 60) -> None:
        self.client, self.bucket, self.signed_seconds = client, bucket, signed_seconds
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""

    def object_key(self, key: str) -> str:
        return self.prefix + clean_key(key)

    def save(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self.object_key(key), Body=data)  # whole, or not at all

    def read(self, key: str) -> bytes:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.object_key(key))["Body"].read()
        except self.client.exceptions.NoSuchKey:
            raise FileNotFoundError(key) from None

    def _head(self, key: str) -> dict | None:
        try:
            return self.client.head_object(Bucket=self.bucket, Key=self.object_key(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def exists(self, key: str) -> bool:
        try:
            return self._head(key) is not None
        except StorageError:
            return False

    def size(self, key: str) -> int:
        head = self._head(key)
        if head is None:
            raise FileNotFoundError(key)
        return int(head["ContentLength"])

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.object_key(key))

    def signed_url(self, key: str, *, mimetype: str, download_name: str | None = None,
                   as_attachment: bool = False, max_age: int = 0) -> str:
        params = {"Bucket": self.bucket, "Key": self.object_key(key), "ResponseContentType": mimetype,
                  "ResponseCacheControl": f"private, max-age={max_age}" if max_age else "no-store"}
        if download_name or as_attachment:
            name = quote(download_name or PurePosixPath(key).name)
            params["ResponseContentDisposition"] = \
                f"{'attachment' if as_attachment else 'inline'}; filename*=UTF-8''{name}"
        return self.client.generate_presigned_url("get_object", Params=params, ExpiresIn=self.signed_seconds)

    def send(self, key: str, *, mimetype: str, download_name: str | None = None,
             as_attachment: bool = False, max_age: int = 0) -> Response:
        """A redirect to the object's signed URL (the object store answers Range requests itself). The
        redirect is never cached: the next visit is checked again and gets a fresh URL."""
        url = self.signed_url(key, mimetype=mimetype, download_name=download_name, as_attachment=as_attachment,
                              max_age=max_age)
        response = redirect(url, 302)
        response.headers["Cache-Control"] = "no-store"
        return response


@functools.cache
def _s3_client(endpoint_url: str, region: str) -> Any:
    """One boto3 client per process and endpoint (boto3 clients may be shared between threads)."""
    return boto3.client("s3", endpoint_url=endpoint_url or None, region_name=region or None,
                        config=Config(signature_version="s3v4", retries={"max_attempts": 3},
                                      connect_timeout=CONNECT_SECONDS, read_timeout=READ_SECONDS))


def _store(local_root_setting: str, folder: str) -> Storage:
    config = current_app.config
    url = config.get("STORAGE_URL") or ""
    if not url:
        return LocalStorage(config[local_root_setting])
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise StorageError(f"STORAGE_URL must be empty or s3://bucket/prefix, not {url!r}")
    client = _s3_client(config.get("S3_ENDPOINT_URL") or "", config.get("S3_REGION") or "")
    return S3Storage(client, parts.netloc, f"{parts.path.strip('/')}/{folder}",
                     int(config.get("SIGNED_URL_SECONDS", 60)))


def public() -> Storage:
    return _store("MEDIA_ROOT", "public")


def private() -> Storage:
    return _store("PRIVATE_MEDIA_ROOT", "private")
