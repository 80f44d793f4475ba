"""``iepimp.asgi:app`` for uvicorn: the service configured from the environment."""

from iepimp.app import create_app
from iepimp.settings import load_settings

app = create_app(load_settings())
