"""An upload is durable under its name: its bytes are synced, then the folder that holds the
rename (docs/operations.md, "Crash safety of uploads"). Without the folder's sync a power cut may
keep the bytes and lose the name, and a committed row would name a file that is not there."""

from __future__ import annotations

import os
import stat

import pytest

from ppid_desk.attachments.storage import LocalStorage


@pytest.fixture
def synced(monkeypatch):
    """What each fsync was given, in order: "file" or "folder"."""
    seen: list[str] = []
    real = os.fsync

    def recording(descriptor: int) -> None:
        seen.append("folder" if stat.S_ISDIR(os.fstat(descriptor).st_mode) else "file")
        real(descriptor)

    monkeypatch.setattr(os, "fsync", recording)
    return seen


def test_a_staged_upload_is_synced_then_its_folder_before_it_counts_as_durable(tmp_path, synced):
    storage = LocalStorage(tmp_path / "uploads")
    storage.write_synced_later("ktp", b"isi berkas").result()
    assert synced == ["file", "folder"]
    assert (tmp_path / "uploads" / "ktp").read_bytes() == b"isi berkas"
    assert not list((tmp_path / "uploads").glob("*.part"))


def test_a_written_file_is_synced_then_its_folder(tmp_path, synced):
    storage = LocalStorage(tmp_path / "uploads")
    storage.write("surat", b"isi surat")
    assert synced == ["file", "folder"]
    assert storage.read("surat") == b"isi surat"
