"""``iepimp.asgi:app`` for uvicorn: the service configured from the environment."""

from iepimp.app import create_app
from kernel.settings import load_settings
from kernel.telemetry import configure_logging

configure_logging()
app = create_app(load_settings())
