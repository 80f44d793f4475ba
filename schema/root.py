"""The root types, merged from the per-domain parts."""

from strawberry.tools import merge_types
from strawberry.types.base import get_object_definition

from schema.access.mutations.root import AccessCodeMutations, SignInMutations
from schema.access.queries import AccessCodeQueries, ViewerQueries
from schema.audit.mutations.root import AuditMutations
from schema.audit.queries import AuditQueries
from schema.cycles.mutations.root import CycleMutations
from schema.cycles.queries import CycleQueries
from schema.directory.queries import DirectoryQueries
from schema.mail.mutations.root import MailMutations
from schema.mail.queries import OutboxQueries
from schema.reports.mutations.root import ReportMutations
from schema.reports.queries import ReportQueries
from schema.submissions.mutations.root import SubmissionMutations
from schema.submissions.queries import SubmissionQueries
from schema.worksheet.mutations.root import WorksheetMutations

Query = merge_types(
    "Query",
    (
        ViewerQueries,
        DirectoryQueries,
        SubmissionQueries,
        CycleQueries,
        OutboxQueries,
        AuditQueries,
        ReportQueries,
        AccessCodeQueries,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        SignInMutations,
        MailMutations,
        SubmissionMutations,
        CycleMutations,
        ReportMutations,
        AccessCodeMutations,
        AuditMutations,
        WorksheetMutations,
    ),
)

# merge_types takes no description: set one on each merged root's definition.
get_object_definition(Query, strict=True).description = (
    "What can be read: the caller, cycles, the directory, submissions, reports, and CDE's "
    "audit log, mail outbox and access codes."
)
get_object_definition(Mutation, strict=True).description = (
    "What can be changed: signing in and out, the submission workflow and minutes worksheet, "
    "and CDE's administration of cycles, access codes, the audit draw, publishing and mail."
)
