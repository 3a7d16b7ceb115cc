#!/usr/bin/env bash
# Serve the demo: a local debugging SMTP server prints every e-mail the app sends, gunicorn
# serves the app (two worker processes, as in production, with its Server header off), and the
# outbox sender beside them sends the e-mails that wait for it (account e-mails). `make run`
# starts it inside scripts/with_redis.sh, so rate limits count in a Redis both workers share.
# The session secret and the data key are the instance's own, written once (mode 0600) by
# scripts/instance_secrets.py: the app refuses to start with the public default secret.
set -euo pipefail
VENV=${VENV:-.venv}; HOST=${HOST:-127.0.0.1}; PORT=${PORT:-5000}; SMTP_PORT=${SMTP_PORT:-8025}
"$VENV/bin/python" scripts/instance_secrets.py
export PPID_MAIL_SERVER=127.0.0.1 PPID_MAIL_PORT=$SMTP_PORT PPID_PUBLIC_BASE_URL="http://$HOST:$PORT"
"$VENV/bin/python" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Debugging stdout &
smtp_pid=$!
"$VENV/bin/flask" --app ppid_desk ppid outbox --loop &
outbox_pid=$!
trap 'kill $smtp_pid $outbox_pid 2>/dev/null || true' EXIT
cat <<MSG

  PPID Desk is running at  http://$HOST:$PORT/
  E-mails are printed below by a local debugging SMTP server (127.0.0.1:$SMTP_PORT).

  Demo logins (password for all: demo-ppid-2026):
$("$VENV/bin/flask" --app ppid_desk ppid demo-logins | sed 's/^/    /')

  Stop with Ctrl-C.
MSG
"$VENV/bin/gunicorn" -c python:ppid_desk.gunicorn_conf --workers 2 --bind "$HOST:$PORT" --access-logfile - \
  'ppid_desk:create_app()'
