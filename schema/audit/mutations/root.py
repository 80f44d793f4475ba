import strawberry

from schema.audit.mutations.draw_audit_selection import draw_audit_selection_field


@strawberry.type
class AuditMutations:
    draw_audit_selection = draw_audit_selection_field
