#!/usr/bin/env bash
# Set up, then lint, type-check and run the tests (SQLite unless PORTFOLIO_TEST_DATABASE_URL is set).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/mypy
# pytest exits with status 5 when it collects no test: that fails this script too.
.venv/bin/pytest "$@"
