"""Descriptions that many SDL fields and arguments share, so that they read alike."""

from resolvers.shared.arguments import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

CYCLE = "The cycle's name, e.g. 2024-25."
CDS_CODE = "The LEA's 14-digit CDS code."
SELPA_CODE = "The SELPA's 4-digit code."
COST_NOTE = "Every item a page may hold counts toward the request's query cost."
FIRST = f"Page size, 1 to {MAX_PAGE_SIZE}; {DEFAULT_PAGE_SIZE} when omitted. {COST_NOTE}"
AFTER = "The endCursor of the previous page; omitted for the first page."
EXPECTED_VERSION = "When given, must equal the submission's current version."
USER_ERRORS = "Why the mutation was refused; empty when it succeeded."
