"""Format rules for identifiers and contact fields, shared by every entry point."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

from models.shared.csv_cells import FORMULA_STARTS

CDS_RE = re.compile(r"[0-9]{14}")
SELPA_RE = re.compile(r"[0-9]{4}")
SSID_RE = re.compile(r"[0-9]{10}")
CYCLE_RE = re.compile(r"[0-9]{4}-[0-9]{2}")
PHONE_EXT_RE = re.compile(r"[0-9]{1,6}")


def is_ascii_digits(value: str) -> bool:
    """Digits 0-9 only (``str.isdigit`` also accepts other scripts' digits and superscripts)."""
    return value.isascii() and value.isdigit()


def is_cds_code(value: str) -> bool:
    return CDS_RE.fullmatch(value) is not None


def is_selpa_code(value: str) -> bool:
    return SELPA_RE.fullmatch(value) is not None


def is_ssid(value: str) -> bool:
    return SSID_RE.fullmatch(value) is not None


def is_cycle_name(value: str) -> bool:
    """A cycle name such as ``2024-25``: the second year follows the first."""
    if CYCLE_RE.fullmatch(value) is None:
        return False
    first, second = int(value[:4]), int(value[5:])
    return (first + 1) % 100 == second


# What is wrong with an identifier, as a phrase that follows the field's name ("cdsCode must
# be exactly 14 digits"); ``None`` when the value is well formed. Every entry point words a
# malformed identifier with these, alone (an import row's reason) or through ``field_message``.


def cds_code_problem(value: str) -> str | None:
    return None if is_cds_code(value) else "must be a 14-digit CDS code"


def selpa_code_problem(value: str) -> str | None:
    return None if is_selpa_code(value) else "must be a 4-digit SELPA code"


def ssid_problem(value: str) -> str | None:
    return None if is_ssid(value) else "must be a 10-digit SSID"


def cycle_name_problem(value: str) -> str | None:
    return None if is_cycle_name(value) else "must name a cycle such as 2024-25"


def field_message(field: str, problem: str) -> str:
    """The sentence shown for a field: ``field_message("cycle", problem)`` → "cycle must …"."""
    return f"{field} {problem}."


def is_email(value: str) -> bool:
    """An ASCII address as ``email-validator`` reads it (no DNS look-up), not one a spreadsheet
    would take for a formula."""
    if len(value) > 254 or value.startswith(FORMULA_STARTS):
        return False
    try:
        validate_email(value, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        return False
    return True


def normalize_us_phone(value: str) -> str | None:
    """``(916) 555-0100`` style: ten digits (an optional leading 1) → ``916-555-0100``."""
    if not re.fullmatch(r"[0-9 ().+-]{10,20}", value):
        return None
    digits = re.sub(r"[^0-9]", "", value)
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    if len(digits) != 10 or digits[0] in "01" or digits[3] in "01":
        return None
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"


def is_phone_ext(value: str) -> bool:
    return PHONE_EXT_RE.fullmatch(value) is not None


def county_of(cds_code: str) -> str:
    return cds_code[:2]
