"""Render a full page or just one named block of it, from the HX-Request header."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, make_response, render_template, request


def is_htmx_partial() -> bool:
    """A real HTMX swap: not a boosted navigation and not a history restore."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-History-Restore-Request") != "true"
    )


def render(template: str, *, block: str | None = None, status: int = 200, **context: Any) -> Response:
    """Render ``template``, or only ``block`` of it for an HTMX request; always ``Vary: HX-Request``."""
    if block and is_htmx_partial():
        app = current_app._get_current_object()
        jinja_template = app.jinja_env.get_or_select_template(template)
        app.update_template_context(context)
        body = "".join(jinja_template.blocks[block](jinja_template.new_context(context)))
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def init_app(app: Flask) -> None:
    @app.after_request
    def _vary_on_htmx(response: Response) -> Response:
        response.vary.add("HX-Request")
        return response
