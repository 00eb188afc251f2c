#!/bin/sh
# Container entrypoint for orders-api: reads file-based secrets, then execs the command.
set -eu

if [ -n "${ORDERS_DB_PASSWORD_FILE:-}" ]; then
  ORDERS_DB_PASSWORD="$(cat "$ORDERS_DB_PASSWORD_FILE")"
  export ORDERS_DB_PASSWORD
fi
export SESSION_SECRET="$(cat /run/secrets/session-secret)"

curl -fsS -u "$ARTIFACTS_USER:$ARTIFACTS_PASSWORD" https://artifacts.southwind.example/ping
curl -fsS -H "Authorization: Bearer ${INTERNAL_API_TOKEN}" https://inventory.southwind.example/health

exec "$@"
