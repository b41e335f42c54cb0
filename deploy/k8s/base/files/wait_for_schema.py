"""Init container of every pod that uses the database: wait until the Job
backpain-migrate (`bot db upgrade`) has brought the schema to the revision
this image was built for, then exit 0 so the server container starts.

Kubernetes applies everything in `kubectl apply -k` at once and has no
"after the Job" ordering, so this wait is what guarantees it: no server runs
against a schema older than its code, and only the Job ever migrates (no two
pods race to run the same migration). During a rolling update the new pods
wait here while the old ones keep serving.

Never migrates, never exits non-zero: a database that is not reachable yet is
waited for like one that is not migrated yet.
"""
import os
import sys
import time

from bot.store import migrate

POLL_SECONDS = float(os.environ.get("SCHEMA_POLL_SECONDS", "5"))


def main() -> int:
    url = os.environ["DATABASE_URL"]
    head = migrate.head_revision()  # the newest migration shipped in this image
    while True:
        try:
            current = migrate.current_revision(url)
        except Exception as error:  # not reachable yet: keep waiting
            current = f"unknown ({type(error).__name__})"
        if current == head:
            print(f"schema at {head}: starting", flush=True)
            return 0
        print(f"waiting for `bot db upgrade` (Job backpain-migrate): schema at {current}, "
              f"this image needs {head}", flush=True)
        time.sleep(POLL_SECONDS)


if __name__ == "__main__":
    sys.exit(main())
