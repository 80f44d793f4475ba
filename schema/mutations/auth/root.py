import strawberry

from schema.mutations.auth.login import login_field
from schema.mutations.auth.logout import logout_field


@strawberry.type
class AuthMutations:
    login = login_field
    logout = logout_field
