"""The annex of the PPID's decision on exempt information (Lampiran Keputusan PPID … tentang
Penetapan Informasi yang Dikecualikan) on the body's letterhead (``web.letter_pdf``): the table
of a year's approved decisions (A4 landscape), and one decision on its own page with its whole
consequence test (A4 portrait). Official documents: Indonesian whatever the officer's language."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from fpdf.fonts import FontFace

from ..organisation.profile_selectors import body_profile
from ..web.formatting import long_date
from ..web.letter_pdf import LetterPDF
from ..workcalendar.selectors import body_today, local_date
from .labels import pasal17_basis
from .models import ExemptionDecision

OFFICE = "Pejabat Pengelola Informasi dan Dokumentasi (PPID)"
SHADE = (235, 235, 235)


def _title(body_name: str) -> str:
    return _("Lampiran Keputusan PPID %(body)s tentang Penetapan Informasi yang Dikecualikan", body=body_name)


def _period_text(decision: ExemptionDecision) -> str:
    if decision.ends_on is None:
        return decision.period
    return _("%(period)s, berakhir %(date)s", period=decision.period, date=long_date(decision.ends_on))


def _summary(text: str, limit: int = 260) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def annex_pdf(year: int, decisions: list[ExemptionDecision]) -> bytes:
    with force_locale("id"):
        return _annex(year, decisions)


def _annex(year: int, decisions: list[ExemptionDecision]) -> bytes:
    body = body_profile()
    title = _title(body.name)
    pdf = LetterPDF(orientation="L")
    pdf.set_margins(15, 14, 15)
    pdf.alias_nb_pages()
    name = _("Lampiran penetapan informasi yang dikecualikan tahun %(year)d", year=year)
    pdf.describe(number=name, issued_on=body_today(), subject=title, author=body.name, running_head=name)
    pdf.add_page()
    pdf.letterhead(body_name=body.name, body_address=body.address or "", office=_(OFFICE))
    pdf.para(title.upper(), size=12, bold=True, align="C", height=6)
    pdf.para(_("Tahun %(year)d", year=year), align="C")
    pdf.ln(3)
    if not decisions:
        pdf.para(_("Tidak ada penetapan informasi yang dikecualikan yang disetujui pada tahun ini."))
    else:
        pdf.style(8.5)
        pdf.set_line_width(0.2)
        headers = (_("No."), _("Nomor penetapan"), _("Informasi yang dikecualikan"), _("Unit"),
                   _("Dasar pengecualian"), _("Ringkasan uji konsekuensi"), _("Jangka waktu"))
        with pdf.table(col_widths=(8, 34, 58, 26, 45, 66, 30), width=pdf.epw, line_height=4.2, padding=1,
                       headings_style=FontFace(emphasis="BOLD", fill_color=SHADE), repeat_headings=1,
                       text_align="LEFT", v_align="TOP") as table:
            table.row([pdf.clean(str(h)) for h in headers])
            for index, d in enumerate(decisions, start=1):
                table.row([pdf.clean(value) for value in (
                    str(index), d.number or "", f"{d.title}\n{_summary(d.description, 300)}", d.unit.name,
                    f"{pasal17_basis(d.pasal17_letter)}; {_summary(d.legal_basis, 200)}",
                    _("Akibat: %(harm)s Kepentingan publik: %(interest)s", harm=_summary(d.harm, 140),
                      interest=_summary(d.public_interest, 100)),
                    _period_text(d))])
    utama = body.utama
    pdf.sign(body_name=body.name, office=_("PPID Utama"), signer=utama.name or "", position=utama.position,
             nip=utama.nip)
    return bytes(pdf.output())


def decision_pdf(decision: ExemptionDecision) -> bytes:
    with force_locale("id"):
        return _decision(decision)


def _decision(d: ExemptionDecision) -> bytes:
    body = body_profile()
    pdf = LetterPDF()
    pdf.alias_nb_pages()
    number = d.number or ""
    issued = local_date(d.approved_at) if d.approved_at else d.decided_on
    pdf.describe(number=number, issued_on=issued, subject=_title(body.name), author=body.name,
                 running_head=_("Penetapan informasi yang dikecualikan nomor %(number)s (lanjutan)", number=number))
    pdf.add_page()
    pdf.letterhead(body_name=body.name, body_address=body.address or "", office=_(OFFICE))
    pdf.para(_title(body.name), size=9.5, align="C")
    pdf.ln(1)
    pdf.headline(_("PENETAPAN INFORMASI YANG DIKECUALIKAN"), _("Nomor: %(number)s", number=number))
    rows = (
        (_("Informasi yang dikecualikan"), d.title),
        (_("Uraian informasi"), d.description),
        (_("Unit yang menguasai informasi"), d.unit.name),
        (_("Dasar pengecualian"), pasal17_basis(d.pasal17_letter)),
        (_("Dasar hukum lain"), d.legal_basis),
    )
    for label, value in rows:
        pdf.para(label, bold=True)
        pdf.para(value, indent=6)
        pdf.ln(1)
    pdf.para(_("Uji konsekuensi"), size=11, bold=True)
    for label, value in ((_("Akibat (kerugian) jika informasi dibuka"), d.harm),
                         (_("Kepentingan publik yang dipertimbangkan"), d.public_interest),
                         (_("Pertimbangan: kerugian lebih besar daripada kepentingan publik"), d.weighing)):
        pdf.para(label, bold=True, indent=6)
        pdf.para(value, indent=12)
        pdf.ln(1)
    pdf.para(_("Jangka waktu pengecualian"), bold=True)
    pdf.para(_period_text(d), indent=6)
    if d.expires:
        pdf.para(_("Pengecualian berdasarkan Pasal 17 huruf a sampai f tidak bersifat permanen (Pasal 20 UU "
                   "14/2008) dan ditinjau kembali ketika jangka waktunya berakhir."), size=9, indent=6)
    pdf.ln(3)
    pdf.para(_("Ditetapkan di %(place)s pada tanggal %(date)s", place=d.decided_place, date=long_date(d.decided_on)))
    pdf.sign(body_name=body.name, office=_("PPID Utama"), signer=d.official_name, position=d.official_position,
             nip=d.official_nip)
    return bytes(pdf.output())
