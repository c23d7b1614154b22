"""The workout file format ("tempo scripts"), as pydantic models.

Every model forbids unknown keys, so a typo in a file is reported rather than silently
ignored, and every field carries a docstring that ends up in the JSON Schema editors use.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from tempo_coach.core.tempo import Tempo, TempoError, format_tempo, parse_tempo

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


def _to_tempo(value: Any) -> Tempo:
    if isinstance(value, Tempo):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError(
            "tempo_type", "a tempo is written as a string in quotes, like \"4-1-X-2\""
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

Seconds = Annotated[float, Field(ge=0, le=3600)]
BeatSeconds = Annotated[float, Field(gt=0, le=10)]
ExplosiveBeats = Annotated[float, Field(gt=0, le=4)]
RepCount = Annotated[int, Field(ge=1, le=50)]


class StrictModel(BaseModel):
    """Base for every part of a workout file: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Setup(StrictModel):
    """What happens before each set: getting into position."""

    mode: SetupMode = "timed"
    """"timed" counts down `seconds`; "manual" waits until the lifter says ready."""
    seconds: Seconds = 10
    """Length of a timed setup's countdown."""
    cue: str = ""
    """What to do during the setup, read out and shown on screen."""


class PhaseLabel(StrictModel):
    """The name and cue of one of the four tempo phases for an exercise."""

    name: str = Field(min_length=1, max_length=24)
    """A short word shown in big letters and spoken at the phase start."""
    cue: str = ""
    """A coaching cue shown during the phase."""


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

    name: str = Field(min_length=1, max_length=24)
    """A short word shown in big letters and spoken at the phase start."""
    kind: PhaseKind
    """What the muscles do in this phase."""
    beats: float | None = Field(default=None, gt=0, le=60)
    """Length in counts (each `beat_seconds` long). Give this or `seconds`."""
    seconds: float | None = Field(default=None, gt=0, le=600)
    """Length in seconds. Give this or `beats`."""
    cue: str = ""
    """A coaching cue shown during the phase."""

    @model_validator(mode="after")
    def _exactly_one_length(self) -> CustomPhase:
        if (self.beats is None) == (self.seconds is None):
            raise PydanticCustomError(
                "phase_length", "give a custom phase either `beats` or `seconds`, not both"
            )
        return self


class ExerciseSettings(StrictModel):
    """Settings a workout gives all its exercises; each exercise may override any of them."""

    beat_seconds: BeatSeconds = 1.0
    """Seconds per count: a tempo of 4 at 1.0 lasts four seconds."""
    explosive_beats: ExplosiveBeats = 1.0
    """How many counts an explosive (X) part lasts."""
    rest_seconds: Seconds = 90
    """Rest between sets of the same exercise."""
    rest_after_seconds: Seconds = 120
    """Rest after the last set, before the next exercise."""
    side_switch_seconds: Seconds = 5
    """Time to change sides between the left and right of a unilateral set."""
    setup: Setup = Setup()
    """The setup before each set."""


class Exercise(StrictModel):
    """One exercise: its sets, reps, tempo (or custom phases), and what it trains."""

    name: str = Field(min_length=1, max_length=60)
    """The exercise as the lifter knows it."""
    trains: Trains
    """The function trained: hip_extension, knee_flexion, both, quadriceps or other."""
    category: Category
    """compound (heavy, few reps) or assistance (lighter, up to 12 reps)."""
    sets: int | None = Field(default=None, ge=1, le=20)
    """Number of sets; may be left out when `reps` gives one number per set."""
    reps: RepCount | list[RepCount]
    """Reps per set: one number for every set, or a list with one number per set."""
    tempo: TempoField | None = None
    """Tempo as lifters write it ("4-1-X-2", "41X2", "10-0-X-0"): lowering, bottom pause,
    lifting, top pause. Give this or `custom_phases`."""
    starts_with: StartsWith = "eccentric"
    """Which phase a rep begins with: "concentric" for leg curls, which start with the curl."""
    phases: PhaseLabels = PhaseLabels()
    """Names and cues of the four tempo phases."""
    custom_phases: list[CustomPhase] | None = Field(default=None, min_length=1)
    """A rep as a fully custom list of phases, instead of `tempo`."""
    unilateral: bool = False
    """Done one side at a time: each set is done on the left, then on the right."""
    eccentric_emphasis: bool = False
    """Billed as an eccentric exercise: the lowering should be slower than the lifting."""

    beat_seconds: BeatSeconds | None = None
    """Overrides the workout's `beat_seconds` for this exercise."""
    explosive_beats: ExplosiveBeats | None = None
    """Overrides the workout's `explosive_beats` for this exercise."""
    rest_seconds: Seconds | None = None
    """Overrides the workout's `rest_seconds` for this exercise."""
    rest_after_seconds: Seconds | None = None
    """Overrides the workout's `rest_after_seconds` for this exercise."""
    side_switch_seconds: Seconds | None = None
    """Overrides the workout's `side_switch_seconds` for this exercise."""
    setup: Setup | None = None
    """Overrides the workout's `setup` for this exercise, key by key."""

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
        return self

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


class SilencedCheck(StrictModel):
    """A programming check this workout deliberately does not follow, and why."""

    check: str = Field(min_length=1)
    """The id of the check, as `tempo-coach validate` prints it (e.g. "backside-volume")."""
    reason: str = Field(min_length=1)
    """Why the workout departs from the rule, shown wherever the check would have warned."""


class Workout(StrictModel):
    """A whole workout file."""

    format_version: Literal[1]
    """The file format's version, so later versions of Tempo Coach can read or migrate it."""
    name: str = Field(min_length=1, max_length=80)
    """The workout's title."""
    description: str = ""
    """What the workout is for, in a sentence or two."""
    goal: Goal = "general"
    """What the loading aims at: strength, hypertrophy or general."""
    count_in_beats: int = Field(default=3, ge=0, le=8)
    """Counts ("3, 2, 1") before the first rep of every set."""
    audio_mode: AudioMode | None = None
    """How this workout is best cued ("both", "clicks", "voice", "silent"); overrides the
    user's setting when given."""
    defaults: ExerciseSettings = ExerciseSettings()
    """Settings for every exercise unless it overrides them."""
    exercises: list[Exercise] = Field(min_length=1)
    """The exercises, in the order they are done."""
    silenced: list[SilencedCheck] = []
    """Programming checks this workout silences, each with its reason."""
