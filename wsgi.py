"""Entry point for gunicorn: `gunicorn wsgi:app`. Production unless SHOP_CONFIG says otherwise."""

import os

from shop import create_app

app = create_app(os.environ.get("SHOP_CONFIG") or "production")
