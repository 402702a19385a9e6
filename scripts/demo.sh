#!/usr/bin/env bash
# Set up, create a SQLite database with the demo district and serve GraphiQL on port 8000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PORTFOLIO_ENV=development
export PORTFOLIO_DATABASE_URL="${PORTFOLIO_DATABASE_URL:-sqlite://demo.sqlite3}"
export PORTFOLIO_JWT_SECRET="${PORTFOLIO_JWT_SECRET:-demo-secret-change-me-in-production-0123456789}"
PORT="${PORT:-8000}"
.venv/bin/portfolio migrate
.venv/bin/portfolio demo
echo
echo "GraphiQL:      http://127.0.0.1:${PORT}/graphql"
echo "Demo tokens (valid 24 h; paste into GraphiQL headers as {\"Authorization\": \"Bearer <token>\"}):"
for login in operator official auditor admin1 psy1 admin19 teacher19.1 parent; do
  if token=$(.venv/bin/portfolio token "$login" --ttl 86400 2>/dev/null); then
    printf '  %-12s %s\n' "$login" "$token"
  fi
done
echo
exec .venv/bin/portfolio serve --port "$PORT"
