import strawberry

from schema.reports.mutations.publish_results import publish_results_field


@strawberry.type
class ReportMutations:
    publish_results = publish_results_field
