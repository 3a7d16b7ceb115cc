"""Where the bytes of uploaded files live: the instance folder, or S3-compatible object storage.

Every read, write and delete of an attachment's bytes goes through ``upload_storage()`` (uploads,
downloads, copies, the purges, backup and restore, the data-key rotation, the evidence pack), so
several app servers can share one store:

* ``UPLOAD_STORAGE = "local"`` (default): files in ``UPLOAD_FOLDER`` (``instance/uploads``), each
  written under a temporary ``.part`` name and renamed when complete. One server only, or a
  folder every server mounts.
* ``UPLOAD_STORAGE = "s3"``: objects ``UPLOAD_S3_PREFIX + name`` in the bucket
  ``UPLOAD_S3_BUCKET`` of any S3-compatible store (AWS S3, MinIO, Ceph, Garage …), through boto3.
  ``UPLOAD_S3_ENDPOINT_URL`` names a store other than AWS, ``UPLOAD_S3_REGION`` its region; the
  credentials come from ``UPLOAD_S3_ACCESS_KEY_ID``/``UPLOAD_S3_SECRET_ACCESS_KEY`` when set, else
  from boto3's usual chain (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``, ``~/.aws``, an
  instance role). An S3 PUT is atomic: an object is there whole or not at all.

The bytes are already encrypted (Fernet, ``privacy.encrypt_bytes``) before they reach either store:
the object store only ever holds ciphertext under random names. See docs/operations.md.
"""

from __future__ import annotations

import contextlib
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from flask import current_app

PARTIAL_SUFFIX = ".part"  # a local file still being written; never a name a row points to
S3_SETTINGS = ("UPLOAD_S3_BUCKET", "UPLOAD_S3_ENDPOINT_URL", "UPLOAD_S3_REGION", "UPLOAD_S3_PREFIX",
               "UPLOAD_S3_ACCESS_KEY_ID", "UPLOAD_S3_SECRET_ACCESS_KEY", "UPLOAD_S3_ADDRESSING_STYLE")
_EXTENSION = "ppid_upload_storage"
_creating = threading.Lock()


class StorageConfigError(RuntimeError):
    """The upload storage settings cannot work (the app refuses to start)."""


@dataclass(frozen=True)
class StoredFile:
    name: str
    modified: float  # POSIX time of the last write
    size: int


class UploadStorage(Protocol):
    kind: str

    def write(self, name: str, data: bytes) -> None:
        """Store ``data`` under ``name`` whole (never a part of it under that name)."""

    def write_synced_later(self, name: str, data: bytes) -> Future:
        """Store ``data`` under ``name`` whole now; durable once the returned future is done."""

    def read(self, name: str) -> bytes:
        """The bytes stored under ``name``; FileNotFoundError when there are none."""

    def delete(self, name: str) -> bool:
        """Remove ``name``; False when nothing was stored under it."""

    def files(self) -> list[StoredFile]:
        """Everything in the store (a local store's unfinished ``.part`` files too)."""

    def describe(self) -> str:
        """Where the files are, for the operator's messages."""


class LocalStorage:
    kind = "local"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, name: str) -> Path:
        if not name or "/" in name or name in {".", ".."}:
            raise ValueError(f"not a stored file name: {name!r}")
        return self.folder / name

    def write(self, name: str, data: bytes) -> None:
        """Write under a temporary name, then rename: a crash never leaves a half-written file under
        a name a row may point to (a leftover ``.part`` file is purged by the sweep)."""
        path = self._path(name)
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + PARTIAL_SUFFIX)
        with open(partial, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
        _fsync_folder(self.folder)  # the new name too: a power cut could otherwise lose the rename

    def write_synced_later(self, name: str, data: bytes) -> Future:
        """Write ``data`` under ``name`` now, and make it durable (fsync) in a background thread,
        while the caller goes on with its transaction; the caller waits for the returned future
        before it commits a row naming the file (``attachments.services``). The bytes are written
        whole under the temporary name before the rename, as in ``write``: a killed process never
        leaves a part of them under ``name``; until the fsync is done, a power cut may, but then
        no committed row names the file (an orphan the sweep removes)."""
        path = self._path(name)
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + PARTIAL_SUFFIX)
        handle = open(partial, "wb")  # noqa: SIM115 - closed by the background fsync
        try:
            handle.write(data)
            handle.flush()
            os.replace(partial, path)
        except BaseException:
            handle.close()
            raise
        return _fsync_pool().submit(_fsync_and_close, handle, self.folder)

    def read(self, name: str) -> bytes:
        return self._path(name).read_bytes()

    def delete(self, name: str) -> bool:
        try:
            os.remove(self._path(name))
        except FileNotFoundError:
            return False
        return True

    def files(self) -> list[StoredFile]:
        if not self.folder.is_dir():
            return []
        found = []
        for path in self.folder.iterdir():
            with contextlib.suppress(FileNotFoundError):  # removed since the listing
                if path.is_file():
                    stat = path.stat()
                    found.append(StoredFile(path.name, stat.st_mtime, stat.st_size))
        return sorted(found, key=lambda f: f.name)

    def describe(self) -> str:
        return f"folder {self.folder}"


def _fsync_and_close(handle, folder: Path) -> None:
    """The bytes, then the folder that holds their new name (the rename is in the folder's data):
    only after both does a power cut keep the file under its name."""
    try:
        os.fsync(handle.fileno())
    finally:
        handle.close()
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


_pool: tuple[int, ThreadPoolExecutor] | None = None


def _fsync_pool() -> ThreadPoolExecutor:
    """This process's threads for the fsyncs of uploads (made again in a forked worker)."""
    global _pool
    if _pool is None or _pool[0] != os.getpid():
        with _creating:
            if _pool is None or _pool[0] != os.getpid():
                _pool = (os.getpid(), ThreadPoolExecutor(max_workers=4, thread_name_prefix="upload-fsync"))
    return _pool[1]


def _done() -> Future:
    future: Future = Future()
    future.set_result(None)
    return future


class S3Storage:
    kind = "s3"

    def __init__(self, client, bucket: str, prefix: str = "") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix

    def _key(self, name: str) -> str:
        if not name or "/" in name:
            raise ValueError(f"not a stored file name: {name!r}")
        return self.prefix + name

    @staticmethod
    def _missing(error) -> bool:
        code = str(error.response.get("Error", {}).get("Code", ""))
        return code in {"NoSuchKey", "404", "NotFound"}

    def write_synced_later(self, name: str, data: bytes) -> Future:
        """As ``LocalStorage.write_synced_later``; a PUT is durable when it returns."""
        self.write(name, data)
        return _done()

    def write(self, name: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._key(name), Body=data,
                               ContentType="application/octet-stream")

    def read(self, name: str) -> bytes:
        from botocore.exceptions import ClientError

        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._key(name))
        except ClientError as error:
            if self._missing(error):
                raise FileNotFoundError(f"s3://{self.bucket}/{self._key(name)}") from error
            raise
        with contextlib.closing(answer["Body"]) as body:
            return body.read()

    def delete(self, name: str) -> bool:
        from botocore.exceptions import ClientError

        key = self._key(name)
        try:  # DELETE answers 204 whether or not the object was there: ask first
            self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if self._missing(error):
                return False
            raise
        self.client.delete_object(Bucket=self.bucket, Key=key)
        return True

    def files(self) -> list[StoredFile]:
        found = []
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
        for page in pages:
            for item in page.get("Contents", []):
                name = item["Key"][len(self.prefix):]
                if name and "/" not in name:  # only this store's own objects, not a deeper "folder"
                    found.append(StoredFile(name, item["LastModified"].timestamp(), int(item["Size"])))
        return sorted(found, key=lambda f: f.name)

    def describe(self) -> str:
        return f"bucket s3://{self.bucket}/{self.prefix}"


def storage_config_check(config) -> None:
    """Refuse settings that cannot work, at start-up rather than at the first upload."""
    kind = str(config.get("UPLOAD_STORAGE") or "local").lower()
    if kind not in {"local", "s3"}:
        raise StorageConfigError(f"UPLOAD_STORAGE must be 'local' or 's3', not {kind!r}")
    if kind == "s3" and not config.get("UPLOAD_S3_BUCKET"):
        raise StorageConfigError("UPLOAD_STORAGE is 's3' but UPLOAD_S3_BUCKET is not set")
    if kind == "s3" and bool(config.get("UPLOAD_S3_ACCESS_KEY_ID")) != bool(config.get("UPLOAD_S3_SECRET_ACCESS_KEY")):
        raise StorageConfigError("set both UPLOAD_S3_ACCESS_KEY_ID and UPLOAD_S3_SECRET_ACCESS_KEY, or neither "
                                 "(then boto3 reads AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)")


def s3_client(config):
    """A boto3 S3 client for the settings in ``config`` (thread-safe; one per process and settings)."""
    import boto3
    from botocore.config import Config

    options = {}
    if config.get("UPLOAD_S3_ENDPOINT_URL"):
        options["endpoint_url"] = config["UPLOAD_S3_ENDPOINT_URL"]
    if config.get("UPLOAD_S3_REGION"):
        options["region_name"] = config["UPLOAD_S3_REGION"]
    if config.get("UPLOAD_S3_ACCESS_KEY_ID"):
        options["aws_access_key_id"] = config["UPLOAD_S3_ACCESS_KEY_ID"]
        options["aws_secret_access_key"] = config["UPLOAD_S3_SECRET_ACCESS_KEY"]
    settings = Config(connect_timeout=5, read_timeout=60, retries={"max_attempts": 4, "mode": "standard"},
                      s3={"addressing_style": config.get("UPLOAD_S3_ADDRESSING_STYLE") or "auto"})
    return boto3.session.Session().client("s3", config=settings, **options)


def upload_storage() -> UploadStorage:
    """The current app's store of upload bytes (see the module docstring)."""
    config = current_app.config
    if str(config.get("UPLOAD_STORAGE") or "local").lower() != "s3":
        return LocalStorage(Path(config["UPLOAD_FOLDER"]))
    settings = tuple(config.get(key) for key in S3_SETTINGS)
    cache = current_app.extensions.setdefault(_EXTENSION, {})
    storage = cache.get(settings)
    if storage is None:
        with _creating:  # boto3's session set-up is not thread-safe; the client is
            storage = cache.get(settings)
            if storage is None:
                storage = S3Storage(s3_client(config), config["UPLOAD_S3_BUCKET"],
                                    config.get("UPLOAD_S3_PREFIX") or "")
                cache[settings] = storage
    return storage
