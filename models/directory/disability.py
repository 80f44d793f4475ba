"""The federal IDEA disability categories as California codes them, with typical shares."""

from __future__ import annotations

CATEGORIES: dict[str, str] = {
    "AUT": "Autism",
    "DB": "Deaf-blindness",
    "DEAF": "Deafness",
    "ED": "Emotional disturbance",
    "EMD": "Established medical disability",
    "HH": "Hard of hearing",
    "ID": "Intellectual disability",
    "MD": "Multiple disabilities",
    "OHI": "Other health impairment",
    "OI": "Orthopedic impairment",
    "SLD": "Specific learning disability",
    "SLI": "Speech or language impairment",
    "TBI": "Traumatic brain injury",
    "VI": "Visual impairment",
}

TYPICAL_SHARES: dict[str, float] = {
    "SLD": 0.34,
    "SLI": 0.20,
    "AUT": 0.16,
    "OHI": 0.14,
    "ID": 0.05,
    "ED": 0.03,
    "EMD": 0.02,
    "HH": 0.015,
    "MD": 0.015,
    "OI": 0.01,
    "VI": 0.005,
    "DEAF": 0.004,
    "TBI": 0.003,
    "DB": 0.001,
}


def is_category(code: str) -> bool:
    return code in CATEGORIES
