"""Loads, warm-ups, sets ended early, notes and programme sessions in the history: stored in
one unit (kg), migrated from every earlier schema, counted as working volume only for work
sets, and logged by the session recorder through its writer."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from tempo_coach.cli import history_lines
from tempo_coach.core.events import RepCompleted, SessionCompleted, SessionStopped, SetEndedEarly
from tempo_coach.core.models import Load
from tempo_coach.core.summary import reps_tut_ms
from tempo_coach.core.timeline import Place, Timeline, compile_timeline
from tempo_coach.session_log import SavedSet, SessionRecorder, UnsavedSets, find_resumable
from tempo_coach.store import (
    NOTE_LIMIT,
    SCHEMA_VERSION,
    History,
    HistoryError,
    note_problem,
    working_kg,
)

from .test_engine import small_workout
from .test_history import EARLIER_VERSIONS, T0, a_set, build, start, user_version
from .test_history_export import two_sessions
from .test_session_log import QUICK, WHEN

KG_40 = Load(amount=40)


def load(text: str) -> Load:
    return Load.model_validate(text)


def raw_rows(path: Path, table: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as raw:
        return raw.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()


@pytest.mark.parametrize("version", [1, 2, 3, 4])
def test_each_earlier_version_migrates_to_5_keeping_every_row(tmp_path: Path, version: int) -> None:
    """The old columns keep their values; the new ones read as no load, no note, a work set
    not ended early, and no programme; and the migrated file takes the new values."""
    path = tmp_path / f"v{version}.sqlite3"
    build(path, EARLIER_VERSIONS[version])
    old_sessions, old_sets = raw_rows(path, "sessions"), raw_rows(path, "sets")
    with History(path) as history:
        sessions = history.sessions()
        rows = [row for session in reversed(sessions) for row in history.sets(session.id)]
        history.set_load(rows[0].id, KG_40)
        history.set_note(rows[0].id, "from before loads were logged")
        history.set_session_note(sessions[0].id, "migrated")
        moved = history.record_set(sessions[0].id, a_set(9, load=KG_40, warmup=True))
        added = history.sets(sessions[0].id)[-1]
    assert SCHEMA_VERSION == 5 and user_version(path) == 5
    assert [row[: len(old_sessions[0])] for row in raw_rows(path, "sessions")] == old_sessions
    assert [row[: len(old_sets[0])] for row in raw_rows(path, "sets")][: len(old_sets)] == old_sets
    assert len(rows) == len(old_sets) > 0
    assert [(s.note, s.programme, s.programme_session, s.volume_kg) for s in sessions] == [
        (None, None, None, None)
    ] * len(sessions)
    assert [
        (row.planned_load, row.load, row.warmup, row.ended_early, row.note) for row in rows
    ] == [(None, None, False, False, None)] * len(rows)
    assert (added.id, added.load, added.warmup) == (moved, KG_40, True)


@pytest.mark.parametrize(
    "text",
    [
        "80 kg",
        "82.5 kg",
        "176 lb",
        "bodyweight",
        "bodyweight + 10 kg",
        "bodyweight + 22.5 lb",
        "bodyweight - 20 kg",
    ],
)
def test_a_load_is_stored_in_kg_and_reads_back_the_same(tmp_path: Path, text: str) -> None:
    """Stored as kg and a bodyweight flag, so "bodyweight + 10 kg" stays bodyweight-based and a
    pound load shows as it was entered in the lifter's pounds."""
    given = load(text)
    with History(tmp_path / "h.sqlite3") as history:
        session = start(history)
        history.record_set(session, a_set(planned_load=given, load=given))
        [row] = history.sets(session)
    assert row.planned_load == row.load
    assert row.load is not None and row.load.unit == "kg"
    assert (row.load.kilograms, row.load.bodyweight) == (given.kilograms, given.bodyweight)
    assert str(row.load.in_unit(given.unit)) == str(given)


def test_the_load_lifted_notes_and_the_programme_are_stored(tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite3") as history:
        session = start(history)
        other = history.start_session(
            workout_name="RDL",
            workout_path="/w/rdl.toml",
            workout_hash="h",
            started_at=T0 + timedelta(days=1),
            programme=("tempoed-rdl-block", 3),
        )
        done = history.record_set(session, a_set(planned_load=KG_40, load=KG_40))
        history.set_load(done, load("42.5 kg"))
        history.set_note(done, "Grip — chalk next time")
        history.finish_session(session, status="completed", ended_at=T0 + timedelta(hours=1))
        history.set_session_note(session, "Felt strong")  # at the summary, after the end
        [row] = history.sets(session)
        newest, oldest = history.sessions()
        history.set_note(done, "   ")  # a blank note clears it
        history.set_load(done, None)
        [cleared] = history.sets(session)
        with pytest.raises(KeyError):
            history.set_load(99, KG_40)
        with pytest.raises(KeyError):
            history.set_session_note(99, "no such session")
    assert (row.planned_load, row.load, row.note) == (
        KG_40,
        load("42.5 kg"),
        "Grip — chalk next time",
    )
    assert (oldest.note, oldest.programme, oldest.programme_session) == ("Felt strong", None, None)
    assert (newest.id, newest.programme, newest.programme_session) == (
        other,
        "tempoed-rdl-block",
        3,
    )
    assert (cleared.planned_load, cleared.load, cleared.note) == (KG_40, None, None)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("\x1b[2J", "character 1 is a control character"),
        ("good\nset", "character 5 is a control character"),
        ("tab\there", "character 4 is a control character"),
        ("\u202eevil", "character 1 is a control character"),
        ("x" * (NOTE_LIMIT + 1), f"at most {NOTE_LIMIT} characters; this one has 501"),
    ],
)
def test_a_note_is_one_line_of_plain_text_and_bounded(
    tmp_path: Path, text: str, problem: str
) -> None:
    assert problem in (note_problem(text) or "")
    with History(tmp_path / "h.sqlite3") as history:
        done = history.record_set(start(history), a_set())
        with pytest.raises(ValueError, match=problem):
            history.set_note(done, text)
        history.set_note(done, "y" * NOTE_LIMIT)
        assert history.sets(1)[0].note == "y" * NOTE_LIMIT


@pytest.mark.parametrize(
    ("cells", "shown"),
    [("'heavy', 0", "('heavy', 0)"), ("40, NULL", "(40.0, None)"), ("0, 0", "(0.0, 0)")],
)
def test_a_stored_load_that_is_no_load_names_its_set(
    tmp_path: Path, cells: str, shown: str
) -> None:
    path = tmp_path / "h.sqlite3"
    with History(path) as history:
        history.record_set(start(history), a_set())
    build(path, (f"UPDATE sets SET (load_kg, load_bodyweight) = ({cells})",))
    with History(path) as history, pytest.raises(HistoryError) as raised:
        history.sets(1)
    assert raised.value.kind == "bad_row"
    assert str(raised.value).startswith(f"{path}: set 1 has load {shown}, which is not a load")


def test_working_kg_counts_the_weight_or_what_is_added_to_bodyweight() -> None:
    """No bodyweight is stored, so bodyweight alone (or helped by a band) counts nothing."""
    assert [
        working_kg(None if text is None else load(text))
        for text in (None, "80 kg", "100 lb", "bodyweight", "bodyweight + 10 kg", "bw - 20 kg")
    ] == [None, 80, 45.359, None, 10, None]


def test_warm_ups_are_listed_but_never_counted_as_sets_or_volume(tmp_path: Path) -> None:
    """A warm-up set 1 and work set 1 share a number; only the work set is a set done."""
    with History(tmp_path / "h.sqlite3") as history:
        session = start(history)
        history.record_set(session, a_set(1, warmup=True, load=load("20 kg"), rpe=3))
        history.record_set(session, a_set(1, load=KG_40, rpe=7))
        history.record_set(session, a_set(2, load=load("42.5 kg"), reps_done=3, rpe=9))
        history.record_set(session, a_set(3, load=KG_40, reps_done=2, partial=True))
        [row] = history.sessions()
        rows = history.sets(session)
        [point] = history.exercise_history("Eccentric Nordic curl")
    assert [(r.set_number, r.warmup, r.volume_kg) for r in rows] == [
        (1, True, None),
        (1, False, 160.0),
        (2, False, 127.5),
        (3, False, 80.0),
    ]
    assert (row.sets_done, row.reps_done, row.tut_ms, row.volume_kg) == (2, 9, 60_000, 367.5)
    assert (point.reps, point.tut_ms, point.mean_rpe) == (9, 60_000, 8.0)
    assert point.top_load == load("42.5 kg")
    # 20 s at 40 kg, 20 s at 42.5 kg and 20 s at 40 kg; the warm-up's 20 s at 20 kg not.
    assert (point.volume_kg, point.tut_load_kg_s) == (367.5, 2450.0)


def test_bodyweight_work_has_no_volume_to_show_but_its_added_weight_counts(
    tmp_path: Path,
) -> None:
    """A Nordic at bodyweight reads as its reps and TUT, never as "0 kg" of work."""
    bodyweight = load("bodyweight")
    with History(tmp_path / "h.sqlite3") as history:
        plain = start(history)
        history.record_set(plain, a_set(1, load=bodyweight))
        history.record_set(plain, a_set(2, load=load("bodyweight - 10 kg")))
        weighted = start(history, T0 + timedelta(days=3))
        history.record_set(weighted, a_set(1, load=bodyweight))
        history.record_set(weighted, a_set(2, load=load("bodyweight + 10 kg")))
        untold = start(history, T0 + timedelta(days=6))
        history.record_set(untold, a_set(1))
        points = history.exercise_history("Eccentric Nordic curl")
        volumes = [row.volume_kg for row in history.sessions()]
    assert [(p.session_id, p.reps, p.volume_kg, p.tut_load_kg_s) for p in points] == [
        (plain, 8, None, None),
        (weighted, 8, 40.0, 200.0),
        (untold, 4, None, None),
    ]
    assert [p.top_load for p in points] == [bodyweight, load("bodyweight + 10 kg"), None]
    assert volumes == [None, 40.0, None]


# -- the session recorder ---------------------------------------------------------------


def last_rep(timeline: Timeline, set_number: int, side: str | None = None) -> Place:
    """The place of the last rep of one side of a set, as the engine reports it."""
    return next(
        segment.place
        for segment in reversed(timeline.segments)
        if segment.kind == "phase"
        and segment.place.set_number == set_number
        and segment.place.side == side
    )


def recorder(
    history: History,
    timeline: Timeline,
    *,
    programme: tuple[str, int] | None = None,
    on_saved: Callable[[SavedSet], None] | None = None,
) -> SessionRecorder:
    return SessionRecorder(
        history,
        timeline,
        workout_path=Path("w.toml"),
        workout_text="text",
        now=lambda: WHEN,
        programme=programme,
        on_saved=on_saved,
        **QUICK,
    )


def test_a_set_ended_early_is_logged_with_the_reps_done(tmp_path: Path) -> None:
    """Not partial: a set done, rated and noted like any other, its TUT the reps done."""
    timeline = compile_timeline(small_workout(reps=5))
    place = last_rep(timeline, 1)
    saved: list[SavedSet] = []
    with History(tmp_path / "h.sqlite3") as history:
        log = recorder(history, timeline, on_saved=saved.append)
        log(RepCompleted(0, replace(place, rep=3)))
        log(SetEndedEarly(0, replace(place, rep=4), reps_done=3))
        assert log.rate_effort(10) and log.note_set("Failed rep 4")
        log(SessionStopped(0))  # nothing in progress any more: no partial set
        assert log.close() == []
        [row] = history.sets(1)
        [session] = history.sessions()
    assert (row.reps_done, row.ended_early, row.partial, row.rpe, row.note) == (
        3,
        True,
        False,
        10,
        "Failed rep 4",
    )
    assert row.tut_ms == reps_tut_ms(timeline, 0, 1, None, 3) == 9_000
    assert (session.status, session.sets_done, session.reps_done) == ("stopped", 1, 3)
    assert [done.words for done in saved] == ["set 1/2 · Curl · 3 of 5 reps, ended early"]


def test_a_set_ended_before_its_first_rep_takes_what_is_given_after_it(tmp_path: Path) -> None:
    """No set done, but the one the lifter just tried: its load, rating and note are its
    own, and the set before keeps what it was given."""
    timeline = compile_timeline(small_workout(reps=5))
    with History(tmp_path / "h.sqlite3") as history:
        log = recorder(history, timeline)
        log(RepCompleted(0, last_rep(timeline, 1)))
        assert log.set_load(KG_40) and log.rate_effort(8)
        log(SetEndedEarly(0, replace(last_rep(timeline, 2), rep=1), reps_done=0))
        assert log.set_load(load("50 kg")) and log.rate_effort(10)
        assert log.note_set("Failed the first rep")
        log(SessionCompleted(0))
        assert log.close() == []
        first, second = history.sets(1)
    assert (first.load, first.rpe, first.note) == (KG_40, 8, None)
    assert (second.reps_done, second.partial, second.ended_early) == (0, True, True)
    assert (second.load, second.rpe, second.note) == (load("50 kg"), 10, "Failed the first rep")


def test_the_plan_load_is_logged_and_changed_on_both_sides(tmp_path: Path) -> None:
    """The planned load is also the load lifted until the lifter changes it; a change and a
    note go to both sides of the last single-leg set, never to an earlier set."""
    timeline = compile_timeline(small_workout(unilateral=True))
    planned = load("20 kg")
    with History(tmp_path / "h.sqlite3") as history:
        log = recorder(history, timeline, programme=("single-leg-block", 4))
        assert not log.set_load(KG_40) and not log.note_set("too soon")
        for set_number in (1, 2):
            for side in ("left", "right"):
                log(RepCompleted(0, replace(last_rep(timeline, set_number, side), load=planned)))
        assert log.set_load(load("45 lb"))
        assert log.note_set("Right knee clicked")
        log(SessionCompleted(0))
        log.note_session("Good session")  # at the summary, after the end
        assert log.close() == []
        assert log.session_id == 1
        rows = history.sets(1)
        [session] = history.sessions()
    assert [(r.set_number, r.side, r.planned_load, r.load, r.note) for r in rows] == [
        (1, "left", planned, planned, None),
        (1, "right", planned, planned, None),
        (2, "left", planned, load("20.412 kg"), "Right knee clicked"),
        (2, "right", planned, load("20.412 kg"), "Right knee clicked"),
    ]
    assert rows[2].load is not None and str(rows[2].load.in_unit("lb")) == "45 lb"
    assert (session.note, session.programme, session.programme_session) == (
        "Good session",
        "single-leg-block",
        4,
    )


def test_a_warm_up_is_logged_as_one_and_named_so(tmp_path: Path) -> None:
    timeline = compile_timeline(small_workout())
    warmup = replace(last_rep(timeline, 1), warmup=True, set_count=1, load=load("10 kg"))
    saved: list[SavedSet] = []
    with History(tmp_path / "h.sqlite3") as history:
        log = recorder(history, timeline, on_saved=saved.append)
        log(RepCompleted(0, warmup))
        log(RepCompleted(0, last_rep(timeline, 1)))
        assert log.close() == []
        rows = history.sets(1)
        [session] = history.sessions()
    assert [(r.set_number, r.warmup, r.load) for r in rows] == [
        (1, True, load("10 kg")),
        (1, False, None),
    ]
    assert session.sets_done == 1
    assert [done.label for done in saved] == ["warm-up 1/1 of Curl", "set 1/2 of Curl"]


def test_loads_and_notes_wait_out_a_locked_history_or_are_named_unsaved(tmp_path: Path) -> None:
    """Queued behind their set like a rating: never raised, and listed if never written."""
    path = tmp_path / "h.sqlite3"
    timeline = compile_timeline(small_workout())
    with History(path) as history, closing(sqlite3.connect(path)) as holder:
        holder.isolation_level = None
        holder.execute("BEGIN EXCLUSIVE")
        log = recorder(history, timeline)
        log(RepCompleted(0, last_rep(timeline, 1)))
        assert log.set_load(KG_40) and log.note_set("Heavy")
        log.note_session("Locked out")
        unsaved = log.close(timeout_s=0.1)
    assert unsaved == [
        "Set 1/2 of Curl",
        "The load (40 kg) of set 1/2 of Curl",
        "The note on set 1/2 of Curl",
        "The session's note",
    ]


def test_text_that_is_no_note_is_refused_before_it_is_queued(tmp_path: Path) -> None:
    timeline = compile_timeline(small_workout())
    with History(tmp_path / "h.sqlite3") as history:
        log = recorder(history, timeline)
        log(RepCompleted(0, last_rep(timeline, 1)))
        with pytest.raises(ValueError, match="control character"):
            log.note_set("\x1b]0;pwned\x07")
        with pytest.raises(ValueError, match="at most 500"):
            log.note_session("x" * 501)
        assert log.close() == []
        assert history.sets(1)[0].note is None


def test_an_unopened_history_lists_a_set_ended_early_with_its_reps() -> None:
    timeline = compile_timeline(small_workout(reps=5))
    unsaved = UnsavedSets()
    unsaved(SetEndedEarly(0, last_rep(timeline, 2), reps_done=2))
    unsaved(SessionCompleted(0))
    assert [done.label for done in unsaved.sets] == ["set 2/2 of Curl (2 of 5 reps, ended early)"]
    assert unsaved.status == "completed"


# -- `tempo-coach history` --------------------------------------------------------------


def test_history_shows_loads_and_volume_in_the_lifters_units(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stored in kg, shown in pounds for a lifter who set `units = "lb"`; warm-ups marked W
    and uncounted, sets ended early, changed loads and notes said under their set."""
    config = tmp_path / "config" / "tempo-coach" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('units = "lb"\n')
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    with two_sessions(tmp_path / "h.sqlite3") as history:
        listing = history_lines(history, None)
        rdl = history_lines(history, 1)
        nordic = history_lines(history, 2)
    assert listing[0].split()[-4:] == ["TUT", "Volume", "Adherence", "Programme"]
    assert listing[1].split()[-5:] == ["51.2", "s", "44.1", "lb", "67%"]  # 20 kg: the +5 kg set
    assert listing[2].split()[-4:] == ["2183", "lb", "tempoed-rdl-block", "#2"]  # 990 kg
    assert rdl[0].startswith("Session 1: Single-leg Romanian deadlift, ")
    assert rdl[0].endswith(" (completed) · programme tempoed-rdl-block, session 2")
    assert rdl[1] == "Note: Grip gave out, straps next time"
    assert [line.split()[3:] for line in rdl[3:5]] == [
        ["W1", "left", "6", "3-1-1-0", "44.1", "lb", "30", "s"],
        ["W1", "right", "6", "3-1-1-0", "44.1", "lb", "30", "s"],
    ]
    assert rdl[-2].split()[3:] == [
        *("2", "right", "6", "3-1-1-0", "93.7", "lb", "562.2", "lb", "30", "s", "2811", "lb·s"),
    ]  # 42.5 kg, 6 × 42.5 kg = 255 kg, 30 s × 42.5 kg = 1275 kg·s
    assert rdl[-1] == "    planned 88.2 lb · note: Left hip shifted, 'dropped' at rep 5"
    assert nordic[2].split()[-4:] == ["bodyweight", "20.5", "s", "7"]  # no "0 lb" of volume
    assert nordic[3] == "    ended early"
    assert nordic[-2] == "    stopped part-way"


def test_a_session_with_warm_ups_done_resumes_at_the_next_work_set(tmp_path: Path) -> None:
    """Warm-up 1 and work set 1 share a number: only the work set counts as done, and the
    warm-up's TUT is its own."""
    workout = small_workout(load="40 kg", warmup=[{"reps": 1, "percent": 50}])
    timeline = compile_timeline(workout)
    warmup, work = (
        next(
            segment.place
            for segment in reversed(timeline.segments)
            if segment.kind == "phase"
            and segment.place.set_number == 1
            and segment.place.warmup == is_warmup
        )
        for is_warmup in (True, False)
    )
    with History(tmp_path / "h.sqlite3") as history:
        log = recorder(history, timeline)  # its clock is days behind: its session looks dead
        log(RepCompleted(0, warmup))
        log(RepCompleted(0, work))
        assert log.close() == []
        rows = history.sets(1)
        found = find_resumable(history, timeline, "text")
    assert [(r.warmup, r.planned_load, r.tut_ms) for r in rows] == [
        (True, load("20 kg"), 3_000),  # one rep of 2-0-1-0
        (False, KG_40, 6_000),
    ]
    assert found is not None and found.done == {(0, 1, None)}
    place = timeline.segments[found.start_at].place
    assert (place.set_number, place.warmup) == (2, False)
