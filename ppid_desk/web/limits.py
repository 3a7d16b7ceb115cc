"""Rate limits of the anonymous pages (per client address, in the Flask-Limiter storage).

``public_page_limit`` goes on every page anyone may open without logging in (GET and HEAD: Flask
answers HEAD with the GET view, so a GET-only limit could be walked around with HEAD). It is one
shared budget, ``PUBLIC_RATE_LIMIT``, per address across all those pages: what it protects is
the workers, which all those pages share, so spreading requests over several pages must not
multiply the allowance. Forms keep their own, stricter POST limits (``SUBMIT_RATE_LIMIT``,
``LOOKUP_RATE_LIMIT``, …) on top.

``/healthz`` has its own budget (``HEALTHZ_RATE_LIMIT``) instead: a monitor polling it must
never be refused because the same address browsed the public pages, and a refused health check
would make a load balancer take a healthy node out of service.

tests/test_anonymous_limits.py walks the URL map: an anonymous page without one of these (or
an entry in its commented exemption list) fails it.
"""

from __future__ import annotations

from flask import current_app

from ..extensions import limiter

public_page_limit = limiter.shared_limit(lambda: current_app.config["PUBLIC_RATE_LIMIT"], scope="public-pages",
                                         methods=["GET", "HEAD"])
health_limit = limiter.limit(lambda: current_app.config["HEALTHZ_RATE_LIMIT"])
