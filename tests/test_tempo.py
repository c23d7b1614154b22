"""Tempo notation: every spelling lifters use, clear errors, and a lossless round trip."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tempo_coach.core.tempo import (
    MAX_TEMPO_COUNTS,
    Tempo,
    TempoError,
    format_tempo,
    parse_tempo,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4-1-X-2", Tempo(4, 1, "X", 2)),
        ("41X2", Tempo(4, 1, "X", 2)),
        ("4/1/X/2", Tempo(4, 1, "X", 2)),
        ("41x2", Tempo(4, 1, "X", 2)),
        ("3010", Tempo(3, 0, 1, 0)),
        ("10-0-X-0", Tempo(10, 0, "X", 0)),
        (" 4 1 X 2 ", Tempo(4, 1, "X", 2)),
        ("4.1.1.2", Tempo(4, 1, 1, 2)),
    ],
)
def test_parses_the_common_spellings(text: str, expected: Tempo) -> None:
    assert parse_tempo(text) == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("4-1-Y-2", '"4-1-Y-2": each tempo part must be a number of seconds or X'),
        ("41X", "four parts (lowering, bottom pause, lifting, top pause), this one has 3"),
        ("4-1-X-2-1", "this one has 5"),
        ("41012", "needs separators, like 10-0-X-0"),
        ("0000", "at least one part must not be 0"),
        ("", "a tempo has four parts"),
        ("²-1-X-2", "each tempo part must be a number of seconds or X"),
        ("4-\u0661-X-2", "each tempo part must be a number of seconds or X"),
        ("61-0-X-0", "each tempo part must be at most 60 counts"),
        ("9" * 60 + "-0-X-0", "each tempo part must be at most 60 counts"),
        ("0" * 5000 + "99-0-X-0", "each tempo part must be at most 60 counts"),
        ("\x1b[2J-1-X-2", '"\\x1b[2J-1-X-2": each tempo part'),
    ],
)
def test_rejects_bad_tempos_with_a_sentence(text: str, words: str) -> None:
    with pytest.raises(TempoError) as caught:
        parse_tempo(text)
    assert words in str(caught.value)


def test_formats_canonically_with_dashes() -> None:
    assert format_tempo(parse_tempo("41X2")) == "4-1-X-2"
    assert str(parse_tempo("10/0/x/0")) == "10-0-X-0"


def test_a_long_tempo_is_quoted_cut_short() -> None:
    with pytest.raises(TempoError) as caught:
        parse_tempo("4-" * 5000)
    assert len(str(caught.value)) < 200 and '…"' in str(caught.value)


def test_leading_zeros_are_read_as_the_number() -> None:
    assert parse_tempo("04-01-X-0060") == Tempo(4, 1, "X", 60)


parts = st.one_of(st.integers(min_value=0, max_value=MAX_TEMPO_COUNTS), st.just("X"))


@given(st.tuples(parts, parts, parts, parts).filter(lambda four: any(p != 0 for p in four)))
def test_parse_of_format_gives_back_the_tempo(four: tuple[int | str, ...]) -> None:
    tempo = Tempo(*four)  # type: ignore[arg-type]
    assert parse_tempo(format_tempo(tempo)) == tempo
