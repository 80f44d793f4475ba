import strawberry

from schema.audit.mutations.draw_audit_selection import draw_audit_selection_field
from schema.audit.mutations.record_audit_step import record_audit_step_field


@strawberry.type
class AuditMutations:
    draw_audit_selection = draw_audit_selection_field
    record_audit_step = record_audit_step_field
