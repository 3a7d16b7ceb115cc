"""The public catalogue ``/informasi`` (anyone, no login, no JavaScript needed) and the desk's
upkeep of the Daftar Informasi Publik under ``/meja/dip``."""

from __future__ import annotations

from io import BytesIO

from flask import abort, current_app, flash, redirect, request, send_file, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from ..accounts.models import Role
from ..accounts.roles import DIP_EDITOR_ROLES
from ..attachments.services import attachment_read
from ..errors import DomainError, FieldError, ValidationFailed
from ..extensions import limiter
from ..web.access import roles_required
from ..web.forms import EmptyForm, errors_onto_form, page_arg, parse_int
from ..web.htmx import render
from ..web.limits import public_page_limit
from ..web.transaction import commit, rollback
from ..workcalendar.selectors import body_today
from . import freshness, policy, selectors, services
from .answer_selectors import source_request_of
from .blueprint import bp
from .forms import DocumentForm, ItemForm, ReasonForm, form_from_item
from .labels import STATUS_LABELS
from .models import InformationItem, ItemCategory, ItemStatus

# --- public -------------------------------------------------------------------------------------

@bp.get("/informasi")
@public_page_limit
def catalogue():
    page = page_arg(request.args)
    if page is None:
        abort(404)
    query = (request.args.get("q") or "").strip()[:200]
    category = request.args.get("kategori") or None
    unit_id = parse_int(request.args.get("unit") or "")
    result = selectors.catalogue(query=query, category=category, unit_id=unit_id, page=page)
    return render("dip/catalogue.html", block="catalogue_results", result=result, query=query,
                  year=body_today().year,
                  category=category if category in {c.value for c in ItemCategory} else None,
                  unit_id=unit_id, units=selectors.catalogue_units())


@bp.get("/informasi/saran")
@public_page_limit
def suggestions():
    """Published items matching a request being typed (the request form asks with htmx)."""
    description = (request.args.get("rincian") or "")[:2000]
    return render("dip/_suggestions.html", items=selectors.suggestions(description))


@bp.get("/informasi/<int:item_id>")
@public_page_limit
def item_page(item_id: int):
    item = selectors.public_item(item_id)
    if item is None:
        abort(404)
    return render("dip/item.html", item=item, documents=selectors.item_documents(item.id))


# The session remembers the items counted today (at most VIEWED_MAX, the cookie stays small).
VIEWED_KEY, VIEWED_MAX = "dip_viewed", 50


@bp.post("/informasi/<int:item_id>/dilihat")
@limiter.limit(lambda: current_app.config["DIP_VIEW_RATE_LIMIT"], methods=["POST"])
def item_viewed(item_id: int):
    """Count one view of a published item's page: the page posts here with htmx when it loads
    (``hx-trigger="load"``), because GET views never write. Once per item, browser session and
    body-local day; visitors without JavaScript (most crawlers) are not counted. 204, no body."""
    item = selectors.public_item(item_id)
    if item is None:
        abort(404)
    today = body_today()
    seen = session.get(VIEWED_KEY)
    counted = seen["ids"] if isinstance(seen, dict) and seen.get("day") == today.isoformat() and isinstance(
        seen.get("ids"), list) else []
    if item.id not in counted:
        services.item_view_count(item=item, day=today)
        commit()
        session[VIEWED_KEY] = {"day": today.isoformat(), "ids": [*counted, item.id][-VIEWED_MAX:]}
    return "", 204


@bp.get("/informasi/<int:item_id>/dokumen/<int:attachment_id>")
@public_page_limit
def item_document(item_id: int, attachment_id: int):
    item = selectors.public_item(item_id)
    attachment = selectors.item_document(item_id, attachment_id) if item else None
    if attachment is None:
        abort(404)
    return _send(attachment)


@bp.get("/informasi/daftar-<int:year>.xlsx")
@public_page_limit
def dip_export_xlsx(year: int):
    """The year's Daftar Informasi Publik in the Perki 1/2021 layout (public: it is itself
    "setiap saat" information)."""
    return _dip_export(year, "xlsx")


@bp.get("/informasi/daftar-<int:year>.pdf")
@public_page_limit
def dip_export_pdf(year: int):
    return _dip_export(year, "pdf")


def _dip_export(year: int, fmt: str):
    from flask import Response

    from ..web.spreadsheets import download
    from .export import dip_pdf, dip_xlsx

    if not 2000 <= year <= body_today().year:
        abort(404)
    filename = f"daftar-informasi-publik-{year}.{fmt}"
    with force_locale("id"):  # an official document: Indonesian whatever the page's language
        body = dip_xlsx(year) if fmt == "xlsx" else dip_pdf(year)
    if fmt == "xlsx":
        return download(body, "xlsx", filename, private=False)
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/sitemap.xml")
@public_page_limit
def sitemap():
    """The public pages and every published catalogue item, for search engines."""
    from flask import Response
    from markupsafe import escape

    from ..web.urls import public_url

    pages = [(public_url(endpoint), None) for endpoint in
             ("pages.home", "dip.catalogue", "requests.new_request", "requests.track_lookup",
              "monev.public_statistics", "monev.annual_report_index", "organisation.tariff_public",
              "exemptions.public_register_page")]
    pages += [(public_url("dip.item_page", item_id=item_id), changed)
              for item_id, changed in selectors.sitemap_items()]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for location, changed in pages:
        modified = f"<lastmod>{changed.date().isoformat()}</lastmod>" if changed else ""
        lines.append(f"<url><loc>{escape(location)}</loc>{modified}</url>")
    lines.append("</urlset>")
    return Response("\n".join(lines) + "\n", mimetype="application/xml")


@bp.get("/robots.txt")
@public_page_limit
def robots():
    """Search engines may read the public pages, never the desk; the sitemap lists the catalogue."""
    from flask import Response

    from ..web.urls import public_url

    body = "User-agent: *\nDisallow: /meja/\nDisallow: /akun\nSitemap: " + public_url("dip.sitemap") + "\n"
    return Response(body, mimetype="text/plain")


def _send(attachment):
    return send_file(BytesIO(attachment_read(attachment)), mimetype=attachment.content_type,
                     as_attachment=True, download_name=attachment.original_name)


# --- desk ---------------------------------------------------------------------------------------

def _editor_or_403() -> None:
    if not policy.is_editor(current_user):
        abort(403)


def _item_or_404(item_id: int) -> InformationItem:
    item = selectors.item_get(item_id)
    if item is None:
        abort(404)
    if not policy.may_edit(current_user, item):
        abort(403)
    return item


def _unit_choices(form: ItemForm) -> ItemForm:
    fixed = policy.unit_fixed(current_user)
    units = [unit for unit in selectors.active_units() if fixed is None or unit.id == fixed]
    form.unit_id.choices = [("", _("Pilih unit"))] + [(str(unit.id), unit.name) for unit in units]
    if fixed is not None:
        form.unit_id.data = str(fixed)
    return form


@bp.get("/meja/dip")
@roles_required(*DIP_EDITOR_ROLES)
def desk_list():
    _editor_or_403()
    status = request.args.get("status") or None
    if status not in {s.value for s in ItemStatus}:
        status = None
    today, approver = body_today(), policy.approves(current_user)
    # One pass over the published items gives both the stale list and (PPID Utama) the unit counts.
    fresh = freshness.overview(today, unit_id=None if approver else current_user.unit_id)
    return render("dip/desk_list.html", items=selectors.desk_items(current_user, status=status), status=status,
                  status_labels=STATUS_LABELS, approver=approver, today=today,
                  stale=fresh.stale, by_unit=fresh.by_unit if approver else [])


def _new_page(form: ItemForm, status: int = 200):
    return render("dip/desk_new.html", form=_unit_choices(form), status=status,
                  unit_fixed=policy.unit_fixed(current_user))


def _refused(form, error: DomainError | None = None) -> None:
    problems = services.item_problems(form.draft()) if error is None else {}
    if isinstance(error, ValidationFailed):
        problems = error.errors
    errors_onto_form(form, ValidationFailed({name: message for name, message in problems.items()
                                             if hasattr(form, name) and not getattr(form, name).errors}))


@bp.route("/meja/dip/baru", methods=["GET", "POST"])
@roles_required(*DIP_EDITOR_ROLES)
def desk_new():
    _editor_or_403()
    if request.method == "GET":
        return _new_page(ItemForm(formdata=None, format="softcopy"))
    form = _unit_choices(ItemForm())
    if not form.validate():
        _refused(form)
        return _new_page(form, 422)
    try:
        item = services.item_create(actor=current_user, draft=form.draft())
        commit()
    except ValidationFailed as error:
        rollback()
        _refused(form, error)
        return _new_page(form, 422)
    flash(_("Informasi disimpan sebagai draf. Lampirkan dokumennya, lalu ajukan untuk persetujuan."), "success")
    return redirect(url_for("dip.desk_item", item_id=item.id), code=303)


def _item_page(item: InformationItem, *, form: ItemForm | None = None, document_form: DocumentForm | None = None,
               reason_form: ReasonForm | None = None, status: int = 200):
    return render("dip/desk_item.html", status=status, item=item,
                  form=_unit_choices(form or form_from_item(item)),
                  document_form=document_form or DocumentForm(formdata=None),
                  reason_form=reason_form or ReasonForm(formdata=None), action_form=EmptyForm(formdata=None),
                  documents=selectors.item_documents(item.id), events=selectors.item_history(item.id),
                  approver=policy.approves(current_user), unit_fixed=policy.unit_fixed(current_user),
                  status_labels=STATUS_LABELS, review_due=freshness.review_due(item), today=body_today(),
                  source_request=source_request_of(item))


@bp.get("/meja/dip/<int:item_id>")
@roles_required(*DIP_EDITOR_ROLES)
def desk_item(item_id: int):
    return _item_page(_item_or_404(item_id))


@bp.post("/meja/dip/<int:item_id>")
@roles_required(*DIP_EDITOR_ROLES)
def desk_update(item_id: int):
    item = _item_or_404(item_id)
    form = _unit_choices(ItemForm())
    if not form.validate():
        _refused(form)
        return _item_page(item, form=form, status=422)
    if form.expected_version() is not None and form.expected_version() != item.version:
        flash(_("Informasi ini baru saja diubah oleh orang lain. Isian Anda masih ada di bawah; periksa "
                "riwayatnya lalu simpan ulang."), "error")
        form.version.data = str(item.version)
        return _item_page(item, form=form, status=409)
    try:
        left = services.item_update(actor=current_user, item=item, draft=form.draft())
        commit()
    except ValidationFailed as error:
        rollback()
        _refused(form, error)
        return _item_page(_item_or_404(item_id), form=form, status=422)
    except StaleDataError:
        rollback()
        flash(_("Informasi ini baru saja diubah oleh orang lain. Isian Anda masih ada di bawah; periksa "
                "riwayatnya lalu simpan ulang."), "error")
        return _item_page(_item_or_404(item_id), form=form, status=409)
    except DomainError as error:
        rollback()
        flash(str(error), "error")
        return redirect(url_for("dip.desk_item", item_id=item_id), code=303)
    flash(_("Perubahan disimpan. Informasi ini keluar dari daftar publik sampai PPID Utama menyetujuinya lagi.")
          if left else _("Perubahan disimpan."), "success")
    return redirect(url_for("dip.desk_item", item_id=item_id), code=303)


@bp.post("/meja/dip/<int:item_id>/dokumen")
@roles_required(*DIP_EDITOR_ROLES)
def desk_document_add(item_id: int):
    item = _item_or_404(item_id)
    form = DocumentForm()
    if not form.validate():
        abort(400)
    storage = request.files.get("document")
    if storage is None or not storage.filename:
        form.document.errors = [_("Pilih berkas yang akan dilampirkan.")]
        return _item_page(item, document_form=form, status=422)
    try:
        attachment = services.document_add(actor=current_user, item=item, storage=storage)
        commit()
    except FieldError as error:
        rollback()
        form.document.errors = [error.message]
        return _item_page(_item_or_404(item_id), document_form=form, status=422)
    except services.NotAllowed:
        rollback()
        abort(403)
    except DomainError as error:
        rollback()
        flash(str(error), "error")
        return redirect(url_for("dip.desk_item", item_id=item_id), code=303)
    flash(_("Dokumen dilampirkan: %(name)s.", name=attachment.original_name), "success")
    return redirect(url_for("dip.desk_item", item_id=item_id) + "#dokumen", code=303)


@bp.post("/meja/dip/<int:item_id>/dokumen/<int:attachment_id>/hapus")
@roles_required(*DIP_EDITOR_ROLES)
def desk_document_remove(item_id: int, attachment_id: int):
    item = _item_or_404(item_id)
    attachment = selectors.item_document(item_id, attachment_id)
    if attachment is None:
        abort(404)
    if not EmptyForm().validate():
        abort(400)
    try:
        services.document_remove(actor=current_user, item=item, attachment=attachment)
        commit()
    except services.NotAllowed:
        rollback()
        abort(403)
    except DomainError as error:
        rollback()
        flash(str(error), "error")
        return redirect(url_for("dip.desk_item", item_id=item_id) + "#dokumen", code=303)
    flash(_("Dokumen dihapus."), "success")
    return redirect(url_for("dip.desk_item", item_id=item_id) + "#dokumen", code=303)


@bp.get("/meja/dip/<int:item_id>/dokumen/<int:attachment_id>")
@roles_required(*DIP_EDITOR_ROLES)
def desk_document(item_id: int, attachment_id: int):
    _item_or_404(item_id)
    attachment = selectors.item_document(item_id, attachment_id)
    if attachment is None:
        abort(404)
    return _send(attachment)


def _act(item_id: int, action: str):
    item = _item_or_404(item_id) if action != "approve" else selectors.item_get(item_id)
    if item is None:
        abort(404)
    reason_form = ReasonForm()
    if not reason_form.validate() and action not in ("return", "withdraw"):
        abort(400)
    messages = {
        "submit": _("Diajukan ke PPID Utama untuk persetujuan."),
        "approve": _("Disetujui: informasi ini sekarang tampil di Daftar Informasi Publik."),
        "return": _("Dikembalikan ke unit dengan catatan Anda."),
        "withdraw": _("Ditarik dari Daftar Informasi Publik."),
        "review": _("Ditinjau: tanggal peninjauan diperbarui."),
    }
    try:
        if action == "submit":
            services.item_submit(actor=current_user, item=item)
        elif action == "approve":
            services.item_approve(actor=current_user, item=item, today=body_today())
        elif action == "return":
            services.item_return(actor=current_user, item=item, reason=reason_form.reason.data or "")
        elif action == "withdraw":
            services.item_withdraw(actor=current_user, item=item, reason=reason_form.reason.data or "")
        else:
            services.item_review(actor=current_user, item=item, today=body_today())
        commit()
    except FieldError as error:
        rollback()
        item = _item_or_404(item_id)
        if error.field == "reason":
            reason_form.reason.errors = [error.message]
            return _item_page(item, reason_form=reason_form, status=422)
        flash(error.message, "error")
        return _item_page(item, status=422)
    except services.NotAllowed:
        rollback()
        abort(403)
    except (DomainError, StaleDataError) as error:
        rollback()
        flash(str(error) if isinstance(error, DomainError) else _("Informasi ini baru saja diubah. Coba lagi."),
              "error")
        return redirect(url_for("dip.desk_item", item_id=item_id), code=303)
    flash(messages[action], "success")
    return redirect(url_for("dip.desk_item", item_id=item_id), code=303)


@bp.post("/meja/dip/<int:item_id>/ajukan")
@roles_required(*DIP_EDITOR_ROLES)
def desk_submit(item_id: int):
    return _act(item_id, "submit")


@bp.post("/meja/dip/<int:item_id>/setujui")
@roles_required(Role.PPID_UTAMA)
def desk_approve(item_id: int):
    return _act(item_id, "approve")


@bp.post("/meja/dip/<int:item_id>/kembalikan")
@roles_required(Role.PPID_UTAMA)
def desk_return(item_id: int):
    return _act(item_id, "return")


@bp.post("/meja/dip/<int:item_id>/tarik")
@roles_required(Role.PPID_UTAMA)
def desk_withdraw(item_id: int):
    return _act(item_id, "withdraw")


@bp.post("/meja/dip/<int:item_id>/tinjau")
@roles_required(*DIP_EDITOR_ROLES)
def desk_review(item_id: int):
    return _act(item_id, "review")
