"""Synthetic people and places, deterministic for a seed. Nothing here is real data."""

from __future__ import annotations

import random
from datetime import date, timedelta

from models.directory.disability import TYPICAL_SHARES

FIRST_NAMES = [
    "Avery",
    "Blake",
    "Casey",
    "Dakota",
    "Emerson",
    "Finley",
    "Gray",
    "Harper",
    "Indigo",
    "Jordan",
    "Kai",
    "Logan",
    "Marlow",
    "Nico",
    "Oakley",
    "Parker",
    "Quinn",
    "Reese",
    "Sage",
    "Tatum",
    "Umber",
    "Vale",
    "Wren",
    "Xen",
    "Yael",
    "Zion",
    "Arden",
    "Bellamy",
    "Cove",
    "Dune",
    "Ellis",
    "Fable",
    "Gale",
    "Haven",
    "Ives",
    "Juniper",
    "Kestrel",
    "Lark",
    "Moss",
    "Nova",
    "Onyx",
    "Pike",
    "Rowan",
    "Sparrow",
    "Thorne",
]
LAST_NAMES = [
    "Ashgrove",
    "Birchwell",
    "Calloway",
    "Dunmore",
    "Everhart",
    "Fairbrook",
    "Glenholt",
    "Hartwick",
    "Ironvale",
    "Jessup",
    "Kingsley",
    "Larkfield",
    "Merriweather",
    "Northcote",
    "Oakhurst",
    "Pennington",
    "Quillfeather",
    "Ravensdale",
    "Stonebridge",
    "Thistlewood",
    "Underhill",
    "Vantassel",
    "Westbrook",
    "Yarborough",
    "Zellerby",
    "Amberlane",
    "Brightwater",
    "Coldstream",
    "Driftwood",
    "Emberly",
    "Foxglove",
    "Greystone",
    "Hollowell",
    "Ivywood",
]
GRADES = ("TK", "KN", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12")
RACES = ("HI", "AI", "AS", "PI", "FI", "AA", "WH", "MR", "NR")
GENDERS = ("F", "M", "X")


def ssid_for(rng: random.Random, taken: set[str]) -> str:
    while True:
        value = str(rng.randrange(1_000_000_000, 10_000_000_000))
        if value not in taken:
            taken.add(value)
            return value


def category(rng: random.Random) -> str:
    codes = list(TYPICAL_SHARES)
    return rng.choices(codes, weights=[TYPICAL_SHARES[c] for c in codes])[0]


def student(rng: random.Random, taken: set[str], school_year_start: int) -> dict[str, str]:
    grade_index = rng.randrange(len(GRADES))
    age = 4 + grade_index
    birth = date(school_year_start - age, 9, 1) - timedelta(days=rng.randrange(365))
    return {
        "ssid": ssid_for(rng, taken),
        "first_name": rng.choice(FIRST_NAMES),
        "last_name": rng.choice(LAST_NAMES),
        "birth_date": birth.isoformat(),
        "grade": GRADES[grade_index],
        "disability_category": category(rng),
        "race_ethnicity": rng.choice(RACES),
        "gender": rng.choice(GENDERS),
    }


_CATEGORY_CODES = tuple(TYPICAL_SHARES)
_CATEGORY_CUM: list[float] = []
for _code in _CATEGORY_CODES:
    _CATEGORY_CUM.append((_CATEGORY_CUM[-1] if _CATEGORY_CUM else 0.0) + TYPICAL_SHARES[_code])


def student_values(rng: random.Random, school_year_start: int) -> list[str]:
    """A student without SSID, fast: first, last, birth date, grade, category, race, gender."""
    grade_index = rng.randrange(len(GRADES))
    birth = date(school_year_start - 4 - grade_index, 9, 1) - timedelta(days=rng.randrange(365))
    return [
        rng.choice(FIRST_NAMES),
        rng.choice(LAST_NAMES),
        birth.isoformat(),
        GRADES[grade_index],
        rng.choices(_CATEGORY_CODES, cum_weights=_CATEGORY_CUM)[0],
        rng.choice(RACES),
        rng.choice(GENDERS),
    ]
