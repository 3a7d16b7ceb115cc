#!/usr/bin/env bash
# Run a command beside a private Redis, the rate-limit storage that every worker shares:
#   bash scripts/with_redis.sh COMMAND [ARG...]
# Starts redis-server on a free loopback port with its files in a temporary folder (no
# persistence), exports PPID_RATELIMIT_STORAGE_URI=redis://127.0.0.1:PORT/0 for the command,
# and stops Redis and removes the folder when the command ends (also on Ctrl-C).
# `make run` and `make test` use it; install Redis with `make redis` (Debian's redis-server).
set -euo pipefail
command -v redis-server >/dev/null || { echo "redis-server is not installed: run 'make redis'" >&2; exit 1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/ppid-redis.XXXXXX")
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --save '' --appendonly no \
  --daemonize no --logfile "$dir/redis.log" &
redis_pid=$!
cleanup() { kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
for _ in $(seq 1 100); do
  [ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ] && break
  kill -0 "$redis_pid" 2>/dev/null || { cat "$dir/redis.log" >&2; exit 1; }
  sleep 0.05
done
[ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ] || { echo "redis-server did not start" >&2; exit 1; }
export PPID_RATELIMIT_STORAGE_URI="redis://127.0.0.1:$port/0"
echo "Rate limits in a private Redis: $PPID_RATELIMIT_STORAGE_URI" >&2
"$@"
