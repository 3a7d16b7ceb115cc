"""What the desk's numbered letters say (the extension with its reasons, the withdrawal
confirmation), as issued: one ``OfficialLetterText`` that the printable A4 page and the PDF both
draw, so they never differ. Official letters stay Indonesian (the strings are source text)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _

from ..audit.personal import unseal
from ..organisation.profile_selectors import body_profile, nip_text
from ..web.formatting import local_datetime, long_date
from .labels import CHANNEL_LABELS
from .models import InformationRequest, OfficialLetter, OfficialLetterKind


@dataclass(frozen=True)
class OfficialLetterText:
    """Everything a desk letter prints: heading, numbered items (label, text), closing paragraphs."""

    kind: str
    number: str
    issued_on: date
    heading: str
    subject: str
    body_name: str
    body_address: str
    applicant_name: str
    applicant_address: str
    applicant_email: str
    intro: str
    items: tuple[tuple[str, str], ...]
    closing: tuple[str, ...]
    signer: str
    signer_position: str = ""
    signer_nip: str = ""


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _rincian(item: InformationRequest) -> str:
    """The information requested, without its closing full stop (it is quoted inside a sentence)."""
    return (item.rincian or "").strip().rstrip(".")


def _extension(item: InformationRequest, content: dict) -> dict:
    notice_due, extended_due = _day(content.get("notice_due")), _day(content.get("extended_due"))
    days = int(content.get("working_days") or 0)
    skipped = ""
    if content.get("skipped"):
        skipped = " " + _("Hari yang tidak dihitung: %(days)s.", days="; ".join(
            f"{long_date(date.fromisoformat(day))} ({why})" for day, why in content["skipped"]))
    return {
        "heading": _("PEMBERITAHUAN PERPANJANGAN JANGKA WAKTU"),
        "subject": _("Perpanjangan jangka waktu permohonan %(number)s", number=item.number),
        "intro": _("Menanggapi permohonan informasi publik Saudara nomor %(number)s yang kami terima pada %(date)s, "
                   "dengan rincian informasi: %(rincian)s, dengan ini kami sampaikan bahwa jangka waktu "
                   "pemberitahuan tertulis kami perpanjang berdasarkan Pasal 22 ayat (8) Undang-Undang Nomor 14 "
                   "Tahun 2008 tentang Keterbukaan Informasi Publik, sebagai berikut:",
                   number=item.number, date=long_date(item.receipt_date), rincian=_rincian(item)),
        "items": (
            (_("1. Alasan perpanjangan"), content.get("reason") or ""),
            (_("2. Batas semula"), _("%(date)s (%(n)d hari kerja sejak permohonan diterima).",
                                    date=long_date(notice_due), n=int(content.get("notice_wd") or 0))
             if notice_due else "-"),
            (_("3. Lama perpanjangan"), _("%(n)d hari kerja, dihitung dari batas semula (batas semula tidak "
                                          "ikut dihitung).%(skipped)s", n=days, skipped=skipped)),
            (_("4. Batas baru pemberitahuan tertulis"), long_date(extended_due) if extended_due else "-"),
        ),
        "closing": (
            _("Perpanjangan ini hanya dapat dilakukan satu kali. Apabila sampai %(date)s Saudara belum menerima "
              "pemberitahuan tertulis, Saudara dapat mengajukan keberatan kepada Atasan PPID (Pasal 35 ayat (1) "
              "huruf c).", date=long_date(extended_due) if extended_due else "-"),
        ),
    }


def _withdrawal(item: InformationRequest, content: dict) -> dict:
    at = datetime.fromisoformat(content["withdrawn_at"]) if content.get("withdrawn_at") else item.closed_at
    channel = content.get("channel") or ""
    reason = unseal(content.get("reason"))
    how = (_("melalui halaman permohonan daring oleh Saudara sendiri") if channel == "online"
           else _("melalui %(channel)s, dicatat oleh petugas layanan informasi",
                  channel=str(CHANNEL_LABELS.get(channel, channel)).lower()))
    return {
        "heading": _("KONFIRMASI PENCABUTAN PERMOHONAN INFORMASI PUBLIK"),
        "subject": _("Pencabutan permohonan %(number)s", number=item.number),
        "intro": _("Dengan ini kami mengonfirmasi bahwa permohonan informasi publik Saudara telah dicabut, dengan "
                   "keterangan sebagai berikut:"),
        "items": (
            (_("1. Permohonan"), _("Nomor %(number)s, diterima pada %(date)s, dengan rincian informasi: %(rincian)s",
                                   number=item.number, date=long_date(item.receipt_date), rincian=item.rincian)),
            (_("2. Pencabutan diterima"), _("%(when)s, %(how)s.", when=local_datetime(at) if at else "-", how=how)),
            (_("3. Alasan pencabutan"), reason or _("Tidak disebutkan.")),
            (_("4. Akibat pencabutan"), _("Jangka waktu pemberitahuan tertulis berhenti pada saat pencabutan "
                                          "diterima. PPID tidak memproses permohonan ini lebih lanjut dan tidak "
                                          "menerbitkan pemberitahuan tertulis atasnya.")),
        ),
        "closing": (
            _("Apabila Saudara masih membutuhkan informasi tersebut, Saudara dapat mengajukan permohonan baru kapan "
              "saja: secara daring, langsung di meja layanan PPID, atau dengan surat. Apabila Saudara tidak merasa "
              "mencabut permohonan ini, segera hubungi PPID."),
        ),
    }


def official_letter_text(item: InformationRequest, letter: OfficialLetter) -> OfficialLetterText:
    body = body_profile()
    signature = letter.signature or {}
    parts = (_extension if letter.kind == OfficialLetterKind.EXTENSION else _withdrawal)(item, letter.content or {})
    return OfficialLetterText(
        kind=letter.kind, number=letter.number, issued_on=letter.issued_on, heading=parts["heading"],
        subject=parts["subject"], body_name=body.name, body_address=body.address,
        applicant_name=item.applicant.name, applicant_address=item.applicant.address or "",
        applicant_email=item.applicant.email or "", intro=parts["intro"], items=parts["items"],
        closing=parts["closing"], signer=signature.get("name") or "",
        signer_position=signature.get("position") or "", signer_nip=nip_text(signature.get("nip") or ""))
