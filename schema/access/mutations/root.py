"""The access domain's mutations: signing in and out, issuing and revoking access codes."""

import strawberry

from schema.access.mutations.issue_access_code import issue_access_code_field
from schema.access.mutations.login import login_field
from schema.access.mutations.logout import logout_field
from schema.access.mutations.revoke_access_code import revoke_access_code_field


@strawberry.type
class SignInMutations:
    login = login_field
    logout = logout_field


@strawberry.type
class AccessCodeMutations:
    issue_access_code = issue_access_code_field
    revoke_access_code = revoke_access_code_field
