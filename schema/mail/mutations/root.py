import strawberry

from schema.mail.mutations.requeue_message import requeue_message_field


@strawberry.type
class MailMutations:
    requeue_message = requeue_message_field
