"""What a hostile history does to a real session: locks, a read-only or full disk, corrupt
pages, two copies resuming one session. Prints counts beside their targets; never fails on
them (exit 0 unless the script itself crashed).

Each scenario runs the installed ``tempo-coach run FILE --plain --audio silent --fresh``
(stdin /dev/null) with ``HOME`` and ``XDG_DATA_HOME`` in a fresh temporary folder, on a
fast workout written here, with the fault made for real: another process holding
``BEGIN EXCLUSIVE`` on the history, a read-only or a tiny full tmpfs mounted where the
history lives, bytes overwritten in its second page, two processes started together on a
session a SIGKILL interrupted. Per scenario it prints:

- sets completed: the "Set N/M done" lines the run printed;
- sets in the database: rows of ``sets`` (not partial) that were not there before the run;
- sets reported unsaved: those the "! Not saved to your history: …" line names;
- lost and unreported: completed sets neither in the database nor reported, counted set by
  set (so a set both stored and reported cannot hide a lost one); must be 0;
- longest beat delay: the worst lateness of a segment's printed line against the timeline
  (``compile_timeline``), aligned on the first segment line; each line is timestamped with
  ``time.monotonic()`` as it arrives. Under 50 ms: a fault must never freeze the beat;
- tracebacks on stdout or stderr: must be 0.

Run from the repository root as root (the read-only and full-disk scenarios need
``mount``; without it they are skipped with the reason): ``.venv/bin/python
benchmarks/faults.py [--only NAME ...] [--program PATH]``. About 3 minutes in all.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from tempo_coach.catalog import load_workout
from tempo_coach.core.timeline import Timeline, compile_timeline
from tempo_coach.plain import segment_line

ROOT = Path(__file__).resolve().parent.parent
TEMPO_COACH = ROOT / ".venv" / "bin" / "tempo-coach"

LONG = """\
format_version = 1
name = "Faults long"
count_in_beats = 1

[defaults]
beat_seconds = 0.25
rest_seconds = 3
rest_after_seconds = 3
setup = { mode = "timed", seconds = 0 }

[[exercises]]
name = "Curl"
trains = "knee_flexion"
category = "assistance"
sets = 8
reps = 3
tempo = "1-0-1-0"
"""
"""8 sets of 3 reps at a 0.25 s beat with 3 s rests, about 38 s: long enough that a 30 s
lock starting 1 s in spans several sets and ends before the last one."""
SHORT = LONG.replace('"Faults long"', '"Faults short"').replace("sets = 8", "sets = 4")
SHORT = SHORT.replace("rest_seconds = 3", "rest_seconds = 1").replace(
    "rest_after_seconds = 3", "rest_after_seconds = 1"
)
"""4 sets with 1 s rests, about 10 s: enough for the faults that do not need time."""
PREP = SHORT.replace('"Faults short"', '"Faults prep"').replace("sets = 4", "sets = 1")
"""One set: a session run only to create the history before a fault is made in it."""

LOCKER = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("COMMIT")
print("released", flush=True)
"""
"""Another program holding the history's write lock for argv[2] seconds."""

PREFIX = re.compile(r"^\[\d\d:\d\d\] ")
DONE = re.compile(r"^Set (\d+)/\d+ done · (.+?) · TUT ")
UNSAVED = "! Not saved to your history: "
UNSAVED_SET = re.compile(
    r"^set (\d+)/\d+ of (.+?)(?:, (left|right) side)?(?: \(\d+ of \d+ reps\))?$", re.IGNORECASE
)
TRACEBACK = "Traceback (most recent call last)"
RUN_TIMEOUT_S = 180.0
"""A run still going after this long is killed and counted as hung."""

SetKey = tuple[str, int, str | None]
"""(exercise, set number, side): how the database, the printed lines and the unsaved list
name one set, so they can be compared set by set."""


class Skip(Exception):
    """A scenario that cannot be made here (no permission to mount); the message says why."""


@dataclass
class Run:
    """One ``tempo-coach run`` process, its output lines timestamped as they arrive."""

    process: subprocess.Popen[bytes]
    lines: list[tuple[float, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    first_line: threading.Event = field(default_factory=threading.Event)
    on_line: Callable[[str], None] = lambda line: None
    hung: bool = False
    threads: list[threading.Thread] = field(default_factory=list)

    @classmethod
    def start(
        cls,
        program: Path,
        workout: Path,
        home: Path,
        *,
        fresh: bool = True,
        on_line: Callable[[str], None] = lambda line: None,
    ) -> Run:
        """Start a plain, silent run with no keys (stdin /dev/null) in `home`; read stdout
        on a thread so each line's arrival is timed as it comes, not when we look."""
        command = [str(program), "run", str(workout), "--plain", "--audio", "silent"]
        if fresh:
            command.append("--fresh")
        process = subprocess.Popen(
            command,
            env={**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data")},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        run = cls(process, on_line=on_line)
        assert process.stdout is not None and process.stderr is not None
        run.threads = [
            threading.Thread(target=run._read_out, args=(process.stdout,), daemon=True),
            threading.Thread(target=run._read_errors, args=(process.stderr,), daemon=True),
        ]
        for thread in run.threads:
            thread.start()
        return run

    def _read_out(self, stream: IO[bytes]) -> None:
        for raw in stream:
            line = raw.decode(errors="replace").rstrip("\n")
            self.lines.append((time.monotonic(), line))
            self.first_line.set()
            self.on_line(line)
        self.first_line.set()  # a run that printed nothing must not be waited for

    def _read_errors(self, stream: IO[bytes]) -> None:
        self.errors.extend(stream.read().decode(errors="replace").splitlines())

    def wait(self, timeout: float = RUN_TIMEOUT_S) -> int:
        """The exit code; a run past `timeout` is killed (and marked hung), never waited
        for forever."""
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.hung = True
            self.process.kill()
            code = self.process.wait()
        for thread in self.threads:
            thread.join(timeout=5)
        return code

    def text(self) -> list[str]:
        return [line for _, line in self.lines]


@dataclass
class Outcome:
    """What one run did, as the table shows it."""

    done: Counter[SetKey]
    reported: Counter[SetKey]
    segment_lines: int
    segments_planned: int
    """Timed segments from the first one printed on (a resumed run starts at a later set)."""
    worst_delay_ms: float | None
    worst_segment: str
    tracebacks: int
    notices: list[str]
    exit_code: int
    hung: bool
    traceback_tail: list[str]


def measure(run: Run, timeline: Timeline, exit_code: int) -> Outcome:
    """Read a finished run's lines: sets done, sets reported unsaved, each segment line's
    lateness against the timeline, notices and tracebacks."""
    done: Counter[SetKey] = Counter()
    reported: Counter[SetKey] = Counter()
    notices: list[str] = []
    by_text: dict[str, list[int]] = {}
    for index in range(len(timeline.segments)):
        by_text.setdefault(segment_line(timeline, index), []).append(index)
    arrivals: list[tuple[int, float]] = []
    next_index = 0
    for arrived, line in run.lines:
        if line.startswith("!"):
            notices.append(line)
            if line.startswith(UNSAVED):
                for item in line.removeprefix(UNSAVED).split("; "):
                    if matched := UNSAVED_SET.match(item.strip()):
                        number, exercise, side = matched.groups()
                        reported[(exercise, int(number), side)] += 1
                    else:
                        notices.append(f"  (unparsed unsaved item: {item!r})")
            continue
        text = PREFIX.sub("", line, count=1)
        if matched := DONE.match(text):
            done[(matched.group(2), int(matched.group(1)), None)] += 1
            continue
        later = [index for index in by_text.get(text, []) if index >= next_index]
        if later:
            arrivals.append((later[0], arrived))
            next_index = later[0] + 1
    worst: float | None = None
    worst_segment = ""
    if arrivals:
        first_index, first_arrival = arrivals[0]
        origin = timeline.segments[first_index].start_ms
        for index, arrived in arrivals:
            expected = first_arrival + (timeline.segments[index].start_ms - origin) / 1000
            late = (arrived - expected) * 1000
            if worst is None or late > worst:
                worst, worst_segment = late, segment_line(timeline, index)
    everything = run.text() + run.errors
    tracebacks = sum(line.count(TRACEBACK) for line in everything)
    tail: list[str] = []
    for position, line in enumerate(everything):
        if TRACEBACK in line:
            rest = everything[position + 1 :]
            ends = [i for i, later_line in enumerate(rest) if not later_line.startswith(" ")]
            tail.append(rest[ends[0]] if ends else line)
    return Outcome(
        done=done,
        reported=reported,
        segment_lines=len(arrivals),
        segments_planned=sum(
            1 for s in timeline.segments[arrivals[0][0] if arrivals else 0 :] if s.duration_ms > 0
        ),
        worst_delay_ms=worst,
        worst_segment=worst_segment,
        tracebacks=tracebacks,
        notices=notices,
        exit_code=exit_code,
        hung=run.hung,
        traceback_tail=tail,
    )


def stored_sets(database: Path) -> tuple[dict[tuple[int, int, str], SetKey], str | None]:
    """Every complete set in the history, by (id, session, completed_at) so rows of a new
    file that reuses ids are still told apart; and why it could not be read, if so."""
    if not database.exists():
        return {}, "no history file"
    try:
        with closing(sqlite3.connect(database, timeout=5)) as connection:
            rows = connection.execute(
                "SELECT id, session_id, completed_at, exercise, set_number, side FROM sets"
                " WHERE partial = 0"
            ).fetchall()
    except sqlite3.Error as error:
        return {}, f"{type(error).__name__}: {error}"
    return {(r[0], r[1], r[2]): (r[3], r[4], r[5]) for r in rows}, None


def sets_per_session(database: Path) -> dict[int, int]:
    """How many complete sets each session holds (to check none exceeds its plan)."""
    try:
        with closing(sqlite3.connect(database, timeout=5)) as connection:
            rows = connection.execute(
                "SELECT session_id, COUNT(*) FROM sets WHERE partial = 0 GROUP BY session_id"
            ).fetchall()
    except sqlite3.Error:
        return {}
    return {session: count for session, count in rows}


def doubled_sets(database: Path) -> int:
    """Sets stored more than once in one session: each extra copy counts once."""
    try:
        with closing(sqlite3.connect(database, timeout=5)) as connection:
            value = connection.execute(
                "SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) AS n FROM sets"
                " WHERE partial = 0 GROUP BY session_id, exercise, set_number, side)"
            ).fetchone()[0]
    except sqlite3.Error:
        return -1
    return int(value)


class Mounts:
    """tmpfs mounts made for one scenario, undone in `finally` (else the temporary folder
    could not be removed, and a read-only mount would outlive the script)."""

    def __init__(self) -> None:
        self.points: list[Path] = []

    def mount(self, options: str, at: Path) -> None:
        at.mkdir(parents=True, exist_ok=True)
        tried = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(at)],
            capture_output=True,
            text=True,
        )
        if tried.returncode != 0:
            raise Skip(
                f"cannot mount a tmpfs here ({tried.stderr.strip() or tried.returncode}):"
                " this fault needs root with CAP_SYS_ADMIN (as root, file modes stop nothing)"
            )
        self.points.append(at)

    def remount(self, options: str, at: Path) -> None:
        subprocess.run(
            ["mount", "-o", f"remount,{options}", str(at)], check=True, capture_output=True
        )

    def undo(self) -> None:
        for at in reversed(self.points):
            if subprocess.run(["umount", str(at)], capture_output=True).returncode != 0:
                subprocess.run(["umount", "-l", str(at)], capture_output=True)
        self.points.clear()


@dataclass
class Report:
    """One scenario's result: the outcome of each measured run, the sets stored by them,
    and lines to print under the table."""

    name: str
    title: str
    outcomes: list[Outcome] = field(default_factory=list)
    in_db: Counter[SetKey] = field(default_factory=Counter)
    db_error: str | None = None
    extra: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: str | None = None

    @property
    def done(self) -> Counter[SetKey]:
        return sum((o.done for o in self.outcomes), Counter())

    @property
    def reported(self) -> Counter[SetKey]:
        return sum((o.reported for o in self.outcomes), Counter())

    @property
    def lost(self) -> int:
        """Completed sets neither stored nor reported (set by set, copies counted)."""
        return sum((self.done - (self.in_db + self.reported)).values())

    @property
    def worst_delay_ms(self) -> float | None:
        delays = [o.worst_delay_ms for o in self.outcomes if o.worst_delay_ms is not None]
        return max(delays) if delays else None

    @property
    def tracebacks(self) -> int:
        return sum(o.tracebacks for o in self.outcomes)


@dataclass
class Scenario:
    """A folder for one scenario: its HOME, workout files and history path."""

    home: Path
    program: Path
    mounts: Mounts

    @property
    def folder(self) -> Path:
        """Where the history lives: $XDG_DATA_HOME/tempo-coach."""
        return self.home / "data" / "tempo-coach"

    @property
    def database(self) -> Path:
        return self.folder / "history.sqlite3"

    def workout(self, name: str, text: str) -> Path:
        path = self.home / f"{name}.toml"
        path.write_text(text)
        return path

    def prepare(self) -> None:
        """Create the history with a one-set session, as a lifter's first session would."""
        run = Run.start(self.program, self.workout("prep", PREP), self.home)
        if run.wait() != 0 or not self.database.exists():
            raise RuntimeError(f"the preparing session failed: {run.text()} {run.errors}")


def collect(report: Report, scenario: Scenario, before: set[tuple[int, int, str]]) -> None:
    """Fill the report with the sets stored since `before`, and anything odd in the folder
    (a history moved aside, say)."""
    rows, error = stored_sets(scenario.database)
    report.db_error = error
    report.in_db = Counter(key for row, key in rows.items() if row not in before)
    if scenario.folder.exists():
        others = sorted(
            p.name
            for p in scenario.folder.iterdir()
            if p.name not in {"history.sqlite3", "history.sqlite3-wal", "history.sqlite3-shm"}
            and p.name not in {"filler", "workouts"}
        )
        if others:
            report.notes.append(f"other files beside the history: {', '.join(others)}")


def snapshot(database: Path) -> set[tuple[int, int, str]]:
    """The sets stored before a run, so only that run's own sets are counted after it."""
    return set(stored_sets(database)[0])


def lock_scenario(seconds: float) -> Callable[[Scenario], Report]:
    """The history locked by another process for `seconds`, from about 1 s into the
    session: sets must wait in memory and be saved when the lock goes, and the beat must
    not freeze meanwhile."""

    def scenario_run(scenario: Scenario) -> Report:
        report = Report(
            f"lock-{seconds:g}s", f"the history locked by another process for {seconds:g} s"
        )
        workout = scenario.workout("long", LONG)
        timeline = compile_timeline(load_workout(workout))
        run = Run.start(scenario.program, workout, scenario.home)
        started = time.monotonic()
        run.first_line.wait(timeout=30)
        first = run.lines[0][0] if run.lines else started
        while not scenario.database.exists() and time.monotonic() < first + 10:
            time.sleep(0.01)  # the locker must not create the file itself
        time.sleep(max(0.0, first + 1.0 - time.monotonic()))
        locker = subprocess.Popen(
            [sys.executable, "-c", LOCKER, str(scenario.database), str(seconds)],
            stdout=subprocess.PIPE,
            text=True,
        )
        said: dict[str, float] = {}

        def listen(stream: IO[str]) -> None:
            """Time the locker's "locked" and "released" as they come, run or no run."""
            for line in stream:
                said[line.strip()] = time.monotonic() - first

        assert locker.stdout is not None
        listener = threading.Thread(target=listen, args=(locker.stdout,), daemon=True)
        listener.start()
        try:
            exit_code = run.wait()
            locker.wait(timeout=seconds + 30)
            listener.join(timeout=5)
        finally:
            if locker.poll() is None:
                locker.kill()
                locker.wait()
        if "locked" not in said:
            report.notes.append("the locker never took the lock")
        else:
            release = f"{said['released']:.1f} s" if "released" in said else "never seen"
            report.notes.append(
                f"lock held from {said['locked']:.1f} s to {release} after the first line"
            )
        report.outcomes.append(measure(run, timeline, exit_code))
        collect(report, scenario, set())
        return report

    return scenario_run


def read_only(scenario: Scenario) -> Report:
    """The history on a mount made read-only after it was created: a session must train
    anyway and report every set it could not save."""
    report = Report("read-only", "the history on a read-only mount")
    scenario.mounts.mount("size=4m,mode=0700", scenario.folder)
    scenario.prepare()
    before = snapshot(scenario.database)
    scenario.mounts.remount("ro", scenario.folder)
    workout = scenario.workout("short", SHORT)
    timeline = compile_timeline(load_workout(workout))
    run = Run.start(scenario.program, workout, scenario.home)
    exit_code = run.wait()
    report.outcomes.append(measure(run, timeline, exit_code))
    scenario.mounts.remount("rw", scenario.folder)  # a WAL history reads only when writable
    collect(report, scenario, before)
    return report


def full_disk(scenario: Scenario) -> Report:
    """The history on a tiny tmpfs filled to the last byte after it was created."""
    report = Report("full-disk", "the history on a full disk (128 KiB tmpfs, filled)")
    scenario.mounts.mount("size=128k,mode=0700", scenario.folder)
    scenario.prepare()
    before = snapshot(scenario.database)
    filler = scenario.folder / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for chunk in (65536, 4096, 512, 1):  # unbuffered, so nothing is left to flush
            try:
                while True:
                    os.write(descriptor, b"\0" * chunk)
            except OSError:
                pass
    finally:
        os.close(descriptor)
    free = os.statvfs(scenario.folder)
    report.notes.append(f"free after filling: {free.f_bavail * free.f_frsize} bytes")
    workout = scenario.workout("short", SHORT)
    timeline = compile_timeline(load_workout(workout))
    run = Run.start(scenario.program, workout, scenario.home)
    exit_code = run.wait()
    report.outcomes.append(measure(run, timeline, exit_code))
    filler.unlink()  # room for our own reading connection
    collect(report, scenario, before)
    return report


def corrupt_pages(scenario: Scenario) -> Report:
    """A history whose second page (the sessions table's root) was overwritten."""
    report = Report("corrupt", "corrupt pages: 512 bytes of page 2 overwritten")
    scenario.prepare()
    before = snapshot(scenario.database)
    with closing(sqlite3.connect(scenario.database)) as connection:
        page_size = int(connection.execute("PRAGMA page_size").fetchone()[0])
        pages = int(connection.execute("PRAGMA page_count").fetchone()[0])
    with scenario.database.open("r+b") as out:
        out.seek(page_size)  # page 2 starts after page 1
        out.write(bytes((index * 37 + 11) % 256 for index in range(512)))
    report.notes.append(f"page size {page_size}, {pages} pages; page 2 overwritten")
    workout = scenario.workout("short", SHORT)
    timeline = compile_timeline(load_workout(workout))
    run = Run.start(scenario.program, workout, scenario.home)
    exit_code = run.wait()
    report.outcomes.append(measure(run, timeline, exit_code))
    collect(report, scenario, before)
    if report.db_error is not None:
        report.notes.append(f"reading the history after the run: {report.db_error}")
    return report


def two_copies(scenario: Scenario) -> Report:
    """Two copies started together on a session a SIGKILL interrupted after its first saved
    set: one writer per session, so no session ends with more sets than its plan and each
    set the copies did is stored once."""
    report = Report("two-copies", "two copies resuming the same interrupted session")
    workout = scenario.workout("short", SHORT)
    timeline = compile_timeline(load_workout(workout))
    planned = len(
        {
            (s.place.exercise_index, s.place.set_number, s.place.side)
            for s in timeline.segments
            if s.kind == "phase"
        }
    )
    saved = threading.Event()

    def on_line(line: str) -> None:
        if " Saved set " in line:
            saved.set()

    first = Run.start(scenario.program, workout, scenario.home, fresh=False, on_line=on_line)
    saved.wait(timeout=30)
    first.process.send_signal(signal.SIGKILL)
    first.wait()
    before = snapshot(scenario.database)
    report.notes.append(f"interrupted run: {len(before)} set(s) stored before SIGKILL")
    copies = [Run.start(scenario.program, workout, scenario.home, fresh=False) for _ in "ab"]
    codes = [copy.wait() for copy in copies]
    for label, copy, code in zip("AB", copies, codes, strict=True):
        outcome = measure(copy, timeline, code)
        report.outcomes.append(outcome)
        resumed = any("Resuming" in line for line in outcome.notices)
        report.notes.append(
            f"copy {label}: {sum(outcome.done.values())} sets done, "
            f"{'resumed' if resumed else 'did not resume'}, exit {code}"
        )
    collect(report, scenario, before)
    per_session = sets_per_session(scenario.database)
    over = {session: n for session, n in per_session.items() if n > planned}
    report.extra.append(
        ("largest session (sets)", str(max(per_session.values(), default=0)), f"≤ {planned}")
    )
    report.extra.append(("sessions over their plan", str(len(over)), "must be 0"))
    report.extra.append(
        ("sets stored twice in one session", str(doubled_sets(scenario.database)), "must be 0")
    )
    report.notes.append(f"sets per session: {per_session}")
    return report


SCENARIOS: dict[str, Callable[[Scenario], Report]] = {
    "lock-5s": lock_scenario(5),
    "lock-11s": lock_scenario(11),
    "lock-30s": lock_scenario(30),
    "read-only": read_only,
    "full-disk": full_disk,
    "corrupt": corrupt_pages,
    "two-copies": two_copies,
}


@contextmanager
def scenario_folder(program: Path) -> Iterator[Scenario]:
    """A fresh HOME for one scenario; its mounts are undone before the folder goes."""
    mounts = Mounts()
    with tempfile.TemporaryDirectory(prefix="tempo-faults-") as folder:
        try:
            yield Scenario(Path(folder), program, mounts)
        finally:
            mounts.undo()


def delay_words(value: float | None) -> str:
    """A delay in ms, or "n/a" when no segment line was recognised (never a fake 0)."""
    return "n/a" if value is None else f"{value:.1f} ms"


def print_report(report: Report) -> None:
    print(f"\n== {report.name}: {report.title}")
    if report.skipped is not None:
        print(f"   skipped: {report.skipped}")
        return
    rows: list[tuple[str, str, str]] = [
        ("sets completed", str(sum(report.done.values())), ""),
        (
            "sets in the database",
            str(sum(report.in_db.values())) + (" (unreadable)" if report.db_error else ""),
            "",
        ),
        ("sets reported unsaved", str(sum(report.reported.values())), ""),
        ("lost and unreported", str(report.lost), "must be 0"),
        ("longest beat delay", delay_words(report.worst_delay_ms), "< 50 ms"),
        ("tracebacks (stdout + stderr)", str(report.tracebacks), "must be 0"),
    ]
    for index, outcome in enumerate(report.outcomes):
        which = f" ({'AB'[index]})" if len(report.outcomes) > 1 else ""
        rows.append(
            (
                f"segment lines seen{which}",
                f"{outcome.segment_lines} of {outcome.segments_planned}",
                "",
            )
        )
        rows.append((f"exit code{which}", "hung" if outcome.hung else str(outcome.exit_code), ""))
    rows.extend(report.extra)
    for name, value, target in rows:
        print(f"   {name:<34} {value:>16}   {target}")
    stored_and_reported = sum((report.in_db & report.reported).values())
    if stored_and_reported:
        print(f"   note: {stored_and_reported} set(s) both stored and reported unsaved")
    extra_rows = sum((report.in_db - report.done).values())
    if extra_rows:
        print(f"   note: {extra_rows} stored set(s) that no run printed as done")
    if any("will not be logged" in n for o in report.outcomes for n in o.notices):
        print(
            "   note: told at the start that the session would not be logged; no list of"
            " unsaved sets at the end, so its sets count as unreported"
        )
    for note in report.notes:
        print(f"   note: {note}")
    for index, outcome in enumerate(report.outcomes):
        which = f" ({'AB'[index]})" if len(report.outcomes) > 1 else ""
        if outcome.worst_delay_ms is not None and outcome.worst_delay_ms >= 50:
            print(f"   latest segment{which}: {outcome.worst_segment!r}")
        for notice in outcome.notices:
            print(f"   printed{which}: {notice}")
        for tail in outcome.traceback_tail:
            print(f"   traceback{which} ends: {tail}")


def print_summary(reports: list[Report]) -> None:
    print("\n== summary (targets: lost 0, worst delay < 50 ms, tracebacks 0)")
    header = f"{'scenario':<12} {'done':>5} {'in db':>6} {'unsaved':>8} {'lost':>5}"
    print(f"{header} {'worst delay':>12} {'tracebacks':>11}")
    for report in reports:
        if report.skipped is not None:
            print(f"{report.name:<12} skipped: {report.skipped}")
            continue
        print(
            f"{report.name:<12} {sum(report.done.values()):>5} {sum(report.in_db.values()):>6}"
            f" {sum(report.reported.values()):>8} {report.lost:>5}"
            f" {delay_words(report.worst_delay_ms):>12} {report.tracebacks:>11}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--only", action="append", choices=sorted(SCENARIOS), help="run this scenario only"
    )
    parser.add_argument(
        "--program",
        type=Path,
        default=TEMPO_COACH,
        help="the tempo-coach to run (default: this virtualenv's)",
    )
    arguments = parser.parse_args(argv)
    names = arguments.only or list(SCENARIOS)
    print(f"benchmarks/faults.py · {arguments.program} · {time.strftime('%Y-%m-%d %H:%M:%S')}")
    reports: list[Report] = []
    for name in names:
        print(f"running {name}…", file=sys.stderr, flush=True)
        began = time.monotonic()
        with scenario_folder(arguments.program) as scenario:
            try:
                report = SCENARIOS[name](scenario)
            except Skip as skip:
                report = Report(name, name, skipped=str(skip))
        print(f"  {time.monotonic() - began:.0f} s", file=sys.stderr, flush=True)
        print_report(report)
        sys.stdout.flush()
        reports.append(report)
    print_summary(reports)
    return 0


if __name__ == "__main__":
    sys.exit(main())
