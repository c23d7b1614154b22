"""What SIGKILL at random moments does to the history. Prints counts beside their targets;
never fails on them.

Each run is a real ``tempo-coach run FAST --plain`` (FAST is the fast workout of
``tests/test_session_log.py``, which does 15 of these), killed after a random number of its
printed lines and 0–20 ms more, so that kills land all over a set and some between a set's
end and its commit. Every run shares one database, so each resumes the session the one
before it left. After each kill: is every set announced "Saved" in the database, is any set
there twice, is the database sound (``PRAGMA integrity_check``), did the run resume right
after the last logged set; at the end, the same checks over the whole database. Seeded, so
a run can be repeated.

Run from the repository root: ``.venv/bin/python benchmarks/kill.py [--kills N]
[--seed S] [--program PATH]``. About 0.7 s a kill (mostly the interpreter's start).
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for the shared harness

from tests.test_session_log import FAST, TEMPO_COACH, kill_one_run


def whole_database(database: Path) -> tuple[str, int, int]:
    """The integrity check, sets stored twice in one session, and all sets stored."""
    with closing(sqlite3.connect(database)) as connection:
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        doubled = connection.execute(
            "SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) AS n FROM sets"
            " WHERE partial = 0 GROUP BY session_id, exercise, set_number, side)"
        ).fetchone()[0]
        stored = connection.execute("SELECT COUNT(*) FROM sets").fetchone()[0]
    return integrity, doubled, stored


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument(
        "--program",
        type=Path,
        default=TEMPO_COACH,
        help="the tempo-coach to run (default: this virtualenv's)",
    )
    arguments = parser.parse_args(argv)
    chooser = random.Random(arguments.seed)
    lost = doubled = unsound = in_flight = out_of_order = unannounced = bad_resumes = 0
    began = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        workout = home / "fast.toml"
        workout.write_text(FAST)
        environment = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "d")}
        database = home / "d" / "tempo-coach" / "history.sqlite3"
        for kill in range(arguments.kills):
            outcome = kill_one_run(arguments.program, workout, environment, database, chooser)
            lost += len(outcome.lost)
            doubled += len(outcome.doubled)
            unsound += outcome.integrity != "ok"
            in_flight += len(outcome.in_flight)
            out_of_order += outcome.in_flight not in ([], outcome.done[-1:])
            unannounced += len(outcome.unannounced)
            bad_resumes += not outcome.resumed_right
            if (kill + 1) % 10 == 0 or kill + 1 == arguments.kills:
                print(
                    f"{kill + 1}/{arguments.kills} kills, {time.monotonic() - began:.0f} s",
                    file=sys.stderr,
                    flush=True,
                )
        integrity, doubled_overall, stored = whole_database(database)
    rows = [
        ("kills", arguments.kills, ""),
        ("sets announced saved, not in the database", lost, "0"),
        ("sets in one session twice (per kill)", doubled, "0"),
        ("sets in one session twice (whole database)", doubled_overall, "0"),
        ("integrity checks not 'ok' (per kill)", unsound, "0"),
        ("integrity check at the end", integrity, "ok"),
        ("done sets not yet committed at the kill", in_flight, "≤ 1 each"),
        ("  of which not the last set announced", out_of_order, "0"),
        ("done sets not announced saved within 3 lines", unannounced, "0"),
        ("runs that resumed anywhere but the next set", bad_resumes, "0"),
        ("sets stored in all", stored, ""),
    ]
    print(f"benchmarks/kill.py · seed {arguments.seed} · {arguments.program}")
    print(f"{'measure':<48} {'count':>8} {'target':>8}")
    for name, count, target in rows:
        print(f"{name:<48} {count!s:>8} {target:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
