"""The columns of "Download Student Records" and "Download LEA Records" (SPEC §10), in order:
one definition for the API's CSV routes, the command line and the portal."""

from __future__ import annotations

STUDENT_COLUMNS = (
    "ssid",
    "first_name",
    "last_name",
    "birth_date",
    "grade",
    "disability_category",
    "prescribed_minutes",
    "provided_minutes",
)
LEA_COLUMNS = (
    "cds_code",
    "lea_name",
    "selpa_code",
    "selpa_name",
    "required",
    "status",
    "count_a",
    "count_b",
    "count_c",
    "total",
    "sample_size",
    "submitted_at",
    "submitter_email",
    "reviewed_at",
    "due_at",
    "worksheet_differs",
)
