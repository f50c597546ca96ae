"""Outgoing e-mail: an outbox table and the worker that sends it with Flask-Mail."""
