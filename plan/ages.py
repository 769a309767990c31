"""Age bands: how the plan groups children for wording (conversation starters, settings)."""
from __future__ import annotations

from dataclasses import dataclass

MIN_AGE = 0
MAX_AGE = 17


@dataclass(frozen=True)
class AgeBand:
    id: str
    low: int
    high: int

    def __contains__(self, age: object) -> bool:
        return isinstance(age, int) and self.low <= age <= self.high


AGE_BANDS: tuple[AgeBand, ...] = (
    AgeBand("0-4", 0, 4),
    AgeBand("5-7", 5, 7),
    AgeBand("8-10", 8, 10),
    AgeBand("11-13", 11, 13),
    AgeBand("14-15", 14, 15),
    AgeBand("16-17", 16, 17),
)
BAND_IDS: tuple[str, ...] = tuple(b.id for b in AGE_BANDS)


def band_for(age: int) -> AgeBand:
    """The age band a child of `age` whole years belongs to."""
    for band in AGE_BANDS:
        if age in band:
            return band
    raise ValueError(f"age must be a whole number from {MIN_AGE} to {MAX_AGE} (got {age})")
