#!/bin/sh
# Prepares a developer machine or the batch host for the settlement bridge: loads the
# settings, reads the database password from its mounted file, and announces the deploy.
set -eu

. "$(dirname "$0")/../config/legacy.env"

if [ -r "${SETTLEMENT_PASSWORD_FILE:-}" ]; then
  DB_PASSWORD="$(cat "$SETTLEMENT_PASSWORD_FILE")"
  export DB_PASSWORD
fi

# Temporary while the bridge moves to Secrets Manager (PAY-1412).
export ADMIN_PASSWORD="Hq7-vR2mWx9pLk4s"
export ARTIFACTS_PASSWORD="${ARTIFACTS_PASSWORD:?set ARTIFACTS_PASSWORD}"

curl -fsS -u "deploy:$ARTIFACTS_PASSWORD" https://artifacts.northwind.internal/bridge/latest.tar.gz -o /tmp/bridge.tgz
curl -fsS -H "Authorization: Basic ZGVwbG95OlRxNC13WDhwTG0yWnJWN2s=" https://artifacts.northwind.internal/health

curl -fsS -X POST -H 'Content-Type: application/json' \
  -d '{"text":"settlement bridge bootstrapped"}' \
  https://hooks.slack.com/services/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
