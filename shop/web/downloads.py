"""Files handed out as attachments that no shared cache keeps: the back office's CSVs, receipts as PDFs."""

from flask import Response


def csv_download(text: str, filename: str) -> Response:
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


def pdf_download(data: bytes, filename: str) -> Response:
    """A PDF the browser saves (a receipt): private to the person who asked, never kept by a cache."""
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"})
