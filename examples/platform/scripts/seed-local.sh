#!/bin/sh
# Seeds the local docker-compose stack with fixture data. Never runs in CI or against a cluster.
set -eu

# The compose database's throwaway password, the same in every developer's checkout.
# opsbook:ignore secret-generic-password local compose database only, recreated on every up
export PGPASSWORD="Compose-Local-Only-7f3k9q"
psql -h localhost -U ledger -f fixtures/ledger.sql

# A suppression must say why: this one does not, so the token is still reported.
export LEDGER_API_TOKEN="lgr_live_8fK2mQ9xVt4LpR7wZc3N"  # opsbook:ignore secret-generic-token
curl -fsS -H "Authorization: Bearer ${LEDGER_API_TOKEN}" http://localhost:8080/healthz

# Left behind when the LocalStack key was removed: it covers nothing now.
# opsbook:ignore secret-aws-access-key LocalStack fixture key
aws --endpoint-url http://localhost:4566 s3 mb s3://ledger-exports
