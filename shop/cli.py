"""Command-line tasks: `flask seed-demo`, `flask seed-bulk --products N`."""

import click
from flask import current_app

from shop.catalogue import seeding


def init_app(app):
    @app.cli.command("seed-demo")
    def seed_demo():
        """Load the demo catalogue (safe to run again: nothing is duplicated)."""
        result = seeding.load_demo(current_app.config["MEDIA_ROOT"])
        click.echo(f"Demo catalogue ready: {result['products']} products in {result['categories']} categories "
                   f"({result['created']} rows new).")

    @app.cli.command("seed-bulk")
    @click.option("--products", "count", type=click.IntRange(1, 1_000_000), required=True,
                  help="How many synthetic products to add.")
    def seed_bulk(count):
        """Add a large synthetic catalogue for benchmarks."""
        seeding.load_bulk(count)
        click.echo(f"Added {count} synthetic products.")
