"""Row-by-row validation of the directory and roster import files (pure: no database).

An error names the line and the column and says what is wrong, never the value itself (a value
may be an SSID or a student's name).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from models.cycles.bands import NO_SWD_REASON
from models.directory.disability import is_category
from models.shared import identifiers as formats

DIRECTORY_REQUIRED = (
    "cds_code",
    "lea_name",
    "lea_kind",
    "selpa_code",
    "contact_name",
    "contact_email",
    "required",
    "active",
)
DIRECTORY_OPTIONAL = (
    "selpa_name",
    "selpa_contact_name",
    "selpa_contact_email",
    "swd_count",
    "exempt_reason",
)

ROSTER_REQUIRED = (
    "cds_code",
    "ssid",
    "first_name",
    "last_name",
    "birth_date",
    "grade",
    "disability_category",
)
ROSTER_OPTIONAL = ("race_ethnicity", "gender")

LEA_KINDS = frozenset({"district", "charter", "county office"})
GRADES = frozenset(
    {
        "PS",
        "TK",
        "KN",
        "01",
        "02",
        "03",
        "04",
        "05",
        "06",
        "07",
        "08",
        "09",
        "10",
        "11",
        "12",
        "UE",
        "US",
    }
)
RACES = frozenset({"HI", "AI", "AS", "PI", "FI", "AA", "WH", "MR", "NR"})
GENDERS = frozenset({"F", "M", "X"})
TRUE_WORDS = frozenset({"true", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "no", "n", "0"})
MAX_NAME = 100
MAX_ORG_NAME = 200


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.column}: {self.reason}"


def check_header(
    header: Sequence[str], required: Sequence[str], optional: Sequence[str]
) -> list[RowError]:
    """Columns are matched by name, in any order; missing, unknown or repeated ones are errors."""
    names = [name.strip().lower() for name in header]
    errors = [RowError(1, name, "column is missing") for name in required if name not in names]
    known = set(required) | set(optional)
    seen: set[str] = set()
    for name in names:
        if name not in known:
            errors.append(RowError(1, name or "(blank)", "unknown column"))
        elif name in seen:
            errors.append(RowError(1, name, "column appears twice"))
        seen.add(name)
    return errors


def parse_bool(value: str) -> bool | None:
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


@dataclass(frozen=True)
class DirectoryRow:
    cds_code: str
    lea_name: str
    lea_kind: str
    selpa_code: str
    selpa_name: str
    selpa_contact_name: str
    selpa_contact_email: str
    contact_name: str
    contact_email: str
    required: bool
    active: bool
    exempt_reason: str | None = None
    """An explicit exemption: ``exempt_reason``, or ``swd_count`` 0 (then ``required`` is
    False)."""


class DirectoryValidator:
    """Checks directory rows one at a time, and across rows (duplicate LEAs, SELPA details)."""

    def __init__(self, known_selpas: set[str]) -> None:
        self.known_selpas = known_selpas
        self.seen_cds: set[str] = set()
        self.selpa_details: dict[str, tuple[str, str, str]] = {}
        self.errors: list[RowError] = []

    def row(self, line: int, values: dict[str, str]) -> DirectoryRow | None:
        errors: list[RowError] = []

        def text(column: str, limit: int, *, required: bool = True) -> str:
            value = values.get(column, "").strip()
            if required and not value:
                errors.append(RowError(line, column, "is missing"))
            elif len(value) > limit:
                errors.append(RowError(line, column, f"is longer than {limit} characters"))
            return value

        cds = values.get("cds_code", "").strip()
        if not cds:
            errors.append(RowError(line, "cds_code", "is missing"))
        elif problem := formats.cds_code_problem(cds):
            errors.append(RowError(line, "cds_code", problem))
        elif cds in self.seen_cds:
            errors.append(RowError(line, "cds_code", "duplicate CDS code in this file"))
        self.seen_cds.add(cds)
        name = text("lea_name", MAX_ORG_NAME)
        kind = values.get("lea_kind", "").strip().lower()
        if kind not in LEA_KINDS:
            errors.append(RowError(line, "lea_kind", "must be district, charter or county office"))
        selpa = values.get("selpa_code", "").strip()
        selpa_name = text("selpa_name", MAX_ORG_NAME, required=False)
        selpa_contact = text("selpa_contact_name", MAX_ORG_NAME, required=False)
        selpa_email = values.get("selpa_contact_email", "").strip()
        if selpa_email and not formats.is_email(selpa_email):
            errors.append(RowError(line, "selpa_contact_email", "is not an email address"))
        if not selpa:
            errors.append(RowError(line, "selpa_code", "is missing"))
        elif problem := formats.selpa_code_problem(selpa):
            errors.append(RowError(line, "selpa_code", problem))
        elif selpa_name:
            details = (selpa_name, selpa_contact, selpa_email)
            earlier = self.selpa_details.setdefault(selpa, details)
            if earlier != details:
                errors.append(
                    RowError(line, "selpa_name", "SELPA details differ from an earlier row")
                )
        elif selpa not in self.known_selpas and selpa not in self.selpa_details:
            errors.append(RowError(line, "selpa_code", "unknown SELPA (give selpa_name to add it)"))
        contact = text("contact_name", MAX_ORG_NAME)
        email = values.get("contact_email", "").strip()
        if not email:
            errors.append(RowError(line, "contact_email", "is missing"))
        elif not formats.is_email(email):
            errors.append(RowError(line, "contact_email", "is not an email address"))
        required = parse_bool(values.get("required", ""))
        if required is None:
            errors.append(RowError(line, "required", "must be true or false"))
        active = parse_bool(values.get("active", ""))
        if active is None:
            errors.append(RowError(line, "active", "must be true or false"))
        exempt = text("exempt_reason", MAX_ORG_NAME, required=False) or None
        if exempt and required:
            errors.append(RowError(line, "exempt_reason", "given, but required is true"))
        swd = values.get("swd_count", "").strip()
        if swd and not (swd.isascii() and swd.isdigit()):
            errors.append(RowError(line, "swd_count", "must be a whole number, 0 or more"))
        elif swd and int(swd) == 0:
            exempt, required = exempt or NO_SWD_REASON, False
        if errors:
            self.errors.extend(errors)
            return None
        assert required is not None and active is not None
        return DirectoryRow(
            cds,
            name,
            kind,
            selpa,
            selpa_name,
            selpa_contact,
            selpa_email,
            contact,
            email,
            required,
            active,
            exempt,
        )


RosterRow = tuple[str, str, str, str, date, str, str, str, str]
"""cds_code, ssid, first_name, last_name, birth_date, grade, category, race_ethnicity, gender."""


class RosterValidator:
    """Checks roster rows one at a time, and across rows (an SSID appears once per cycle)."""

    def __init__(
        self, known_leas: set[str], school_year_start: int, frozen: frozenset[str] = frozenset()
    ) -> None:
        self.known_leas = known_leas
        self.frozen = frozen
        self.seen_ssids: set[str] = set()
        self.earliest = date(school_year_start - 30, 1, 1)
        self.latest = date(school_year_start, 12, 31)
        self.errors: list[RowError] = []

    def row(self, line: int, values: dict[str, str]) -> RosterRow | None:
        errors: list[RowError] = []
        get = values.get
        cds = get("cds_code", "").strip()
        if not cds:
            errors.append(RowError(line, "cds_code", "is missing"))
        elif problem := formats.cds_code_problem(cds):
            errors.append(RowError(line, "cds_code", problem))
        elif cds not in self.known_leas:
            errors.append(RowError(line, "cds_code", "unknown LEA (not active in this cycle)"))
        elif cds in self.frozen:
            errors.append(RowError(line, "cds_code", "LEA already has a sample (roster frozen)"))
        ssid = get("ssid", "").strip()
        if not ssid:
            errors.append(RowError(line, "ssid", "is missing"))
        elif problem := formats.ssid_problem(ssid):
            errors.append(RowError(line, "ssid", problem))
        elif ssid in self.seen_ssids:
            errors.append(RowError(line, "ssid", "duplicate SSID in this file"))
        else:
            self.seen_ssids.add(ssid)
        names = []
        for column in ("first_name", "last_name"):
            value = get(column, "").strip()
            if not value:
                errors.append(RowError(line, column, "is missing"))
            elif len(value) > MAX_NAME:
                errors.append(RowError(line, column, f"is longer than {MAX_NAME} characters"))
            names.append(value)
        raw_birth = get("birth_date", "").strip()
        birth = None
        if not raw_birth:
            errors.append(RowError(line, "birth_date", "is missing"))
        else:
            try:
                birth = date.fromisoformat(raw_birth) if len(raw_birth) == 10 else None
            except ValueError:
                birth = None
            if birth is None:
                errors.append(RowError(line, "birth_date", "must be a date YYYY-MM-DD"))
            elif not self.earliest <= birth <= self.latest:
                errors.append(RowError(line, "birth_date", "is outside the plausible range"))
        grade = get("grade", "").strip().upper()
        if grade not in GRADES:
            errors.append(RowError(line, "grade", "must be PS, TK, KN, 01–12, UE or US"))
        category = get("disability_category", "").strip().upper()
        if not is_category(category):
            errors.append(RowError(line, "disability_category", "is not a federal category code"))
        race = get("race_ethnicity", "").strip().upper()
        if race and race not in RACES:
            errors.append(RowError(line, "race_ethnicity", "is not a race/ethnicity code"))
        gender = get("gender", "").strip().upper()
        if gender and gender not in GENDERS:
            errors.append(RowError(line, "gender", "must be F, M or X"))
        if errors:
            self.errors.extend(errors)
            return None
        assert birth is not None
        return (cds, ssid, names[0], names[1], birth, grade, category, race, gender)
