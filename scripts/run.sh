#!/usr/bin/env bash
# One command: set up, migrate the SQLite database under ./var/, load demo data, serve on 127.0.0.1:5000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export CREDIT_CASES_DATA_DIR="${CREDIT_CASES_DATA_DIR:-./var}"
.venv/bin/credit-cases db upgrade
.venv/bin/credit-cases demo
# --dev: letters print the loopback address unless CREDIT_CASES_PUBLIC_URL is set (serve warns)
exec .venv/bin/credit-cases serve --dev --host "${HOST:-127.0.0.1}" --port "${PORT:-5000}"
