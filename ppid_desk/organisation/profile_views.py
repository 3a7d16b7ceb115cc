"""Administration on the desk (administrator only): the landing page `/meja/admin` and the body
profile `/meja/admin/profil`; the logo at a public, cached URL; ``body`` for every template."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import NotFound
from werkzeug.local import LocalProxy

from ..accounts.models import Role
from ..audit.selectors import events_for
from ..errors import FieldError, ValidationFailed
from ..web.access import roles_required
from ..web.forms import errors_onto_form
from ..web.htmx import render
from ..web.limits import public_page_limit
from ..web.transaction import commit, rollback
from .blueprint import bp
from .profile_forms import BodyProfileForm, form_from_profile
from .profile_models import PROFILE_ID
from .profile_selectors import (
    PATTERN_KINDS,
    body_logo,
    body_profile,
    body_profile_for_templates,
    body_profile_forget,
)
from .profile_services import (
    PATTERN_LABELS,
    SUBJECT,
    StaleProfile,
    body_profile_save,
    logo_check,
    next_number,
    pattern_problem,
    profile_problems,
)

# Other administration pages, linked from the landing page when they exist (by their path, so
# the landing page needs no change when they arrive).
ADMIN_PAGES = (
    ("/meja/admin/profil", _l("Profil badan publik"),
     _l("Nama, alamat, logo, jam layanan, pejabat penanda tangan, sebutan PPID unit dan pola nomor.")),
    ("/meja/admin/tarif", _l("Tarif biaya"),
     _l("Biaya salinan per lembar, media dan pengiriman, dengan SK yang menetapkannya; tampil di halaman publik.")),
    ("/meja/unit", _l("Unit PPID"), _l("Susunan PPID Utama dan unit-unitnya.")),
    ("/meja/pengguna", _l("Pengguna"), _l("Akun petugas, peran dan unitnya.")),
    ("/meja/kalender", _l("Kalender hari kerja"), _l("Hari libur, cuti bersama dan libur setempat.")),
)
FIELD_LABELS = {"logo_sha256": _l("Logo"), "service_hours": _l("Jam layanan"), "timezone": _l("Zona waktu")}
LOGO_CACHE_SECONDS = 365 * 24 * 3600  # a versioned logo URL never changes: a new logo is a new URL


@bp.app_context_processor
def _body_for_templates() -> dict:
    """``body`` in every template: the body profile, read on first use only."""
    return {"body": LocalProxy(body_profile_for_templates)}


def _existing_page(path: str) -> bool:
    try:
        current_app.url_map.bind("localhost").match(path, method="GET")
    except NotFound:
        return False
    except Exception:  # a redirect or a method mismatch still means a page lives there
        return True
    return True


@bp.get("/meja/admin")
@roles_required(Role.ADMIN)
def admin_index():
    pages = [(path, label, hint) for path, label, hint in ADMIN_PAGES if _existing_page(path)]
    return render("organisation/admin.html", pages=pages)


# --- the body profile -------------------------------------------------------------------------

def _previews(form: BodyProfileForm) -> dict[str, tuple[str | None, str | None]]:
    """(next number, problem) of each typed pattern."""
    previews = {}
    for kind, pattern in form.patterns().items():
        problem = pattern_problem(pattern)
        previews[kind] = (None, problem) if problem else (next_number(kind, pattern), None)
    return previews


def _history():
    return list(reversed(events_for(SUBJECT, PROFILE_ID)))


def _page(form: BodyProfileForm, *, status: int = 200):
    labels = {field.name: field.label.text for field in form} | FIELD_LABELS
    return render("organisation/profile.html", block="profile_main", status=status, form=form,
                  profile=body_profile(), previews=_previews(form), events=_history(), field_labels=labels,
                  pattern_labels=PATTERN_LABELS)


@bp.get("/meja/admin/profil")
@roles_required(Role.ADMIN)
def body_profile_edit():
    return _page(form_from_profile(body_profile()))


@bp.post("/meja/admin/profil")
@roles_required(Role.ADMIN)
def body_profile_update():
    form = BodyProfileForm()
    form_valid = form.validate()
    if request.form.get("action") == "preview":  # "Pratinjau nomor" without JavaScript: nothing saved
        return _page(form, status=200 if form_valid else 422)
    logo, logo_error = None, None
    upload = form.logo.data
    if upload is not None and getattr(upload, "filename", ""):
        try:
            logo = logo_check("logo", upload)
        except FieldError as error:
            logo_error = error
    draft = form.draft(logo)
    if logo_error is not None or not form_valid:
        # Everything is checked, and kept as typed; nothing is saved.
        if logo_error is not None:
            errors_onto_form(form, logo_error)
        problems = profile_problems(draft)
        if problems:
            errors_onto_form(form, ValidationFailed(problems))
        return _page(form, status=422)
    try:
        changed = body_profile_save(actor=current_user, draft=draft, expected_version=form.expected_version())
        commit()
    except ValidationFailed as error:
        rollback()
        body_profile_forget()
        errors_onto_form(form, error)
        if logo is not None:
            form.logo.errors = [*form.logo.errors, _("Pilih logo sekali lagi: logo belum disimpan karena ada "
                                                     "isian lain yang perlu diperbaiki.")]
        return _page(form, status=422)
    except (StaleProfile, StaleDataError):
        rollback()
        body_profile_forget()
        flash(_("Profil baru saja diubah oleh administrator lain. Isian Anda masih ada di bawah; periksa "
                "riwayat perubahan lalu kirim ulang."), "error")
        form.version.data = str(body_profile().version)
        return _page(form, status=409)
    body_profile_forget()
    flash(_("Profil badan publik disimpan.") if changed else _("Tidak ada yang berubah."), "success")
    return redirect(url_for("organisation.body_profile_edit"), code=303)


@bp.get("/meja/admin/profil/pratinjau-nomor/<kind>")
@roles_required(Role.ADMIN)
def number_preview(kind: str):
    """The next number of one typed pattern (htmx, as the administrator types)."""
    if kind not in PATTERN_KINDS:
        abort(404)
    pattern = (request.args.get(f"{kind}_number_pattern") or "").strip()
    problem = pattern_problem(pattern)
    preview = (None, problem) if problem else (next_number(kind, pattern), None)
    return render("organisation/_number_preview.html", kind=kind, preview=preview)


# --- the logo, public -------------------------------------------------------------------------

@bp.get("/logo")
@public_page_limit
def body_logo_image():
    """The body's logo for the public header, receipts and letters: cached for a year under
    a versioned URL (``?v=`` its digest), revalidated by ETag otherwise."""
    logo = body_logo()
    if logo is None:
        abort(404)
    content, mime = logo
    profile = body_profile()
    response = current_app.response_class(content, mimetype=mime)
    response.set_etag(profile.logo_sha256 or "")
    if request.args.get("v") == profile.logo_version:
        response.headers["Cache-Control"] = f"public, max-age={LOGO_CACHE_SECONDS}, immutable"
    else:
        response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Content-Disposition"] = "inline; filename=logo." + ("png" if mime == "image/png" else "jpg")
    return response.make_conditional(request)
