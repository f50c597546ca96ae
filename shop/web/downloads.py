"""Files the back office hands out: a CSV as an attachment that no cache keeps."""

from flask import Response


def csv_download(text: str, filename: str) -> Response:
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})
