import strawberry

from schema.submissions.mutations.grant_extension import grant_extension_field
from schema.submissions.mutations.reopen_submission import reopen_submission_field
from schema.submissions.mutations.review_submission import review_submission_field
from schema.submissions.mutations.save_counts import save_counts_field
from schema.submissions.mutations.submit_submission import submit_submission_field


@strawberry.type
class SubmissionMutations:
    save_counts = save_counts_field
    submit_submission = submit_submission_field
    review_submission = review_submission_field
    reopen_submission = reopen_submission_field
    grant_extension = grant_extension_field
