"""Wiring for the iepimp service: settings, database configuration, ASGI app and CLI."""
