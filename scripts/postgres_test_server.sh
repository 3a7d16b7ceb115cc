#!/usr/bin/env bash
# Start the local PostgreSQL 15 cluster (as CI does) and make a login role for the tests.
# Prints the admin URL the test suite uses to create and drop throwaway databases.
set -euo pipefail
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk '{print $4}' | grep -q online; then
  pg_ctlcluster "$version" main start >&2
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 && break
  sleep 0.5
done
port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
su postgres -c "psql -q -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname='ppid_test'\"" | grep -q 1 \
  || su postgres -c "psql -q -p $port -c \"CREATE ROLE ppid_test LOGIN CREATEDB PASSWORD 'ppid_test'\"" >&2
echo "postgresql://ppid_test:ppid_test@127.0.0.1:${port}/postgres"
