"""The root types, merged from the per-domain parts."""

from strawberry.tools import merge_types

from schema.mutations.access.root import AccessMutations
from schema.mutations.audit.root import AuditMutations
from schema.mutations.auth.root import AuthMutations
from schema.mutations.cycle.root import CycleMutations
from schema.mutations.mail.root import MailMutations
from schema.mutations.reports.root import ReportMutations
from schema.mutations.submission.root import SubmissionMutations
from schema.mutations.worksheet.root import WorksheetMutations
from schema.queries.access_codes import AccessCodeQueries
from schema.queries.audit import AuditQueries
from schema.queries.cycles import CycleQueries
from schema.queries.directory import DirectoryQueries
from schema.queries.outbox import OutboxQueries
from schema.queries.reports import ReportQueries

Query = merge_types(
    "Query",
    (DirectoryQueries, CycleQueries, OutboxQueries, AuditQueries, ReportQueries, AccessCodeQueries),
)
Mutation = merge_types(
    "Mutation",
    (
        AuthMutations,
        MailMutations,
        SubmissionMutations,
        CycleMutations,
        ReportMutations,
        AccessMutations,
        AuditMutations,
        WorksheetMutations,
    ),
)
