#!/usr/bin/env bash
# One command: set up (with test extras, Chromium, pdftotext) and run the whole suite,
# on SQLite and on PostgreSQL (TEST_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/test).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
exec .venv/bin/python -m pytest "$@"
