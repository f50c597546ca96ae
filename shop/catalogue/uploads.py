"""Product images uploaded in the back office: checked, resized and re-encoded with Pillow.

Only JPEG, PNG and WebP up to 5 MB are taken. Every image is decoded and written anew (at most
1200 px on its longer side, turned upright from its EXIF orientation, with no metadata: no EXIF, GPS
or colour profile survives), so what we serve is always an image we produced ourselves.
Files go to the public store (shop.core.storage) under products/ with a random suffix; the row keeps
the key and the alt text.
"""

import contextlib
import io
import secrets
import warnings
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError

from shop.catalogue.admin import CatalogueError, slugify
from shop.catalogue.models import Product, ProductImage
from shop.core import audit
from shop.core.storage import Storage, StorageError
from shop.core.timeutil import utcnow
from shop.extensions import db

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 1200
MAX_PIXELS = 40_000_000  # a 5 MB file that decodes to more than this is a decompression bomb
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
TOO_BIG = "That image is larger than 5 MB. Save it smaller (1200 pixels wide is plenty) and upload it again."
WRONG_TYPE = "That file is not a JPEG, PNG or WebP image. Export it in one of those formats and try again."


def read_upload(upload: Any) -> bytes:
    """The uploaded file's bytes; CatalogueError when there is none (422) or it is over 5 MB (413)."""
    if upload is None or not getattr(upload, "filename", ""):
        raise CatalogueError("Choose an image file to upload.", "image")
    data = upload.stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise CatalogueError(TOO_BIG, "image", status=413)
    if not data:
        raise CatalogueError("That file is empty. Choose an image file.", "image")
    return data


def reencode(data: bytes) -> tuple[bytes, str, int, int]:
    """(bytes, extension, width, height) of the cleaned image; CatalogueError (422) when it is not one we take."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            kind = image.format
            if kind not in FORMATS:
                raise CatalogueError(WRONG_TYPE, "image")
            if image.width * image.height > MAX_PIXELS:
                raise CatalogueError("That image has too many pixels. Make it smaller and try again.", "image")
            image.load()
            image = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError,
            SyntaxError, ValueError):
        raise CatalogueError(WRONG_TYPE, "image") from None
    if kind == "JPEG":
        image = image.convert("RGB") if image.mode not in ("RGB", "L") else image
    elif image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA")
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    image.info = {}  # no EXIF, ICC profile, comments or text chunks are written back
    out = io.BytesIO()
    if kind == "JPEG":
        image.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    elif kind == "PNG":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "WEBP", quality=85, method=4)
    return out.getvalue(), FORMATS[kind], image.width, image.height


def store_image(upload: Any, store: Storage, stem: str) -> str:
    """Check and re-encode an uploaded image, save it as `stem`-<random>.<ext> in `store`; returns its key.
    CatalogueError (field "image") when it is missing, too big or not an image we take."""
    data, extension, _width, _height = reencode(read_upload(upload))
    key = f"{stem}-{secrets.token_hex(4)}.{extension}"
    store.save(key, data)
    return key


def add_image(product: Product, upload: Any, alt_text: str, store: Storage, actor: Any = None) -> ProductImage:
    """Store an uploaded image as the product's last image. Commits; CatalogueError if refused."""
    alt_text = (alt_text or "").strip()
    if not alt_text:
        raise CatalogueError("Describe the image for people who cannot see it.", "alt_text")
    data, extension, width, height = reencode(read_upload(upload))
    relative = f"products/{slugify(product.slug, 60) or 'product'}-{secrets.token_hex(4)}.{extension}"
    store.save(relative, data)
    position = max((i.position for i in product.images), default=-1) + 1
    image = ProductImage(filename=relative, alt_text=alt_text[:300], width=width, height=height, position=position)
    product.images.append(image)
    product.updated_at = utcnow()
    audit.record("image added", "product", product.id, f"{relative} ({width}×{height}), alt “{alt_text[:80]}”",
                 actor=actor)
    try:
        db.session.commit()
    except Exception:
        store.delete(relative)
        raise
    return image


def _image_of(product: Product, image_id: int) -> ProductImage:
    image = next((i for i in product.images if i.id == image_id), None)
    if image is None:
        raise CatalogueError("That image is not one of this product's.", status=404)
    return image


def remove_image(product: Product, image_id: int, store: Storage, actor: Any = None) -> None:
    image = _image_of(product, image_id)
    filename = image.filename
    product.images.remove(image)
    product.updated_at = utcnow()
    audit.record("image removed", "product", product.id, filename, actor=actor)
    db.session.commit()
    shared = db.session.scalar(db.select(ProductImage.id).where(ProductImage.filename == filename).limit(1))
    if shared is None:
        with contextlib.suppress(StorageError, OSError):
            store.delete(filename)


def make_main(product: Product, image_id: int, actor: Any = None) -> None:
    """Put an image first (the one cards and the product page show)."""
    image = _image_of(product, image_id)
    others = [i for i in product.images if i.id != image.id]
    for position, item in enumerate([image, *others]):
        item.position = position
    product.updated_at = utcnow()
    audit.record("image made main", "product", product.id, image.filename, actor=actor)
    db.session.commit()
