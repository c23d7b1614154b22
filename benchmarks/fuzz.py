"""How the core copes with mangled workout files. Prints counts beside their targets; never
fails on them.

Each case is a bundled workout mutated by the generator that ``tests/test_fuzz_core.py``
uses (characters and lines deleted, duplicated or inserted, values replaced by NaN, huge
numbers, markup, control characters, deep nesting, bytes that are not UTF-8), seeded so a
run can be repeated. It goes through ``decode_workout`` and ``parse_workout``, and when it
loads, through ``compile_timeline`` and ``describe_workout``, under a time limit.

With ``--commands`` each case is also written to a file and run through the commands a
person types, in-process: ``validate``, ``show``, ``list`` and a whole ``run --plain``
session on a clock that jumps to each deadline (tracebacks, hangs and escape sequences are
then counted on everything the commands print).

Run from the repository root:
``.venv/bin/python benchmarks/fuzz.py [--cases N] [--seed S] [--commands]``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from types import FrameType

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for the shared generator

from tempo_coach.core.describe import describe_workout
from tempo_coach.core.errors import WorkoutFileError
from tempo_coach.core.text import printable
from tempo_coach.core.timeline import compile_timeline
from tests.fakes import InstantClock
from tests.test_fuzz_core import PATH, fuzz_case, load, unclear

COMMANDS = (
    ("validate", "{path}"),
    ("show", "{path}"),
    ("list", "{path}"),
    ("run", "{path}", "--plain", "--audio", "silent", "--fresh"),
)

HANG_SECONDS = 5.0


class Hang(Exception):
    """Raised by the alarm when one case runs past `HANG_SECONDS`."""


def _alarm(_signal: int, _frame: FrameType | None) -> None:
    raise Hang


def run_case(data: bytes) -> tuple[str, WorkoutFileError | None]:
    """ "refused", "loaded", "hang" or the name of an unexpected exception, and the error
    that refused the file. The alarm interrupts Python code; a hang inside one call to C
    code is caught when that call returns."""
    signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
    try:
        outcome = load(data)
        if isinstance(outcome, WorkoutFileError):
            return "refused", outcome
        compile_timeline(outcome)
        describe_workout(outcome)
        return "loaded", None
    except Hang:
        return "hang", None
    except Exception as error:  # what the benchmark counts: anything that is not a refusal
        return type(error).__name__, None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def run_commands(data: bytes, folder: Path) -> tuple[str, list[str]]:
    """Like `run_case`, through the CLI: the outcome, and every line the commands printed."""
    from tempo_coach import cli
    from tempo_coach.core import clock

    path = folder / "fuzzed.toml"
    path.write_bytes(data)
    printed: list[str] = []
    clock.MonotonicClock = InstantClock  # type: ignore[misc, assignment]
    for command in COMMANDS:
        out, err = io.StringIO(), io.StringIO()
        signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                cli.main([part.format(path=path) for part in command])
        except Hang:
            return "hang", printed
        except Exception as error:  # what the benchmark counts: an escaped exception
            return type(error).__name__, printed
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        printed += out.getvalue().splitlines() + err.getvalue().splitlines()
    return "ran", printed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=3000, help="how many cases (3000)")
    parser.add_argument("--seed", type=int, default=20240501, help="the generator's seed")
    parser.add_argument(
        "--commands",
        action="store_true",
        help="also run each case through validate, show, list and run --plain",
    )
    arguments = parser.parse_args()
    signal.signal(signal.SIGALRM, _alarm)
    folder = Path(tempfile.mkdtemp(prefix="tempo-fuzz-"))
    os.environ["XDG_DATA_HOME"] = str(folder / "data")  # the history of these runs, not yours
    # No keys can come, as with a session run from a script; open for the whole run.
    sys.stdin = open(os.devnull)  # noqa: SIM115
    rng = random.Random(arguments.seed)
    outcomes: Counter[str] = Counter()
    tracebacks: Counter[str] = Counter()
    escapes = unclear_messages = 0
    examples: dict[str, str] = {}
    slowest = (0.0, -1)
    started = time.perf_counter()
    for number in range(arguments.cases):
        data = fuzz_case(rng)
        case_started = time.perf_counter()
        outcome, error = run_case(data)
        printed: list[str] = []
        if arguments.commands and outcome in ("refused", "loaded"):
            outcome, printed = run_commands(data, folder)
            outcome = {"ran": "refused" if error is not None else "loaded"}.get(outcome, outcome)
        slowest = max(slowest, (time.perf_counter() - case_started, number))
        if outcome in ("refused", "loaded", "hang"):
            outcomes[outcome] += 1
        else:
            outcomes["traceback"] += 1
            tracebacks[outcome] += 1
        for line in printed:
            if printable(line) != line:
                escapes += 1
                examples.setdefault("escape sequence in the output", printable(line))
        for line in str(error).splitlines() if error is not None else []:
            if printable(line) != line:
                escapes += 1
                examples.setdefault("escape sequence", printable(line))
            faults = unclear(line) + ([] if line.startswith(f"{PATH}: ") else ["no file name"])
            if faults:
                unclear_messages += 1
                examples.setdefault(", ".join(faults), line)
    elapsed = time.perf_counter() - started
    through = " through validate, show, list and run --plain" if arguments.commands else ""
    print(
        f"fuzz: {arguments.cases} cases{through}, seed {arguments.seed}, {elapsed:.1f} s "
        f"(slowest case #{slowest[1]}: {slowest[0] * 1000:.0f} ms)"
    )
    print(f"  loaded                      {outcomes['loaded']:6d}")
    print(f"  refused with a message      {outcomes['refused']:6d}")
    print(f"  tracebacks                  {outcomes['traceback']:6d}   (must be 0)")
    for name, count in tracebacks.most_common():
        print(f"    {name:<26}{count:6d}")
    print(f"  hangs (> {HANG_SECONDS:g} s)              {outcomes['hang']:6d}   (must be 0)")
    print(f"  escape sequences in messages{escapes:6d}   (must be 0)")
    print(f"  unclear messages            {unclear_messages:6d}   (must be 0)")
    for kind, line in examples.items():
        print(f"    e.g. {kind}: {line[:160]}")


if __name__ == "__main__":
    main()
