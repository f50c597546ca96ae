"""The publisher's own pages beside the catalogue: articles (and the professionals directory)."""
