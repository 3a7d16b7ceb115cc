"""Import of the unit tree (issue "Ready for a real office", item 5): ``flask ppid units import FILE``
and the same upload at /meja/unit/impor, CSV or XLSX with ``code,name,parent_code,kind``. Every row
is checked (unknown parent, duplicate code, cycle, bad kind …) and the file applied all or nothing
with a report of every bad row; importing the same file twice changes nothing; ``units list --csv``
prints the same columns back."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from sqlalchemy import select

from ppid_desk.audit.models import Event
from ppid_desk.audit.services import chain_is_intact
from ppid_desk.extensions import db
from ppid_desk.organisation.models import Unit

HEADER = "code,name,parent_code,kind\n"
# Children before their parents, and a parent given in another letter case.
TREE = HEADER + """KEL-SKM-RW01,RW 01 Kelurahan Sukamaju,KEL-SKM,pembantu
KEL-SKM,Kelurahan Sukamaju,kec-skm,pembantu
KEC-SKM,Kecamatan Sukamaju,,pembantu
DISDIK,Dinas Pendidikan,,pembantu
UTAMA,PPID Utama Kota Contoh,,utama
DISDIK-SD,Bidang Pembinaan SD,DISDIK,pembantu
"""


def write(tmp_path, text: str, name: str = "unit.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return str(path)


def tree_rows() -> list[tuple]:
    db.session.expire_all()
    units = list(db.session.scalars(select(Unit)))
    codes = {u.id: u.code for u in units}
    return sorted((u.code, u.name, codes.get(u.parent_id), u.kind, u.active) for u in units)


def unit_events() -> list[Event]:
    db.session.expire_all()
    return list(db.session.scalars(select(Event).where(Event.subject_type == "unit").order_by(Event.id)))


def upload(client, content: bytes, name: str = "unit.csv"):
    return client.post("/meja/unit/impor", data={"berkas": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


@pytest.fixture
def admin(officer_client):
    return officer_client("admin", name="Hendra Admin")


EXPECTED_TREE = [
    ("DISDIK", "Dinas Pendidikan", "UTAMA", "pembantu", True),
    ("DISDIK-SD", "Bidang Pembinaan SD", "DISDIK", "pembantu", True),
    ("KEC-SKM", "Kecamatan Sukamaju", "UTAMA", "pembantu", True),
    ("KEL-SKM", "Kelurahan Sukamaju", "KEC-SKM", "pembantu", True),
    ("KEL-SKM-RW01", "RW 01 Kelurahan Sukamaju", "KEL-SKM", "pembantu", True),
    ("UTAMA", "PPID Utama Kota Contoh", None, "utama", True),
]


def test_the_cli_imports_a_tree_once_and_a_second_time_changes_nothing(runner, tmp_path):
    path = write(tmp_path, TREE)
    first = runner.invoke(args=["ppid", "units", "import", path])
    assert first.exit_code == 0, first.output
    assert "6 created, 0 updated, 0 unchanged" in first.output
    assert tree_rows() == EXPECTED_TREE
    events = unit_events()
    assert len(events) == 6 and {e.kind for e in events} == {"unit_created"}
    assert all(e.data["source"] == "import" and e.data["file"] == "unit.csv" for e in events)
    assert {e.actor_label for e in events} == {"flask ppid units import"}

    again = runner.invoke(args=["ppid", "units", "import", path])
    assert again.exit_code == 0 and "0 created, 0 updated, 6 unchanged" in again.output
    assert tree_rows() == EXPECTED_TREE and len(unit_events()) == 6  # nothing changed, nothing logged


def test_units_list_csv_prints_what_was_imported(runner, tmp_path):
    assert runner.invoke(args=["ppid", "units", "import", write(tmp_path, TREE)]).exit_code == 0
    listed = runner.invoke(args=["ppid", "units", "list", "--csv"])
    assert listed.exit_code == 0
    imported = list(csv.reader(io.StringIO(TREE)))
    header, rows = imported[0], imported[1:]
    for row in rows:  # the file names its parents in any letter case; the list prints the codes
        row[2] = {"kec-skm": "KEC-SKM"}.get(row[2], row[2])
    assert listed.output == HEADER + "".join(",".join(r) + "\n" for r in sorted(rows))
    assert list(csv.reader(io.StringIO(listed.output)))[0] == header
    # and it reads back into the same tree: nothing to change
    relisted = runner.invoke(args=["ppid", "units", "import", write(tmp_path, listed.output, "list.csv")])
    assert "0 created, 0 updated, 6 unchanged" in relisted.output
    plain = runner.invoke(args=["ppid", "units", "list"])
    assert plain.output.splitlines()[0].split()[:3] == ["DISDIK", "pembantu", "-"]


def test_a_changed_file_renames_and_moves_with_logged_events(runner, tmp_path):
    runner.invoke(args=["ppid", "units", "import", write(tmp_path, TREE)])
    changed = TREE.replace("KEL-SKM-RW01,RW 01 Kelurahan Sukamaju,KEL-SKM", "KEL-SKM-RW01,RW 01,KEC-SKM")
    changed = changed.replace("DISDIK-SD,Bidang Pembinaan SD,DISDIK", "DISDIK-SD,Bidang Pembinaan SD,")
    result = runner.invoke(args=["ppid", "units", "import", write(tmp_path, changed, "v2.csv")])
    assert "0 created, 2 updated, 4 unchanged" in result.output
    rows = {row[0]: row for row in tree_rows()}
    assert rows["KEL-SKM-RW01"][1:3] == ("RW 01", "KEC-SKM") and rows["DISDIK-SD"][2] == "UTAMA"
    new = unit_events()[6:]
    assert [(e.data["code"], e.kind) for e in new] == [("DISDIK-SD", "unit_moved"), ("KEL-SKM-RW01", "unit_updated")]
    assert new[1].data["before"] == {"name": "RW 01 Kelurahan Sukamaju", "parent": "KEL-SKM"}
    assert new[1].data["after"] == {"name": "RW 01", "parent": "KEC-SKM"}
    # each unit's events chain on (one batch per import): the audit check finds nothing wrong
    rw01 = [e for e in unit_events() if e.data["code"] == "KEL-SKM-RW01"]
    assert [e.kind for e in rw01] == ["unit_created", "unit_updated"] and chain_is_intact(rw01)
    verified = runner.invoke(args=["ppid", "audit", "verify"])
    assert verified.exit_code == 0, verified.output


BAD_FILES = {
    "unknown parent": (HEADER + "UTAMA,PPID Utama,,utama\nKEL-A,Kelurahan A,KEC-X,pembantu\n",
                       [(3, "parent_code", "Unit induk KEC-X tidak ada di berkas maupun di daftar unit.")]),
    "duplicate code": (HEADER + "UTAMA,PPID Utama,,utama\nKEC-A,Kecamatan A,,pembantu\nkec-a,Kecamatan A lagi,,pembantu\n",
                       [(4, "code", "Kode kec-a sudah dipakai di baris 3.")]),
    "cycle": (HEADER + "UTAMA,PPID Utama,,utama\nA,Unit A,C,pembantu\nB,Unit B,A,pembantu\nC,Unit C,B,pembantu\n"
              "D,Unit D,C,pembantu\n",
              [(line, "parent_code", "Susunan induk membentuk lingkaran: A → C → B → A.") for line in (3, 4, 5)]),
    "own parent": (HEADER + "UTAMA,PPID Utama,,utama\nA,Unit A,A,pembantu\n",
                   [(3, "parent_code", "Unit tidak dapat menjadi induk dirinya sendiri.")]),
    "bad kind": (HEADER + "UTAMA,PPID Utama,,utama\nA,Unit A,,dinas\n",
                 [(3, "kind", "Jenis unit harus \"utama\" (PPID Utama) atau \"pembantu\" (PPID Pembantu/Pelaksana).")]),
    "bad code and no name": (HEADER + "UTAMA,PPID Utama,,utama\nKEL A,,,pembantu\n",
                             [(3, "code", "Kode hanya boleh berisi huruf, angka, titik, garis bawah dan tanda hubung, "
                                          "tanpa spasi, paling banyak 32 karakter."),
                              (3, "name", "Tulis nama unit.")]),
    "two utama": (HEADER + "UTAMA,PPID Utama,,utama\nUTAMA2,PPID Utama Lain,,utama\n",
                  [(3, "kind", "Sudah ada PPID Utama (UTAMA). Sebuah badan publik hanya memiliki satu PPID Utama.")]),
    "utama under a unit": (HEADER + "A,Unit A,,pembantu\nUTAMA,PPID Utama,A,utama\n",
                           [(3, "parent_code", "PPID Utama berada di puncak pohon: kosongkan parent_code.")]),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_every_bad_row_is_reported_and_nothing_is_written(runner, tmp_path, admin, case):
    text, expected = BAD_FILES[case]
    result = runner.invoke(args=["ppid", "units", "import", write(tmp_path, text)])
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.startswith("row ")]
    assert lines == [f"row {line}, {column}: {message}" for line, column, message in expected]
    assert "nothing was imported" in result.output
    assert tree_rows() == [] and unit_events() == []
    # the same report on the admin page, with the row numbers
    response = upload(admin, text.encode())
    assert response.status_code == 422
    page = html.unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))
    assert f"{len(expected)} masalah ditemukan; tidak ada yang diimpor" in page
    for line, column, message in expected:
        assert f'<th scope="row">{line}</th><td><code>{column}</code></td><td>{message}</td>' in page
    assert tree_rows() == [] and unit_events() == []


def test_a_second_utama_against_the_tree_and_a_parent_in_the_tree(runner, tmp_path, make_unit):
    utama = make_unit("PPID", "PPID Utama", kind="utama")
    make_unit("KEC-A", "Kecamatan A", parent=utama)
    refused = runner.invoke(args=["ppid", "units", "import", write(tmp_path, HEADER + "UTAMA,Lain,,utama\n")])
    assert "row 2, kind: Sudah ada PPID Utama (PPID)." in refused.output
    ok = runner.invoke(args=["ppid", "units", "import", write(tmp_path, HEADER + "KEL-A,Kelurahan A,KEC-A,pembantu\n"
                                                                       "KEC-B,Kecamatan B,,pembantu\n")])
    assert ok.exit_code == 0, ok.output
    rows = {row[0]: row for row in tree_rows()}
    assert rows["KEL-A"][2] == "KEC-A" and rows["KEC-B"][2] == "PPID"
    # a move in the file that would close a loop through the tree is a cycle too
    loop = runner.invoke(args=["ppid", "units", "import", write(tmp_path, HEADER + "KEC-A,Kecamatan A,KEL-A,pembantu\n")])
    assert "row 2, parent_code: Susunan induk membentuk lingkaran: KEC-A → KEL-A → KEC-A." in loop.output


def test_an_xlsx_upload_imports_and_a_second_upload_changes_nothing(admin):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Kind", "Code", "Name", "Parent_Code", "Catatan"])  # any order, letter case, extra column
    sheet.append(["utama", "UTAMA", "PPID Utama", None, "akar"])
    sheet.append(["pembantu", 3201, "Kecamatan Angka", None, None])  # a numeric code cell
    sheet.append([None, None, None, None, None])  # an empty row is skipped
    sheet.append(["pembantu", "KEL-1", "Kelurahan Satu", 3201, None])
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(admin, buffer.getvalue(), "unit.xlsx")
    assert response.status_code == 303
    assert "3 unit baru, 0 unit diubah" in admin.get(response.headers["Location"]).get_data(as_text=True)
    assert tree_rows() == [("3201", "Kecamatan Angka", "UTAMA", "pembantu", True),
                           ("KEL-1", "Kelurahan Satu", "3201", "pembantu", True),
                           ("UTAMA", "PPID Utama", None, "utama", True)]
    again = upload(admin, buffer.getvalue(), "unit.xlsx")
    assert "Tidak ada yang berubah" in admin.get(again.headers["Location"]).get_data(as_text=True)
    assert len(unit_events()) == 3


@pytest.mark.parametrize(("content", "message"), [
    (b"", "Pilih berkas CSV atau XLSX yang akan diimpor."),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "Jenis berkas tidak didukung. Unggah XLSX atau CSV."),
    (b"code;nama\nA;B\n", "Kolom name, parent_code, kind tidak ada."),
    ("code,name,parent_code,kind\nA,Caf\xe9,,pembantu\n".encode("latin-1"), "harus berupa teks UTF-8"),
    (b"PK\x03\x04not really a zip", "Berkas XLSX rusak."),
])
def test_a_file_that_cannot_be_read_is_explained_at_the_field(admin, content, message):
    response = upload(admin, content) if content else admin.post("/meja/unit/impor", data={},
                                                                 content_type="multipart/form-data")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert tree_rows() == []


def test_too_many_rows_are_refused(admin, monkeypatch):
    from ppid_desk.organisation import unit_import

    monkeypatch.setattr(unit_import, "MAX_ROWS", 3)
    rows = "".join(f"U{n},Unit {n},,pembantu\n" for n in range(5))
    response = upload(admin, (HEADER + rows).encode())
    assert response.status_code == 422 and "Paling banyak 3 unit per berkas." in response.get_data(as_text=True)
    assert tree_rows() == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_downloads_and_imports_as_it_is(admin, fmt):
    response = admin.get(f"/meja/unit/templat.{fmt}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="templat-impor-unit.{fmt}"'
    imported = upload(admin, response.data, f"templat.{fmt}")
    assert imported.status_code == 303
    assert len(tree_rows()) == 5 and ("KEL-SUKAMAJU", "Kelurahan Sukamaju", "KEC-SUKAMAJU", "pembantu", True) in tree_rows()
    assert admin.get("/meja/unit/templat.pdf").status_code == 404


def test_an_import_report_is_in_english_for_an_english_reader(admin):
    response = admin.post("/meja/unit/impor?lang=en", data={"berkas": (io.BytesIO((HEADER + "A,Unit A,,dinas\n").encode()),
                                                                         "u.csv")}, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "problem" in page.lower()
    assert "Jenis unit harus" not in page
