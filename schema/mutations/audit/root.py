import strawberry

from schema.mutations.audit.draw_audit_selection import draw_audit_selection_field


@strawberry.type
class AuditMutations:
    draw_audit_selection = draw_audit_selection_field
