#!/usr/bin/env bash
# Installs everything the tests need and runs the whole suite (the README's second command; .ci/run calls it).
#   - Debian packages, when missing: postgresql, chromium, and the Python reference libraries
#   - a PostgreSQL server on the local socket, with a role for this user and a kiln_test database
#   - npm packages from the lock file, then build, lint and the test suite
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

missing=()
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
/usr/bin/python3 -c 'import sklearn, xgboost, pandas' >/dev/null 2>&1 || missing+=(python3-sklearn python3-xgboost python3-pandas)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

echo "== starting PostgreSQL on the local socket"
pg_version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$pg_version main$"; then
  $SUDO pg_createcluster "$pg_version" main >/dev/null
fi
$SUDO pg_ctlcluster --skip-systemctl-redirect "$pg_version" main start 2>/dev/null || true
for _ in $(seq 1 30); do pg_isready -q -h /var/run/postgresql && break; sleep 1; done
me=$(id -un)
$SUDO su postgres -c "psql -q -tc \"select 1 from pg_roles where rolname = '$me'\" | grep -q 1 || psql -q -c 'create role \"$me\" superuser login'"
psql -h /var/run/postgresql -d postgres -q -tc "select 1 from pg_database where datname = 'kiln_test'" | grep -q 1 \
  || psql -h /var/run/postgresql -d postgres -q -c 'create database kiln_test'
export KILN_TEST_POSTGRES_URL="postgres:///kiln_test?host=/var/run/postgresql"

echo "== installing npm packages from the lock file"
npm ci --no-audit --no-fund
echo "== build, lint, test"
npm run build
npm run lint
npm test
