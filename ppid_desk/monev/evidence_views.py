"""The E-Monev evidence pack pages (issue 16 item 7), for PPID Utama: the SAQ indicators with each
item's state, one item's PDF(s), and the whole pack as one ZIP (``evidence_pack``). GET only:
nothing here writes."""

from __future__ import annotations

import tempfile
import zipfile

from flask import Response, abort, current_app, redirect, send_file, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from ..accounts.models import Role
from ..web.access import roles_required
from ..web.formatting import long_date
from ..web.htmx import render
from ..workcalendar.selectors import body_today
from .blueprint import DESK, bp
from .evidence_pack import MANUAL, MISSING, READY, EvidenceFile, Pack, size_limit

FIRST_YEAR = 2008  # UU 14/2008
ZIP_MIMETYPE = "application/zip"


def _year_or_404(year: int) -> int:
    if not FIRST_YEAR <= year <= body_today().year:
        abort(404)
    return year


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


@bp.get(DESK + "/monev/bukti-emonev")
@roles_required(Role.PPID_UTAMA)
def evidence_pack_current():
    """Last year's pack: the E-Monev evaluates the year that has ended."""
    return redirect(url_for("monev.evidence_pack", year=body_today().year - 1))


@bp.get(DESK + "/monev/bukti-emonev/<int:year>")
@roles_required(Role.PPID_UTAMA)
def evidence_pack(year: int):
    pack = Pack(_year_or_404(year))
    today = body_today()
    counts = {state: sum(1 for _i, item in pack.items() if item.state == state) for state in (READY, MISSING, MANUAL)}
    return render("monev/evidence.html", pack=pack, year=year, counts=counts, limit_mb=_mb(size_limit()),
                  years=range(today.year, max(FIRST_YEAR, today.year - 6) - 1, -1),
                  states={READY: _("Siap"), MISSING: _("Belum ada"), MANUAL: _("Unggah manual")})


def _pdf(file: EvidenceFile) -> Response:
    response = Response(file.data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{file.name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _temporary():
    """A temporary file for a ZIP (unlinked at once); the response closes it once sent."""
    return tempfile.TemporaryFile()  # noqa: SIM115 - handed to send_file, which closes it


def _zip_response(handle, name: str) -> Response:
    handle.seek(0)
    response = send_file(handle, mimetype=ZIP_MIMETYPE, as_attachment=True, download_name=name, max_age=0)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get(DESK + "/monev/bukti-emonev/<int:year>/<key>")
@roles_required(Role.PPID_UTAMA)
def evidence_item(year: int, key: str):
    """One ready item: its PDF, or a ZIP of its PDFs when it has several (three sample notices, a
    register in parts). A PDF over the size limit is still given here, to be made smaller."""
    pack = Pack(_year_or_404(year))
    found = pack.item(key)
    if found is None or found[1].state != READY:
        abort(404)
    indicator, item = found
    built = pack.build(item)
    files = built.files + built.too_large
    if len(files) == 1:
        return _pdf(files[0])
    handle = _temporary()
    try:
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in files:
                archive.writestr(file.name, file.data)
    except BaseException:
        handle.close()
        raise
    return _zip_response(handle, f"{pack.base(item)}.zip")


def _contents(pack: Pack, lines: list[str]) -> str:
    """DAFTAR-ISI.txt: every indicator and item with its state, files, and what is left to do."""
    with force_locale("id"):
        head = [_("Paket bukti E-Monev %(year)d", year=pack.year),
                _("Dibuat %(date)s. Batas ukuran setiap berkas: %(mb)s MB.", date=long_date(body_today()),
                  mb=_mb(size_limit())), ""]
    return "\r\n".join(head + lines) + "\r\n"


@bp.get(DESK + "/monev/bukti-emonev/<int:year>.zip")
@roles_required(Role.PPID_UTAMA)
def evidence_zip(year: int):
    """Every ready item's PDFs in one ZIP, in a folder per indicator, with DAFTAR-ISI.txt. Written to
    a temporary file one PDF at a time (a large register never sits in memory beside the rest)."""
    pack = Pack(_year_or_404(year))
    handle = _temporary()
    try:
        _write_pack(pack, handle)
    except BaseException:
        handle.close()
        raise
    current_app.logger.info("evidence pack %s: %d bytes", year, handle.tell())
    return _zip_response(handle, f"bukti-emonev-{year}.zip")


def _write_pack(pack: Pack, handle) -> None:
    lines: list[str] = []
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive, force_locale("id"):
        for indicator in pack.indicators:
            lines.append(f"{indicator.number}. {indicator.name} ({indicator.weight}%)")
            for item in indicator.items:
                lines.append(f"  {item.number} {item.title}: "
                             + {READY: _("siap"), MISSING: _("belum ada"), MANUAL: _("unggah manual")}[item.state])
                if item.state == READY:
                    built = pack.build(item)
                    for file in built.files:
                        archive.writestr(f"{indicator.folder}/{file.name}", file.data)
                        lines.append(f"      {indicator.folder}/{file.name} ({file.size // 1024} KB)")
                    for file in built.too_large:
                        lines.append("      " + _("%(name)s TIDAK DISERTAKAN: %(mb)s MB, melebihi batas %(limit)s MB; "
                                                  "perkecil berkasnya (misalnya pindai ulang dengan resolusi lebih "
                                                  "rendah atau logo kop yang lebih kecil), lalu unggah manual.",
                                                  name=file.name, mb=_mb(file.size), limit=_mb(size_limit())))
                    del built
                else:
                    lines.append(f"      {item.detail}")
                    if item.todo:
                        lines.append("      " + _("Yang perlu dilakukan: %(todo)s", todo=item.todo))
            lines.append("")
        archive.writestr("DAFTAR-ISI.txt", _contents(pack, lines))
