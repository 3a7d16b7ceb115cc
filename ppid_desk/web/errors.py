"""Error pages: plain language, never a stack trace."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..extensions import db


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        message = _("Formulir sudah kedaluwarsa. Muat ulang halaman lalu kirim lagi.")
        return render_template("errors/error.html", code=400, message=message), 400

    @app.errorhandler(413)
    def too_large(error):
        message = _("Berkas yang dikirim terlalu besar. Batasnya %(mb)d MB.",
                    mb=app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024))
        return render_template("errors/error.html", code=413, message=message), 413

    @app.errorhandler(429)
    def too_many(error):
        message = _("Terlalu banyak percobaan. Tunggu sebentar lalu coba lagi.")
        return render_template("errors/error.html", code=429, message=message), 429

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        messages = {
            403: _("Anda tidak berhak membuka halaman ini."),
            404: _("Halaman tidak ditemukan."),
            405: _("Cara membuka halaman ini tidak didukung."),
        }
        message = messages.get(error.code or 500, _("Permintaan tidak dapat diproses."))
        return render_template("errors/error.html", code=error.code, message=message), error.code

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error")
        message = _("Terjadi kesalahan pada sistem. Data Anda tidak tersimpan sebagian; silakan coba lagi.")
        return render_template("errors/error.html", code=500, message=message), 500
