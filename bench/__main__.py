"""Run every benchmark on a throw-away test database and print the figures."""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

from bench import (  # noqa: E402
    autosave,
    board,
    consolidation,
    import_orgunits,
    pdf_parallel,
    sweep,
    workspace,
)

BENCHMARKS = {
    "import_orgunits": import_orgunits.run,
    "autosave": autosave.run,
    "sweep": sweep.run,
    "consolidation": consolidation.run,
    "board": board.run,
    "workspace": workspace.run,
    "pdf_parallel": pdf_parallel.run,
}


def main(names: list[str]) -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        for name in names or BENCHMARKS:
            print(f"== {name} ({connection.vendor})")
            BENCHMARKS[name]()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main(sys.argv[1:])
