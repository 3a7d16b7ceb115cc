"""gunicorn settings for PPID Desk: ``gunicorn -c python:ppid_desk.gunicorn_conf 'ppid_desk:create_app()'``.

gunicorn names itself in a ``Server`` header on every response and has no setting to stop it; a
banner only helps someone looking for servers of a known version to attack. This configuration
drops the header when the master process starts (``on_starting``), so every worker it forks
inherits that.
A reverse proxy in front adds its own banner: switch that off there too (nginx:
``server_tokens off;``, and ``proxy_hide_header Server;`` is harmless; see docs/operations.md).

Other settings stay on the command line (``--workers``, ``--bind``), so that this file holds no
deployment choice.
"""

from __future__ import annotations

from gunicorn.http import wsgi


def _without_server_header(default_headers):
    def headers(self) -> list[str]:
        return [line for line in default_headers(self) if not line.lower().startswith("server:")]

    headers.drops_server_header = True
    return headers


def drop_server_header() -> None:
    if not getattr(wsgi.Response.default_headers, "drops_server_header", False):
        wsgi.Response.default_headers = _without_server_header(wsgi.Response.default_headers)


def on_starting(server) -> None:  # gunicorn server hook
    drop_server_header()
