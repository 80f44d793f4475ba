import strawberry

from schema.mutations.access.issue_access_code import issue_access_code_field
from schema.mutations.access.revoke_access_code import revoke_access_code_field


@strawberry.type
class AccessMutations:
    issue_access_code = issue_access_code_field
    revoke_access_code = revoke_access_code_field
