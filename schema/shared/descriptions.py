"""Descriptions that many SDL fields and arguments share, so that they read alike."""

CYCLE = "The cycle's name, e.g. 2024-25."
CDS_CODE = "The LEA's 14-digit CDS code."
SELPA_CODE = "The SELPA's 4-digit code."
FIRST = "Page size, 1 to the server's page limit (500 unless set lower); 100 when omitted."
AFTER = "The endCursor of the previous page; omitted for the first page."
EXPECTED_VERSION = "When given, must equal the submission's current version."
USER_ERRORS = "Why the mutation was refused; empty when it succeeded."
