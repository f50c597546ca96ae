"""The order line: phone orders keyed in by staff while the caller waits, callers found, and the call log."""
