"""Run the benchmarks on a throw-away database and print the figures.

``python -m bench`` (``make bench``) runs the benches of issue #17's table
(TABLE) through a live gunicorn and prints the table, also written to
``var/bench.md``; ``python -m bench NAME…`` runs those named (``all``: every
one). ``BENCH_ROUNDS`` (3) rounds each; SQLite by default, PostgreSQL and
Redis with ``DATABASE_URL`` and ``REDIS_URL``.
"""

import os
import shutil
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
(ROOT / "var").mkdir(exist_ok=True)  # the SQLite file and the servers' logs live there
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
if not os.environ.get("REDIS_URL"):
    # The Celery broker in files, shared with the worker the PDF bench starts.
    os.environ.setdefault("CELERY_BROKER_DIR", str(ROOT / "var" / "bench-broker"))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

from bench import (  # noqa: E402
    autosave,
    board,
    consolidation,
    import_orgunits,
    issue17,
    live,
    pdf_parallel,
    sweep,
    table,
    workspace,
)

BENCHMARKS = {
    # The table of issue #17 (live server, rounds, floors).
    "form": issue17.form,
    "board_live": issue17.board,
    "workspace_live": issue17.workspace,
    "pdf": issue17.pdf,
    "rollup": issue17.rollup_figures,
    "burst": issue17.burst,
    # Details, in process (test client), printed as they go.
    "import_orgunits": import_orgunits.run,
    "autosave": autosave.run,
    "sweep": sweep.run,
    "consolidation": consolidation.run,
    "board": board.run,
    "workspace": workspace.run,
    "pdf_parallel": pdf_parallel.run,
}
TABLE = ["form", "board_live", "workspace_live", "rollup", "pdf", "burst"]


def _title() -> str:
    server = f"gunicorn gthread {os.environ.get('WEB_CONCURRENCY', '3')}×"
    server += os.environ.get("GUNICORN_THREADS", "4")
    cache = "Redis" if os.environ.get("REDIS_URL") else "local memory cache, file broker"
    return (
        f"make bench — {connection.vendor} ({connection.settings_dict['NAME']}), {cache}, "
        f"{server}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )


def _purge_broker() -> None:
    """The tasks the server queued (e-mails, digests) and no worker of the
    bench ran: not left for a worker of the same broker to find."""
    from django.conf import settings

    if settings.REDIS_URL:
        import redis

        queues = {settings.CELERY_TASK_DEFAULT_QUEUE, settings.CELERY_DOCUMENTS_QUEUE}
        redis.Redis.from_url(settings.REDIS_URL).delete(*queues)
    else:
        shutil.rmtree(live.BROKER_DIR, ignore_errors=True)


def _stop(signum, frame):
    raise KeyboardInterrupt  # the servers stopped and the database dropped (finally)


def main(names: list[str]) -> None:
    signal.signal(signal.SIGTERM, _stop)
    if names == ["all"]:
        names = list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        sys.exit(f"unknown bench {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    began = time.perf_counter()
    try:
        for name in names or TABLE:
            print(f"== {name} ({connection.vendor})", flush=True)
            table.CURRENT["bench"] = name
            start = time.perf_counter()
            BENCHMARKS[name]()
            print(f"   ({time.perf_counter() - start:.0f} s)", flush=True)
    finally:
        live.Process.stop_all()
        _purge_broker()
        if table.ROWS:
            text = table.markdown(_title())
            text += f"\nWhole run: {time.perf_counter() - began:.0f} s.\n"
            print("\n" + text)
            (ROOT / "var" / "bench.md").write_text(text)
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main(sys.argv[1:])
