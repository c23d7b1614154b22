"""The workout file format ("tempo scripts"), as pydantic models.

Every model forbids unknown keys, so a typo in a file is reported rather than silently
ignored, and every field carries a docstring that ends up in the JSON Schema editors use.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from tempo_coach.core.tempo import (
    EXPLOSIVE,
    MAX_TEMPO_COUNTS,
    Tempo,
    TempoError,
    format_tempo,
    parse_tempo,
)
from tempo_coach.core.text import CONTROLS_BUT_NEWLINE, escape_character, first_control

FORMAT_VERSION = 1
"""The version of the workout file format this code reads and writes."""

PhaseKind = Literal["eccentric", "concentric", "hold", "squeeze", "other"]
"""What the muscles do in a phase: lowering, lifting, a pause in the stretched position
("hold"), a pause in the contracted position ("squeeze"), or anything else."""

Trains = Literal["hip_extension", "knee_flexion", "both", "quadriceps", "other"]
"""The function an exercise trains, as the article classifies hamstring work."""

AudioMode = Literal["both", "clicks", "voice", "silent"]
"""Clicks and voice, clicks only, voice only, or nothing (screen and optional bell)."""

Category = Literal["compound", "assistance"]
Goal = Literal["strength", "hypertrophy", "general"]
SetupMode = Literal["timed", "manual"]
StartsWith = Literal["eccentric", "concentric"]

MAX_EXERCISES = 40
"""Exercises in one workout."""
MAX_CUSTOM_PHASES = 12
"""Custom phases in one rep."""
MAX_SETS = 20
"""Sets of one exercise, so also the numbers in a `reps` list."""
MAX_SILENCED = 20
"""Entries in a workout's `[[silenced]]`."""
MAX_WARMUP_SETS = 6
"""Warm-up sets before one exercise: a ramp, not a second workout."""
WARMUP_REST_SECONDS = 60
"""The rest after a warm-up set (or the exercise's own rest, when that is shorter): a light
set needs far less than a work set's rest, and a long ramp should not eat the session."""

# Caps on the whole workout, far past any real session, so that nothing downstream (the
# timeline, the plan, the app) ever has to cope with a runaway file.
MAX_WORKOUT_HOURS = 4
MAX_WORKOUT_SETS = 100
MAX_WORKOUT_REPS = 1000
"""Each side of unilateral work counts as a rep."""

PLAIN_ERRORS = frozenset(
    {
        "tempo_type",
        "tempo",
        "phase_length",
        "tempo_or_phases",
        "reps_empty",
        "reps_length",
        "sets_missing",
        "out_of_range",
        "control_character",
        "workout_too_long",
        "load_text",
        "load_amount",
        "load_length",
        "warmup_load",
        "warmup_percent",
    }
)
"""The error types these models raise whose message is already a sentence for the lifter."""


@dataclass(frozen=True)
class Range:
    """The sane range of a number, with its unit: checked before pydantic's own type check,
    so NaN, infinity and absurd sizes get one sentence naming both bounds; also written into
    the JSON Schema as minimum and maximum."""

    low: float
    high: float
    unit: str = ""
    """Said after the bounds: "s", "counts"; "" when the field's name says it (sets, reps)."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_wrap_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema.update(minimum=self.low, maximum=self.high)
        return json_schema

    def _check(self, value: Any, validate: Callable[[Any], Any]) -> Any:
        number = isinstance(value, int | float) and not isinstance(value, bool)
        finite = not isinstance(value, float) or math.isfinite(value)  # a huge int is finite
        if number and not (finite and self.low <= value <= self.high):
            unit = f" {self.unit}" if self.unit else ""
            raise PydanticCustomError(
                "out_of_range",
                "must be between {low} and {high}{unit}",
                {"low": f"{self.low:g}", "high": f"{self.high:g}", "unit": unit},
            )
        return validate(value)


@dataclass(frozen=True)
class PlainText:
    """Refuses characters that would drive the terminal when the text is printed (escape
    sequences, bidi overrides); `multiline` text may hold newlines."""

    multiline: bool = False

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        newline = "" if self.multiline else r"\u000a"
        json_schema["pattern"] = f"^[^{CONTROLS_BUT_NEWLINE}{newline}]*$"
        return json_schema

    def _check(self, value: str) -> str:
        position = first_control(value, allow_newlines=self.multiline)
        if position is not None:
            raise PydanticCustomError(
                "control_character",
                "must not contain control characters (found {found} at position {position})",
                {"found": escape_character(value[position]), "position": position},
            )
        return value


Line = Annotated[str, PlainText()]
"""Text shown on one line: no control characters, not even tabs or newlines."""
Name = Annotated[Line, Field(min_length=1, max_length=24)]
Cue = Annotated[Line, Field(max_length=300)]


def _to_tempo(value: Any) -> Tempo:
    if isinstance(value, Tempo):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError(
            "tempo_type", 'a tempo is written as a string in quotes, like "4-1-X-2"'
        )
    try:
        return parse_tempo(value)
    except TempoError as error:
        raise PydanticCustomError("tempo", str(error)) from None


TempoField = Annotated[
    Tempo,
    PlainValidator(_to_tempo),
    PlainSerializer(format_tempo, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\s*([0-9xX]{4}|[0-9xX]+([-/:.,\s]+[0-9xX]+){3})\s*$",
            "examples": ["4-1-X-2", "3010", "10-0-X-0"],
        }
    ),
]

RestSeconds = Annotated[float, Range(0, 1200, "s")]
SetupSeconds = Annotated[float, Range(0, 600, "s")]
SwitchSeconds = Annotated[float, Range(0, 120, "s")]
BeatSeconds = Annotated[float, Range(0.1, 10, "s")]
ExplosiveBeats = Annotated[float, Range(0.25, 4, "counts")]
SetCount = Annotated[int, Range(1, MAX_SETS)]
RepCount = Annotated[int, Range(1, 50)]


class StrictModel(BaseModel):
    """Base for every part of a workout file: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


LoadUnit = Literal["kg", "lb"]

LOAD_LOW, LOAD_HIGH = -500, 1000
"""The amounts a load may have, in its unit (negative: a band's assistance)."""
KG_PER_LB = 0.45359237
"""The international pound, exactly."""

_NUMBER = r"\d+(?:\.\d+)?"
_LOAD_TEXT = re.compile(
    rf"^\s*(?:(?P<bodyweight>bodyweight|bw)(?:\s*(?P<sign>[-+−])\s*(?P<added>{_NUMBER})\s*"
    rf"(?P<added_unit>kg|lbs?))?|(?P<amount>{_NUMBER})\s*(?P<unit>kg|lbs?))\s*$",
    re.IGNORECASE,
)
_LOAD_TEXT_SCHEMA = {
    "type": "string",
    "pattern": (
        r"^\s*(\d+(\.\d+)?\s*(kg|lbs?)"
        r"|(bodyweight|bw)(\s*[-+−]\s*\d+(\.\d+)?\s*(kg|lbs?))?)\s*$"
    ),
    "examples": ["80 kg", "bodyweight", "bodyweight + 10 kg", "bodyweight - 20 kg"],
}
"""The text spellings of a load, for the JSON Schema (lower case, as the examples write it)."""


def number_text(value: float) -> str:
    """A number as a lifter writes it: 80, 82.5, never 80.0."""
    return f"{value:g}"


class Load(StrictModel):
    """A load: a weight, the lifter's bodyweight, bodyweight with a weight added, or
    bodyweight with a band taking some off (a negative amount). Written in a file as text
    ("80 kg", "bodyweight", "bodyweight + 10 kg", "bodyweight - 20 kg") or as a table."""

    bodyweight: bool = False
    """Whether the lifter's own body is the load; `amount` is then added to it (negative: a
    band's assistance taken off it)."""
    amount: Annotated[float, Range(LOAD_LOW, LOAD_HIGH)] = 0
    """The weight in `unit`, or what is added to the bodyweight; -500 to 1000."""
    unit: LoadUnit = "kg"
    """"kg" or "lb"."""

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """A load is text or a table, so the schema lets editors accept both."""
        return {"anyOf": [_LOAD_TEXT_SCHEMA, handler(schema)]}

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        found = _LOAD_TEXT.match(value)
        if found is None:
            raise PydanticCustomError(
                "load_text",
                'a load is written like "80 kg", "bodyweight", "bodyweight + 10 kg" or '
                '"bodyweight - 20 kg" (band assistance)',
            )
        if found["amount"] is not None:
            return {"amount": float(found["amount"]), "unit": _unit(found["unit"])}
        if found["added"] is None:
            return {"bodyweight": True}
        sign = 1 if found["sign"] == "+" else -1
        return {
            "bodyweight": True,
            "amount": sign * float(found["added"]),
            "unit": _unit(found["added_unit"]),
        }

    @model_validator(mode="after")
    def _weighs_something(self) -> Load:
        if not self.bodyweight and self.amount <= 0:
            raise PydanticCustomError(
                "load_amount",
                "a weight must be more than 0; for bodyweight work write `bodyweight = true` "
                '(or "bodyweight")',
            )
        return self

    def __str__(self) -> str:
        if not self.bodyweight:
            return f"{number_text(self.amount)} {self.unit}"
        if self.amount > 0:
            return f"bodyweight + {number_text(self.amount)} {self.unit}"
        if self.amount < 0:
            return f"bodyweight − {number_text(-self.amount)} {self.unit} (band)"
        return "bodyweight"

    def plus(self, step: float) -> Load:
        """This load `step` heavier (negative: lighter), in its own unit; a weight never
        drops to nothing, and a band's assistance shrinks on its way to added weight."""
        amount = round(self.amount + step, 2)
        if (not self.bodyweight and amount <= 0) or not LOAD_LOW <= amount <= LOAD_HIGH:
            return self  # never past what a file may write, so every load stored reads back
        return self.model_copy(update={"amount": amount})

    @property
    def kilograms(self) -> float:
        """The weight (or the amount added to bodyweight, negative for a band) in kg: the
        history stores every load in one unit so kg and lb sessions compare."""
        return self.amount if self.unit == "kg" else round(self.amount * KG_PER_LB, 3)

    def in_unit(self, unit: LoadUnit) -> Load:
        """The same load written in `unit`, to the nearest tenth: the lifter's units setting."""
        if unit == self.unit:
            return self
        amount = self.kilograms if unit == "kg" else self.amount / KG_PER_LB
        return self.model_copy(update={"amount": round(amount, 1), "unit": unit})

    def scaled(self, percent: float) -> Load:
        """The load at `percent` of itself, to the nearest half unit: what a deload uses. Only
        a weight or added weight shrinks; a band's assistance is left as it is."""
        if self.amount <= 0:
            return self
        amount = max(0.5, round(self.amount * percent / 100 * 2) / 2)
        return self.model_copy(update={"amount": amount})


def _unit(text: str) -> LoadUnit:
    return "kg" if text.lower() == "kg" else "lb"


def load_text(load: Load) -> str:
    """A load as a file writes it ("80 kg", "bodyweight - 20 kg"): unlike `str(load)`,
    which words a band for the lifter, this reads back as the same load."""
    if not load.bodyweight:
        return f"{number_text(load.amount)} {load.unit}"
    if load.amount == 0:
        return "bodyweight"
    sign = "+" if load.amount > 0 else "-"
    return f"bodyweight {sign} {number_text(abs(load.amount))} {load.unit}"


class WarmupSet(StrictModel):
    """One warm-up set before an exercise's work sets: lighter, cued and counted apart, and
    never counted as working volume. Give it a `load`, a `percent` of the work load, or
    neither (an empty bar or bodyweight, as the lifter chooses)."""

    reps: RepCount
    """Reps of the warm-up set, 1 to 50 (per side, for unilateral work)."""
    load: Load | None = None
    """Its load ("40 kg", "bodyweight"); leave out with `percent`, or for an empty bar."""
    percent: Annotated[float, Range(1, 100, "%")] | None = None
    """Its load as a share of the first work set's `load`, 1 to 100 % (50: half), rounded
    to the nearest half kg or lb; needs the exercise's `load`."""

    @model_validator(mode="after")
    def _one_load(self) -> WarmupSet:
        if self.load is not None and self.percent is not None:
            raise PydanticCustomError(
                "warmup_load",
                "give a warm-up set either a `load` or a `percent` of the work load, not both",
            )
        return self


class Setup(StrictModel):
    """What happens before each set: getting into position."""

    mode: SetupMode = "timed"
    """"timed" counts down `seconds`; "manual" waits until the lifter says ready."""
    seconds: SetupSeconds = 10
    """Length of a timed setup's countdown, 0 to 600 s."""
    cue: Cue = ""
    """What to do during the setup, read out and shown on screen (one line, up to 300
    characters)."""


class PhaseLabel(StrictModel):
    """The name and cue of one of the four tempo phases for an exercise."""

    name: Name
    """A short word shown in big letters and spoken at the phase start (up to 24
    characters)."""
    cue: Cue = ""
    """A coaching cue shown during the phase (one line, up to 300 characters)."""


class PhaseLabels(StrictModel):
    """Names and cues for the four tempo phases, keyed by their place in the tempo."""

    eccentric: PhaseLabel = PhaseLabel(name="Lower")
    """The first tempo number: the lowering (eccentric) phase."""
    stretched: PhaseLabel = PhaseLabel(name="Hold")
    """The second tempo number: the pause in the stretched position."""
    concentric: PhaseLabel = PhaseLabel(name="Lift")
    """The third tempo number: the lifting (concentric) phase."""
    contracted: PhaseLabel = PhaseLabel(name="Squeeze")
    """The fourth tempo number: the pause in the contracted position."""


class CustomPhase(StrictModel):
    """One phase of a rep for protocols the four tempo numbers cannot express."""

    name: Name
    """A short word shown in big letters and spoken at the phase start (up to 24
    characters)."""
    kind: PhaseKind
    """What the muscles do in this phase."""
    beats: Annotated[float, Range(0.25, MAX_TEMPO_COUNTS, "counts")] | None = None
    """Length in counts (each `beat_seconds` long), 0.25 to 60. Give this or `seconds`."""
    seconds: Annotated[float, Range(0.1, 120, "s")] | None = None
    """Length in seconds, 0.1 to 120 s. Give this or `beats`."""
    cue: Cue = ""
    """A coaching cue shown during the phase (one line, up to 300 characters)."""

    @model_validator(mode="after")
    def _exactly_one_length(self) -> CustomPhase:
        if (self.beats is None) == (self.seconds is None):
            raise PydanticCustomError(
                "phase_length", "give a custom phase either `beats` or `seconds`, not both"
            )
        return self

    def length_seconds(self, beat_seconds: float) -> float:
        """How long the phase lasts at the given beat."""
        if self.seconds is not None:
            return self.seconds
        assert self.beats is not None  # guaranteed by _exactly_one_length
        return self.beats * beat_seconds


class ExerciseSettings(StrictModel):
    """Settings a workout gives all its exercises; each exercise may override any of them."""

    beat_seconds: BeatSeconds = 1.0
    """Seconds per count: a tempo of 4 at 1.0 lasts four seconds. 0.1 to 10 s."""
    explosive_beats: ExplosiveBeats = 1.0
    """How many counts an explosive (X) part lasts, 0.25 to 4."""
    rest_seconds: RestSeconds = 90
    """Rest between sets of the same exercise, 0 to 1200 s (20 minutes)."""
    rest_after_seconds: RestSeconds = 120
    """Rest after the last set, before the next exercise, 0 to 1200 s (20 minutes)."""
    side_switch_seconds: SwitchSeconds = 5
    """Time to change sides between the left and right of a unilateral set, 0 to 120 s."""
    setup: Setup = Setup()
    """The setup before each set."""


class Exercise(StrictModel):
    """One exercise: its sets, reps, tempo (or custom phases), and what it trains."""

    name: Annotated[Line, Field(min_length=1, max_length=60)]
    """The exercise as the lifter knows it (up to 60 characters)."""
    trains: Trains
    """The function trained: hip_extension, knee_flexion, both, quadriceps or other."""
    category: Category
    """compound (heavy, few reps) or assistance (lighter, up to 12 reps)."""
    sets: SetCount | None = None
    """Number of sets, 1 to 20; may be left out when `reps` gives one number per set."""
    reps: RepCount | Annotated[list[RepCount], Field(max_length=MAX_SETS)]
    """Reps per set, 1 to 50: one number for every set, or a list with one number per set
    (up to 20)."""
    tempo: TempoField | None = None
    """Tempo as lifters write it ("4-1-X-2", "41X2", "10-0-X-0"): lowering, bottom pause,
    lifting, top pause, each 0 to 60 counts or X. Give this or `custom_phases`."""
    starts_with: StartsWith = "eccentric"
    """Which phase a rep begins with: "concentric" for leg curls, which start with the curl."""
    phases: PhaseLabels = PhaseLabels()
    """Names and cues of the four tempo phases."""
    custom_phases: list[CustomPhase] | None = Field(
        default=None, min_length=1, max_length=MAX_CUSTOM_PHASES
    )
    """A rep as a fully custom list of 1 to 12 phases, instead of `tempo`."""
    unilateral: bool = False
    """Done one side at a time: each set is done on the left, then on the right."""
    eccentric_emphasis: bool = False
    """Billed as an eccentric exercise: the lowering should be slower than the lifting."""

    beat_seconds: BeatSeconds | None = None
    """Overrides the workout's `beat_seconds` for this exercise (0.1 to 10 s)."""
    explosive_beats: ExplosiveBeats | None = None
    """Overrides the workout's `explosive_beats` for this exercise (0.25 to 4)."""
    rest_seconds: RestSeconds | None = None
    """Overrides the workout's `rest_seconds` for this exercise (0 to 1200 s)."""
    rest_after_seconds: RestSeconds | None = None
    """Overrides the workout's `rest_after_seconds` for this exercise (0 to 1200 s)."""
    side_switch_seconds: SwitchSeconds | None = None
    """Overrides the workout's `side_switch_seconds` for this exercise (0 to 120 s)."""
    setup: Setup | None = None
    """Overrides the workout's `setup` for this exercise, key by key."""
    load: Load | Annotated[list[Load], Field(min_length=1, max_length=MAX_SETS)] | None = None
    """The planned load of the work sets: one for every set ("80 kg", "175 lb",
    "bodyweight", "bodyweight + 10 kg", "bodyweight - 20 kg" for a band's assistance), or a
    list with one per set."""
    warmup: list[WarmupSet] = Field(default=[], max_length=MAX_WARMUP_SETS)
    """Warm-up sets done before the work sets, lightest first (up to 6): cued and counted
    apart from the work sets, never counted as working volume."""

    @model_validator(mode="after")
    def _consistent(self) -> Exercise:
        if (self.tempo is None) == (self.custom_phases is None):
            raise PydanticCustomError(
                "tempo_or_phases", "give an exercise either `tempo` or `custom_phases`"
            )
        if isinstance(self.reps, list):
            if not self.reps:
                raise PydanticCustomError("reps_empty", "`reps` needs at least one number")
            if self.sets is not None and self.sets != len(self.reps):
                raise PydanticCustomError(
                    "reps_length",
                    "`sets` is {sets} but `reps` lists {count} numbers; give one per set",
                    {"sets": self.sets, "count": len(self.reps)},
                )
        elif self.sets is None:
            raise PydanticCustomError(
                "sets_missing", "`sets` is needed when `reps` is a single number"
            )
        sets = len(self.reps_per_set)
        if isinstance(self.load, list) and len(self.load) != sets:
            raise PydanticCustomError(
                "load_length",
                "the exercise has {sets} sets but `load` lists {count} loads; give one per "
                "set, or a single load for every set",
                {"sets": sets, "count": len(self.load)},
            )
        if self.load is None and any(warmup.percent is not None for warmup in self.warmup):
            raise PydanticCustomError(
                "warmup_percent",
                "a warm-up set given as a `percent` needs the exercise's `load` to take it from; "
                "give the exercise a `load`, or the warm-up set its own `load`",
            )
        return self

    @property
    def all_reps(self) -> list[int]:
        """The target reps of every set, warm-ups first: what the session plays."""
        return [warmup.reps for warmup in self.warmup] + self.reps_per_set

    @property
    def set_loads(self) -> list[Load | None]:
        """The planned load of each work set, in order (None where the plan gives none)."""
        if isinstance(self.load, list):
            return list(self.load)
        return [self.load] * len(self.reps_per_set)

    @property
    def warmup_loads(self) -> list[Load | None]:
        """The load of each warm-up set: its own, or its percent of the first work set's
        load to the nearest half unit (a bodyweight load stays bodyweight)."""
        first = self.set_loads[0]
        loads: list[Load | None] = []
        for warmup in self.warmup:
            if warmup.percent is not None and first is not None:
                loads.append(first.scaled(warmup.percent))
            else:
                loads.append(warmup.load)
        return loads

    def warmup_rest_seconds(self, settings: ExerciseSettings) -> float:
        """The rest after each warm-up set: `WARMUP_REST_SECONDS`, or the exercise's own
        rest when that is shorter."""
        return min(WARMUP_REST_SECONDS, settings.rest_seconds)

    @property
    def reps_per_set(self) -> list[int]:
        """The target reps of each set, in order."""
        if isinstance(self.reps, list):
            return list(self.reps)
        assert self.sets is not None  # guaranteed by _consistent
        return [self.reps] * self.sets

    def settings(self, defaults: ExerciseSettings) -> ExerciseSettings:
        """The workout's defaults with this exercise's overrides applied."""
        overrides = {
            name: getattr(self, name)
            for name in ExerciseSettings.model_fields
            if getattr(self, name) is not None
        }
        if self.setup is not None:
            # A setup that only gives a cue keeps the workout's mode and length.
            given = self.setup.model_dump(exclude_unset=True)
            overrides["setup"] = defaults.setup.model_copy(update=given)
        return defaults.model_copy(update=overrides)

    def rep_seconds(self, settings: ExerciseSettings) -> float:
        """How long one rep takes with these settings."""
        if self.custom_phases is not None:
            return sum(phase.length_seconds(settings.beat_seconds) for phase in self.custom_phases)
        assert self.tempo is not None  # guaranteed by _consistent
        counts = sum(
            settings.explosive_beats if part == EXPLOSIVE else part for part in self.tempo.parts
        )
        return counts * settings.beat_seconds


class SilencedCheck(StrictModel):
    """A programming check this workout deliberately does not follow, and why."""

    check: Annotated[Line, Field(min_length=1, max_length=40)]
    """The id of the check, as `tempo-coach validate` prints it (e.g. "backside-volume")."""
    reason: Annotated[Line, Field(min_length=1, max_length=500)]
    """Why the workout departs from the rule, shown wherever the check would have warned
    (one line, up to 500 characters)."""


class Workout(StrictModel):
    """A whole workout file: up to 40 exercises, 100 sets, 1000 reps (each side counted) and
    4 hours of planned time."""

    format_version: Literal[1]
    """The file format's version, so later versions of Tempo Coach can read or migrate it."""
    name: Annotated[Line, Field(min_length=1, max_length=80)]
    """The workout's title (up to 80 characters)."""
    description: Annotated[str, PlainText(multiline=True), Field(max_length=1000)] = ""
    """What the workout is for, in a sentence or two (up to 1000 characters; may span
    lines)."""
    goal: Goal = "general"
    """What the loading aims at: strength, hypertrophy or general."""
    count_in_beats: Annotated[int, Range(0, 8, "counts")] = 3
    """Counts ("3, 2, 1") before the first rep of every set, 0 to 8."""
    audio_mode: AudioMode | None = None
    """How this workout is best cued ("both", "clicks", "voice", "silent"); overrides the
    user's setting when given."""
    speak_cues: bool | None = None
    """Say each phase's cue sentence as well as its name for this workout; overrides the
    user's `speak_cues` setting when given."""
    defaults: ExerciseSettings = ExerciseSettings()
    """Settings for every exercise unless it overrides them."""
    exercises: list[Exercise] = Field(min_length=1, max_length=MAX_EXERCISES)
    """The exercises, in the order they are done (1 to 40)."""
    silenced: list[SilencedCheck] = Field(default=[], max_length=MAX_SILENCED)
    """Programming checks this workout silences, each with its reason (up to 20)."""

    @model_validator(mode="after")
    def _within_caps(self) -> Workout:
        """Warm-up sets are not working volume, but they take time, so they count here."""
        sets = sum(len(exercise.all_reps) for exercise in self.exercises)
        reps = sum(
            sum(exercise.all_reps) * (2 if exercise.unilateral else 1)
            for exercise in self.exercises
        )
        hours = self.planned_seconds() / 3600
        for total, cap, words in (
            (sets, MAX_WORKOUT_SETS, "{total} sets in all; at most {cap} are allowed"),
            (
                reps,
                MAX_WORKOUT_REPS,
                "{total} reps in all (each side counted); at most {cap} are allowed",
            ),
            (
                hours,
                MAX_WORKOUT_HOURS,
                "{total:.1f} hours of planned time; at most {cap} hours are allowed",
            ),
        ):
            if total > cap:
                raise PydanticCustomError(
                    "workout_too_long",
                    f"the workout plans {words.format(total=total, cap=cap)}",
                )
        return self

    def planned_seconds(self) -> float:
        """The session's length with manual setups taken as instant, warm-ups included: what
        the compiled timeline totals, worked out without building it so a runaway file is
        refused cheaply."""
        total = 0.0
        last = len(self.exercises) - 1
        for index, exercise in enumerate(self.exercises):
            settings = exercise.settings(self.defaults)
            reps = exercise.all_reps
            sides = 2 if exercise.unilateral else 1
            setup = settings.setup.seconds if settings.setup.mode == "timed" else 0
            per_set = (
                setup
                + (sides - 1) * settings.side_switch_seconds
                + sides * self.count_in_beats * settings.beat_seconds
            )
            total += len(reps) * per_set + sides * sum(reps) * exercise.rep_seconds(settings)
            warmups = len(exercise.warmup)
            total += warmups * exercise.warmup_rest_seconds(settings)
            total += (len(reps) - warmups - 1) * settings.rest_seconds
            total += settings.rest_after_seconds if index != last else 0
        return total
