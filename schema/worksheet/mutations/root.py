import strawberry

from schema.worksheet.mutations.apply_worksheet_counts import apply_worksheet_counts_field
from schema.worksheet.mutations.record_minutes import record_minutes_field


@strawberry.type
class WorksheetMutations:
    record_minutes = record_minutes_field
    apply_worksheet_counts = apply_worksheet_counts_field
