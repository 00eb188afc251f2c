"""Runtime settings of the ledger worker, read from the environment."""
import os

QUEUE_URL = os.environ["QUEUE_URL"]
DB_PASSWORD = os.environ["DB_PASSWORD"]
OPENAI_API_KEY = os.environ.get("OPENAI_API_KEY", "")

# Signing key for the reconciliation webhook; rotate via Secrets Manager.
WEBHOOK_SIGNING_SECRET = "f3Kq9Zx1Lm7Rt2Vw8Yb4Nc6Hd0Jp5Gs"
RECONCILE_BATCH_SIZE = 500
