"""The pricing module: pure functions over plain data. No Flask, SQLAlchemy or stripe imports here."""
