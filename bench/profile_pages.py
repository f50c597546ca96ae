"""Where a storefront page's time goes: render pages in-process, under pyinstrument, on a fresh catalogue.

Builds its own database like the other benches (migrate, seed-demo, seed-bulk N), makes the shop's
production app in this process (page cache off, so that every request renders its page), requests
--requests random pages of the kind asked for through the WSGI app (no HTTP server, no wrk), and
prints ms per request and pyinstrument's call tree. A figure to compare between commits on the same
machine, not with other machines; the benches proper measure throughput.

    .venv/bin/python bench/profile_pages.py [--backend sqlite|postgresql] [--products 10000]
                                            [--page product|catalogue|search|home] [--requests 300]
"""

import argparse
import os
import random
import secrets
import sys
import tempfile
import time

from common import ROOT, Database, handle_signals

WORDS = ("myofascial", "trigger", "neck", "shoulder", "stretching", "lymphatic", "advanced", "release")


def paths(kind, low, high, pages):
    while True:
        if kind == "product":
            yield f"/products/bulk-{random.randint(low, high)}"
        elif kind == "catalogue":
            yield f"/catalogue?page={random.randint(1, pages)}"
        elif kind == "search":
            yield f"/search?q={random.choice(WORDS)}+{random.choice(WORDS)}"
        else:
            yield "/"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--products", type=int, default=10000)
    parser.add_argument("--page", choices=("product", "catalogue", "search", "home"), default="product")
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    handle_signals()
    try:
        from pyinstrument import Profiler
    except ImportError:
        sys.exit("pyinstrument is not installed: .venv/bin/pip install -r requirements-dev.txt")
    with tempfile.TemporaryDirectory(prefix="profile-") as tmp:
        db = Database(args.backend, tmp, "profile", bulk_products=args.products)
        try:
            os.environ.update({"SHOP_CONFIG": "production", "SECRET_KEY": secrets.token_urlsafe(36),
                               "SESSION_COOKIE_SECURE": "false", "PUBLIC_BASE_URL": "http://localhost",
                               "ALLOW_LOCAL_STRIPE": "1", "STRIPE_SECRET_KEY": "sk_test_profile",
                               "STRIPE_PUBLISHABLE_KEY": "pk_test_profile", "STRIPE_WEBHOOK_SECRET": "whsec_profile",
                               "DATABASE_URL": db.url, "MEDIA_ROOT": db.media, "PAGE_CACHE": "false"})
            sys.path.insert(0, str(ROOT))
            from wsgi import app

            low, high = db.rows("SELECT min(id), max(id) FROM products WHERE sku LIKE 'BULK-%'")[0]
            pages = -(-db.scalar("SELECT count(*) FROM products WHERE is_active") // 24)
            client = app.test_client()
            source = paths(args.page, low, high, pages)
            for _ in range(30):  # warm up: compiled statements, templates, the search words
                client.get(next(source))
            profiler = Profiler(interval=0.0005)
            started = time.perf_counter()
            with profiler:
                for _ in range(args.requests):
                    path = next(source)
                    status = client.get(path).status_code
                    if status != 200:
                        raise SystemExit(f"{path} answered {status}")
            elapsed = time.perf_counter() - started
            print(f"{args.backend}, {args.products:,} products, {args.page} pages: "
                  f"{1000 * elapsed / args.requests:.2f} ms per request under the profiler")
            print(profiler.output_text(unicode=False, color=False))
        finally:
            db.drop()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
