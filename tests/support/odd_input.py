"""Nonsense a visitor may send in a URL, a query string or a form: every route must answer it with a 4xx."""

ODD_VALUES = ["-1", "99999999999999999999", "x" * 300, "../../etc/passwd", "é"]
