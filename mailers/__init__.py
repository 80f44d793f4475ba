"""Mail: templates rendered into the outbox, and the worker that delivers the outbox over SMTP."""
