"""Synthetic directory and roster files at demo, California or national scale.

Everything is invented and deterministic for a seed: SELPAs and LEAs with CDS codes laid out
per county (county offices, districts, charters), a long-tail distribution of LEA sizes, and
roster students written row by row (memory stays flat whatever the scale).
"""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from iepimp import synthetic
from iepimp.place_names import CHARTER_WORDS, DISTRICT_SUFFIXES, PLACE_WORDS
from models.directory.import_rows import ROSTER_OPTIONAL, ROSTER_REQUIRED

DIRECTORY_COLUMNS = (
    "cds_code",
    "lea_name",
    "lea_kind",
    "selpa_code",
    "selpa_name",
    "selpa_contact_name",
    "selpa_contact_email",
    "contact_name",
    "contact_email",
    "required",
    "active",
    "swd_count",
    "exempt_reason",
)
"""The importer's columns (``models.directory.import_rows``), in the order they are written."""
ROSTER_COLUMNS = ROSTER_REQUIRED + ROSTER_OPTIONAL
SSID_SPACE = 9_000_000_000
SSID_STRIDE = 6_700_417_123
"""Coprime with ``SSID_SPACE``: ``i ↦ (i·stride + offset) mod space`` never repeats an SSID."""


@dataclass(frozen=True)
class Scale:
    counties: int
    selpas: int
    leas: int
    students: int
    charter_selpas: int


SCALES: dict[str, Scale] = {
    "demo": Scale(counties=3, selpas=4, leas=24, students=4_000, charter_selpas=1),
    "california": Scale(counties=58, selpas=140, leas=2_300, students=820_000, charter_selpas=3),
    "national": Scale(
        counties=99, selpas=1_100, leas=18_000, students=7_500_000, charter_selpas=20
    ),
}


@dataclass(frozen=True)
class SelpaRow:
    code: str
    name: str
    contact_name: str
    contact_email: str


@dataclass(frozen=True)
class LeaRow:
    cds_code: str
    name: str
    kind: str
    selpa: SelpaRow
    contact_name: str
    contact_email: str
    students: int


@dataclass(frozen=True)
class Summary:
    selpas: int
    leas: int
    students: int


def _person(rng: random.Random) -> str:
    return f"{rng.choice(synthetic.FIRST_NAMES)} {rng.choice(synthetic.LAST_NAMES)}"


def _long_tail(rng: random.Random, count: int, total: int, sigma: float) -> list[int]:
    """``count`` lognormal sizes scaled to sum to about ``total``."""
    weights = [rng.lognormvariate(0.0, sigma) for _ in range(count)]
    scale = total / sum(weights)
    return [round(w * scale) for w in weights]


def _selpas(
    rng: random.Random, scale: Scale, county_weights: list[float]
) -> dict[int, list[SelpaRow]]:
    """SELPAs per county (index ``-1``: statewide charter SELPAs); larger counties get more.

    Codes are the county's two digits and a serial (00-89); charter SELPAs take 90-94; a
    county with more than 90 SELPAs (national scale) continues in the unused 95-99 codes."""
    extra = scale.selpas - scale.counties - scale.charter_selpas
    share = sum(county_weights)
    per_county = [1 + math.floor(extra * w / share) for w in county_weights]
    leftover = scale.selpas - scale.charter_selpas - sum(per_county)
    for index in sorted(range(scale.counties), key=lambda i: -county_weights[i])[:leftover]:
        per_county[index] += 1
    result: dict[int, list[SelpaRow]] = {}
    spare = (f"{n:04d}" for n in range(1, 10_000) if n % 100 >= 95)
    for county, count in enumerate(per_county, start=1):
        rows = []
        for k in range(count):
            word = rng.choice(PLACE_WORDS)
            name = f"{word} {'County' if k == 0 else 'Area'} SELPA"
            code = f"{county:02d}{k:02d}" if k < 90 else next(spare)
            rows.append(_selpa_row(rng, code, name))
        result[county] = rows
    result[-1] = [
        _selpa_row(
            rng,
            f"{(k % scale.counties) + 1:02d}{90 + k // scale.counties:02d}",
            f"{rng.choice(PLACE_WORDS)} Charter SELPA",
        )
        for k in range(scale.charter_selpas)
    ]
    return result


def _selpa_row(rng: random.Random, code: str, name: str) -> SelpaRow:
    return SelpaRow(code, name, _person(rng), f"selpa{code}@example.org")


def plan(scale_name: str, seed: int) -> list[LeaRow]:
    """The directory of a scale: one row per LEA with its SELPA, sized by a long tail."""
    scale = SCALES[scale_name]
    rng = random.Random(f"directory-{scale_name}-{seed}")
    county_weights = [rng.lognormvariate(0.0, 1.3) for _ in range(scale.counties)]
    selpas = _selpas(rng, scale, county_weights)
    county_offices = scale.counties
    charters = round((scale.leas - county_offices) * 0.56)
    districts = scale.leas - county_offices - charters
    district_counties = rng.choices(range(1, scale.counties + 1), county_weights, k=districts)
    district_counties.sort()
    sizes = _long_tail(rng, scale.leas, scale.students, sigma=1.8)
    sizes.sort(reverse=True)
    kinds = ["district"] * districts + ["county office"] * county_offices + ["charter"] * charters
    rng.shuffle(kinds)
    # the biggest LEAs are districts, as in the state
    kinds.sort(key=lambda kind: kind != "district")
    kind_sizes: dict[str, list[int]] = {"district": [], "county office": [], "charter": []}
    for kind, size in zip(kinds, sizes, strict=True):
        kind_sizes[kind].append(size)
    rng.shuffle(kind_sizes["district"])
    rng.shuffle(kind_sizes["county office"])
    rng.shuffle(kind_sizes["charter"])
    for kind in kind_sizes:
        for i in range(0, len(kind_sizes[kind]), 97):
            kind_sizes[kind][i] = 0 if rng.random() < 0.4 else kind_sizes[kind][i]

    leas: list[LeaRow] = []
    used: set[str] = set()
    district_codes: dict[int, list[str]] = {c: [] for c in range(1, scale.counties + 1)}
    for county in range(1, scale.counties + 1):
        cds = f"{county:02d}101{county:02d}0000000"
        leas.append(
            _lea(
                rng,
                cds,
                f"{rng.choice(PLACE_WORDS)} County Office of Education",
                "county office",
                selpas[county][0],
                kind_sizes["county office"].pop(),
            )
        )
    for county in district_counties:
        while True:
            district = f"{rng.randrange(61000, 77000):05d}"
            cds = f"{county:02d}{district}0000000"
            if cds not in used:
                break
        used.add(cds)
        district_codes[county].append(district)
        name = (
            f"{rng.choice(PLACE_WORDS)} {rng.choice(PLACE_WORDS)} {rng.choice(DISTRICT_SUFFIXES)}"
        )
        selpa = rng.choice(selpas[county])
        leas.append(_lea(rng, cds, name, "district", selpa, kind_sizes["district"].pop()))
    for _ in range(charters):
        county = rng.choices(range(1, scale.counties + 1), county_weights)[0]
        authorizer = rng.choice(district_codes[county] or [f"101{county:02d}"])
        while True:
            cds = f"{county:02d}{authorizer}{rng.randrange(100_000, 7_000_000):07d}"
            if cds not in used:
                break
        used.add(cds)
        statewide = rng.random() < 0.3
        selpa = rng.choice(selpas[-1] if statewide else selpas[county])
        name = f"{rng.choice(PLACE_WORDS)} {rng.choice(CHARTER_WORDS)}"
        leas.append(_lea(rng, cds, name, "charter", selpa, kind_sizes["charter"].pop()))
    leas.sort(key=lambda row: row.cds_code)
    return leas


def _lea(
    rng: random.Random, cds: str, name: str, kind: str, selpa: SelpaRow, students: int
) -> LeaRow:
    return LeaRow(cds, name, kind, selpa, _person(rng), f"sped{cds}@example.org", students)


def roster_rows(leas: list[LeaRow], seed: int, school_year_start: int) -> Iterator[list[str]]:
    """Roster rows LEA by LEA; SSIDs unique by construction, nothing kept in memory."""
    offset = random.Random(f"ssid-{seed}").randrange(SSID_SPACE)
    index = 0
    for lea in leas:
        rng = random.Random(f"roster-{seed}-{lea.cds_code}")
        for _ in range(lea.students):
            ssid = str(1_000_000_000 + (index * SSID_STRIDE + offset) % SSID_SPACE)
            index += 1
            values = synthetic.student_values(rng, school_year_start)
            yield [lea.cds_code, ssid, *values]


def generate(
    scale_name: str,
    seed: int,
    out: Path,
    *,
    school_year_start: int = 2024,
    progress: Callable[[int, int], None] | None = None,
) -> Summary:
    """Write ``directory.csv`` and ``roster.csv`` into ``out``."""
    leas = plan(scale_name, seed)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "directory.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(DIRECTORY_COLUMNS)
        for lea in leas:
            s = lea.selpa
            writer.writerow(
                [
                    lea.cds_code,
                    lea.name,
                    lea.kind,
                    s.code,
                    s.name,
                    s.contact_name,
                    s.contact_email,
                    lea.contact_name,
                    lea.contact_email,
                    "true",
                    "true",
                    lea.students,
                    "",
                ]
            )
    total = sum(lea.students for lea in leas)
    written = 0
    with (out / "roster.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(ROSTER_COLUMNS)
        for row in roster_rows(leas, seed, school_year_start):
            writer.writerow(row)
            written += 1
            if progress is not None and (written % 50_000 == 0 or written == total):
                progress(written, total)
    return Summary(selpas=len({lea.selpa.code for lea in leas}), leas=len(leas), students=written)
