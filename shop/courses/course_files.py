"""A course's files: handouts and charts, lesson videos and the images inside lesson text.

Files go to private storage (shop.core.storage.private) under courses/<product id>/ with an unguessable
name; nothing serves that folder, so a file is handed out only after an access check. A file's type is
judged from its first bytes, and its name must agree: PDF, PNG or JPEG materials up to 20 MB, MP4 or WebM
videos up to 500 MB, PNG, JPEG or WebP lesson images up to 5 MB, re-encoded with Pillow like product images
(shop.catalogue.uploads.reencode) so no metadata survives. Every change is audited against the product.
"""

from typing import Any

from shop.catalogue.admin import CatalogueError
from shop.catalogue.models import Product
from shop.catalogue.uploads import reencode
from shop.core import storage
from shop.courses import content
from shop.courses.authoring import AuthoringError, forget_files, record
from shop.courses.models import PURPOSE_IMAGE, PURPOSE_MATERIAL, PURPOSE_VIDEO, CourseFile, Lesson
from shop.extensions import db

MB = 1024 * 1024
LIMITS = {PURPOSE_MATERIAL: 20 * MB, PURPOSE_VIDEO: 500 * MB, PURPOSE_IMAGE: 5 * MB}
LIMIT_TEXT = {PURPOSE_MATERIAL: "20 MB", PURPOSE_VIDEO: "500 MB", PURPOSE_IMAGE: "5 MB"}
# what each purpose takes: {detected type: (extensions the name may have, content type)}
TYPES = {
    PURPOSE_MATERIAL: {"pdf": (("pdf",), "application/pdf"), "png": (("png",), "image/png"),
                       "jpg": (("jpg", "jpeg"), "image/jpeg")},
    PURPOSE_VIDEO: {"mp4": (("mp4", "m4v"), "video/mp4"), "webm": (("webm",), "video/webm")},
    PURPOSE_IMAGE: {"png": (("png",), "image/png"), "jpg": (("jpg", "jpeg"), "image/jpeg"),
                    "webp": (("webp",), "image/webp")},
}
WRONG_TYPE = {PURPOSE_MATERIAL: "That file is not a PDF, PNG or JPEG. Save it in one of those formats and try again.",
              PURPOSE_VIDEO: "That file is not an MP4 or WebM video. Export it in one of those formats and try again.",
              PURPOSE_IMAGE: "That file is not a PNG, JPEG or WebP image. Export it in one of those formats and "
                             "try again."}
MAGIC = ((b"%PDF-", 0, "pdf"), (b"\x89PNG\r\n\x1a\n", 0, "png"), (b"\xff\xd8\xff", 0, "jpg"), (b"WEBP", 8, "webp"),
         (b"ftyp", 4, "mp4"), (b"\x1a\x45\xdf\xa3", 0, "webm"))  # (bytes, at offset, type)


# ---- files --------------------------------------------------------------------------------------------

def _sniff(data: bytes) -> str:
    """The file's type from its first bytes: pdf, png, jpg, webp, mp4, webm, or ""."""
    return next((kind for magic, at, kind in MAGIC if data[at:at + len(magic)] == magic), "")


def read_upload(upload: Any, purpose: str) -> bytes:
    """The uploaded file's bytes; AuthoringError when there is none (422) or it is over the limit (413)."""
    if purpose not in LIMITS:
        raise AuthoringError("Choose what the file is for.", "purpose")
    if upload is None or not getattr(upload, "filename", ""):
        raise AuthoringError("Choose a file to upload.", "upload")
    data = upload.stream.read(LIMITS[purpose] + 1)
    if len(data) > LIMITS[purpose]:
        raise AuthoringError(f"That file is larger than {LIMIT_TEXT[purpose]}. Make it smaller and upload it again.",
                             "upload", status=413)
    if not data:
        raise AuthoringError("That file is empty. Choose another.", "upload")
    return data


def add_file(product: Product, upload: Any, *, purpose: str, title: str, lesson: Lesson | None = None,
             actor: Any) -> CourseFile:
    """Store an uploaded material, video or lesson image of the course (or of one lesson). Commits."""
    data = read_upload(upload, purpose)
    name = (getattr(upload, "filename", "") or "")[-255:]
    title = " ".join((title or "").split())[:200] or name.rsplit("/", 1)[-1][:200] or "File"
    if purpose == PURPOSE_VIDEO and lesson is None:
        raise AuthoringError("A video belongs to a lesson: upload it on the lesson's page.", "purpose")
    if purpose == PURPOSE_VIDEO and lesson.video_url:
        raise AuthoringError("This lesson embeds a video from its address. Remove the address first to upload "
                             "a video file instead.", "upload")
    kind = _sniff(data)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    accepted = TYPES[purpose].get(kind)
    if accepted is None or extension not in accepted[0]:
        raise AuthoringError(WRONG_TYPE[purpose], "upload")
    content_type = accepted[1]
    if purpose == PURPOSE_IMAGE:
        try:
            data, kind, _width, _height = reencode(data)
        except CatalogueError:
            raise AuthoringError(WRONG_TYPE[purpose], "upload") from None
        content_type = TYPES[purpose][kind][1]
    replaced = [f for f in (lesson.files if lesson is not None else []) if purpose == PURPOSE_VIDEO == f.purpose]
    key = storage.new_key(f"courses/{product.id}", kind)
    store = storage.private()
    store.save(key, data)
    siblings = content.files_of(product.id)
    row = CourseFile(product_id=product.id, lesson_id=lesson.id if lesson is not None else None, purpose=purpose,
                     title=title, storage_key=key, content_type=content_type, size_bytes=len(data),
                     original_name=name, position=max((f.position for f in siblings), default=-1) + 1)
    db.session.add(row)
    for old in replaced:
        db.session.delete(old)
    where = f" to “{lesson.title}”" if lesson is not None else ""
    record(product.id, "file added", f"{purpose} “{title}” ({len(data) // 1024} KB){where}", actor)
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        store.delete(key)
        raise
    forget_files([f.storage_key for f in replaced])
    return row


def delete_file(product: Product, file_id: int, *, actor: Any) -> None:
    row = content.file_of(product.id, file_id)
    if row is None:
        raise AuthoringError("That file is not one of this course's.", status=404)
    key = row.storage_key
    record(product.id, "file deleted", f"{row.purpose} “{row.title}”", actor)
    db.session.delete(row)
    db.session.commit()
    forget_files([key])
