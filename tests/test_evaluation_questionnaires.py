"""Issue 16 items 1–2: questionnaires as data — the two ready-made ones load, an edit makes a new
version while a round keeps the one it was opened with, and a questionnaire goes out and comes back
as JSON and as XLSX; bad files are refused next to the upload field with the rows named."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import select

from ppid_desk.evaluation.definition import (
    COLUMNS,
    DefinitionError,
    dict_from_rows,
    instrument_from_dict,
    instrument_to_dict,
)
from ppid_desk.evaluation.models import EvaluationRound, Questionnaire, QuestionnaireVersion
from ppid_desk.evaluation.services import READY_MADE, ready_made
from ppid_desk.extensions import db
from ppid_desk.web.spreadsheets import Sheet, read_table, xlsx_bytes
from tests.factories import evaluation_document, make_evaluation_round

LIST = "/meja/evaluasi/kuesioner"


def _questionnaire(code: str) -> Questionnaire:
    db.session.expire_all()
    return db.session.scalar(select(Questionnaire).where(Questionnaire.code == code))


def test_the_ready_made_questionnaires_carry_the_ki_weights_and_the_three_internal_categories(app):
    saq = instrument_from_dict(ready_made("saq_ki"))
    assert [(c.title, c.weight) for c in saq.categories] == [
        ("Jenis Informasi", 40), ("Digitalisasi", 20), ("Kualitas Informasi", 10), ("Pelayanan Informasi", 10),
        ("Komitmen Organisasi", 10), ("Sarana & Prasarana", 10)]
    assert [b.label for b in saq.bands] == ["Informatif", "Menuju Informatif", "Cukup Informatif",
                                            "Kurang Informatif", "Tidak Informatif"]
    assert {q.kind for q in saq.questions()} == {"yes_no", "single_choice", "multiple_choice", "number", "text",
                                                 "evidence"}
    internal = instrument_from_dict(ready_made("monev_internal"))
    assert [c.title for c in internal.categories] == ["Pengelolaan PPID", "Pengelolaan Pengaduan",
                                                      "Pengelolaan Media Sosial"]
    assert set(READY_MADE) == {"saq_ki", "monev_internal"}


def test_an_administrator_loads_a_ready_made_questionnaire_once(app, officer_client):
    admin = officer_client("admin")
    for _ in range(2):  # loading the same file again makes no second version
        response = admin.post(f"{LIST}/siap-pakai", data={"name": "monev_internal"})
        assert response.status_code == 303
    questionnaire = _questionnaire("monev-internal")
    assert [v.number for v in questionnaire.versions] == [1]
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "Pengelolaan Media Sosial" in page and "versi 1" in page
    assert admin.post(f"{LIST}/siap-pakai", data={"name": "../../etc/passwd"}).status_code == 400


def test_an_edit_makes_a_new_version_and_a_round_keeps_the_one_it_was_opened_with(app, officer_client, make_unit,
                                                                                  make_user):
    utama_client = officer_client("ppid_utama")
    utama = make_user(email="utama-versi@pemda.example.id", roles=("ppid_utama",))
    evaluation = make_evaluation_round([make_unit("U1", "Dinas Satu")], actor=utama)
    questionnaire = _questionnaire("uji")
    document = instrument_to_dict(instrument_from_dict(evaluation_document()))
    document["categories"][0]["weight"] = 75
    document["categories"][0]["questions"][0]["text"] = "Ada SK PPID yang berlaku?"
    response = utama_client.post(f"{LIST}/{questionnaire.id}/ubah",
                                 data={"document": json.dumps(document), "note": "bobot A naik"})
    assert response.status_code == 303
    questionnaire = _questionnaire("uji")
    assert [v.number for v in questionnaire.versions] == [1, 2]
    assert questionnaire.latest.definition["categories"][0]["weight"] == 75
    kept = db.session.get(EvaluationRound, evaluation.id)
    assert kept.version.number == 1 and kept.version.definition["categories"][0]["weight"] == 60
    page = utama_client.get(f"/meja/evaluasi/isi/{kept.participants[0].id}").get_data(as_text=True)
    assert "Ada SK PPID?" in page and "Ada SK PPID yang berlaku?" not in page
    # the older version stays readable and exportable
    assert "Ada SK PPID?" in utama_client.get(f"{LIST}/{questionnaire.id}?versi=1").get_data(as_text=True)
    assert utama_client.get(f"{LIST}/{questionnaire.id}?versi=9").status_code == 404


def test_an_edit_that_breaks_the_questionnaire_is_refused_next_to_the_field(app, officer_client):
    admin = officer_client("admin")
    admin.post(f"{LIST}/siap-pakai", data={"name": "monev_internal"})
    questionnaire = _questionnaire("monev-internal")
    document = json.loads(json.dumps(questionnaire.latest.definition))
    document["categories"][1]["questions"][0]["kind"] = "rating"
    document["categories"][2]["weight"] = "tiga puluh"
    response = admin.post(f"{LIST}/{questionnaire.id}/ubah", data={"document": json.dumps(document)})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Kategori pengelolaan_pengaduan, pertanyaan 1" in page and "rating" in page
    assert "weight harus berupa angka" in page
    assert admin.post(f"{LIST}/{questionnaire.id}/ubah", data={"document": "{tidak json"}).status_code == 422
    other = dict(document, code="lain")
    assert "Kode kuesioner harus tetap" in admin.post(f"{LIST}/{questionnaire.id}/ubah",
                                                     data={"document": json.dumps(other)}).get_data(as_text=True)
    assert [v.number for v in _questionnaire("monev-internal").versions] == [1]


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_export_then_import_gives_back_the_same_questionnaire(app, officer_client, fmt):
    admin = officer_client("admin")
    admin.post(f"{LIST}/siap-pakai", data={"name": "saq_ki"})
    questionnaire = _questionnaire("saq-ki")
    original = questionnaire.latest.definition
    exported = admin.get(f"{LIST}/{questionnaire.id}/ekspor?format={fmt}")
    assert exported.status_code == 200
    assert f"kuesioner-saq-ki-v1.{fmt}" in exported.headers["Content-Disposition"]
    body = exported.data
    if fmt == "xlsx":
        assert read_table(body)[0][:len(COLUMNS)] == list(COLUMNS)
        # the same content under a new code is a new questionnaire equal to the first
        rows = read_table(body)
        rows[1][COLUMNS.index("kode")] = "saq-ki-salinan"
        body = xlsx_bytes([Sheet(title="kuesioner", header=rows[0], rows=rows[1:])])
    else:
        body = json.dumps(dict(json.loads(body), code="saq-ki-salinan")).encode()
    response = admin.post(f"{LIST}/impor", data={"berkas": (io.BytesIO(body), f"salinan.{fmt}")},
                          content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    copy = _questionnaire("saq-ki-salinan").latest.definition
    assert dict(copy, code="saq-ki") == original


def test_importing_an_existing_code_makes_its_next_version(app, officer_client):
    admin = officer_client("admin")
    admin.post(f"{LIST}/siap-pakai", data={"name": "monev_internal"})
    document = json.loads(json.dumps(_questionnaire("monev-internal").latest.definition))
    document["title"] = "Monev internal 2027"
    response = admin.post(f"{LIST}/impor", data={"berkas": (io.BytesIO(json.dumps(document).encode()), "k.json")},
                          content_type="multipart/form-data")
    assert response.status_code == 303
    questionnaire = _questionnaire("monev-internal")
    assert [v.number for v in questionnaire.versions] == [1, 2] and questionnaire.title == "Monev internal 2027"


def _xlsx(rows) -> bytes:
    return xlsx_bytes([Sheet(title="kuesioner", header=COLUMNS, rows=rows)])


def _row(**cells):
    return [cells.get(column) for column in COLUMNS]


BAD_ROWS = [
    _row(baris="kuesioner", kode="buruk", teks="Kuesioner buruk"),
    _row(baris="kategori", kode="K1", teks="Kategori satu", bobot=50),
    _row(baris="pertanyaan", kategori="K1", kode="Q1", jenis="ya_tidak", teks="Ada?", skor="sepuluh"),
    _row(baris="pertanyaan", kategori="K9", kode="Q2", jenis="angka", teks="Berapa?"),
    _row(baris="opsi", kode="a", teks="A", skor=1),
]


@pytest.mark.parametrize(("name", "content", "messages"), [
    ("kosong.json", b"", ["Berkas kosong."]),
    ("rusak.json", b"{\"code\": ", ["Berkas bukan JSON yang sah atau XLSX"]),
    ("daftar.json", b"[1, 2]", ["Berkas tidak berisi kuesioner"]),
    ("gambar.xlsx", b"PK\x03\x04bukan zip", ["Berkas XLSX rusak."]),
    ("baris.xlsx", _xlsx(BAD_ROWS), ["Baris 5: kategori &#34;K9&#34; belum ada", "Baris 6: baris opsi harus berada di bawah"]),
    ("skor.xlsx", _xlsx(BAD_ROWS[:3]), ["Baris 4: score harus berupa angka"]),
    ("tanpa.json", json.dumps({"code": "x", "title": "X", "categories": []}).encode(),
     ["Kuesioner memerlukan paling sedikit satu kategori."]),
    ("kode.json", json.dumps(evaluation_document(categories=[
        {"key": "A", "title": "A", "weight": 1, "questions": [
            {"key": "Q", "kind": "yes_no", "text": "?", "score": 1},
            {"key": "Q", "kind": "single_choice", "text": "?", "options": [{"key": "a", "label": "A", "score": 1},
                                                                            {"key": "b", "label": "B", "score": 0}]}]}])
    ).encode(), ["kode pertanyaan &#34;Q&#34; sudah dipakai"]),
    ("opsi.json", json.dumps(evaluation_document(categories=[
        {"key": "A", "title": "A", "weight": 1, "questions": [
            {"key": "Q", "kind": "single_choice", "text": "?", "options": [{"key": "a", "label": "A", "score": 1}]}]}])
    ).encode(), ["paling sedikit dua opsi"]),
])
def test_a_bad_file_is_refused_next_to_the_upload_field_and_nothing_is_stored(app, officer_client, name, content,
                                                                              messages):
    admin = officer_client("admin")
    response = admin.post(f"{LIST}/impor", data={"berkas": (io.BytesIO(content), name)},
                          content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="berkas-error"' in page
    for message in messages:
        assert message in page, page[page.find("error-summary"):][:1500]
    assert db.session.scalar(select(QuestionnaireVersion.id)) is None


def test_an_option_row_belongs_to_the_question_above_it(app):
    with pytest.raises(DefinitionError) as refused:
        dict_from_rows([list(COLUMNS), _row(baris="opsi", kode="a", teks="A", skor=1)])
    assert refused.value.messages == ["Baris 2: baris opsi harus berada di bawah pertanyaannya"]


def test_only_ppid_utama_and_the_administrator_keep_questionnaires(app, officer_client, make_unit):
    unit = make_unit("U1", "Dinas Satu")
    for role, expected in (("ppid_utama", 200), ("admin", 200), ("pengawas", 403), ("petugas", 403)):
        assert officer_client(role).get(LIST).status_code == expected, role
    assert officer_client("pembantu", unit=unit).post(f"{LIST}/siap-pakai",
                                                      data={"name": "saq_ki"}).status_code == 403
    assert db.session.scalar(select(Questionnaire.id)) is None
