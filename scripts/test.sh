#!/usr/bin/env bash
# One command: set up (with test extras, Chromium, pdftotext) and run the whole suite,
# on SQLite and on PostgreSQL (TEST_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/test).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
# One pytest-xdist worker per core (each with its own PostgreSQL database, see tests/conftest.py);
# CREDIT_CASES_TEST_WORKERS=0 runs everything in this one process.
exec .venv/bin/python -m pytest -n "${CREDIT_CASES_TEST_WORKERS:-auto}" --dist loadscope "$@"
