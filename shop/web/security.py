"""Security headers on every response, and the content-security policy the pages are written for.

The policy allows scripts only from the shop itself and Stripe.js; frames only from Stripe (its card
fields and 3-D Secure) and the two video hosts lessons embed; connections only to the shop and Stripe's
API. No page has an inline script or an on* handler (scripts live in static/js), so none is allowed.
With the files in an object store (STORAGE_URL), images and videos also load from it: /media/ and course files
answer with a redirect to its signed URLs.
"""

from urllib.parse import urlsplit

from flask import Flask, Response, current_app

VIDEO_FRAME_SOURCES = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")
STRIPE_FRAME_SOURCES = ("https://js.stripe.com", "https://hooks.stripe.com")
STRIPE_API = "https://api.stripe.com"
HSTS = "max-age=31536000; includeSubDomains"


def _origin(url: str) -> str | None:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


def _object_store(config: dict) -> tuple[str, ...]:
    if not config.get("STORAGE_URL"):
        return ()
    return (_origin(config.get("S3_ENDPOINT_URL", "")) or "https://*.amazonaws.com",)


def content_security_policy(config: dict) -> str:
    stripe_js = _origin(config.get("STRIPE_JS_URL", "")) or "https://js.stripe.com"
    api = _origin(config.get("STRIPE_JS_API_BASE", "")) or STRIPE_API
    scripts = " ".join(dict.fromkeys(("'self'", stripe_js)))
    frames = " ".join(dict.fromkeys(("'self'", *STRIPE_FRAME_SOURCES, stripe_js, *VIDEO_FRAME_SOURCES)))
    connect = " ".join(dict.fromkeys(("'self'", api, STRIPE_API)))
    images = " ".join(("'self'", "data:", *_object_store(config)))
    media = " ".join(("'self'", *_object_store(config)))
    return (f"default-src 'self'; script-src {scripts}; frame-src {frames}; connect-src {connect}; "
            f"img-src {images}; media-src {media}; style-src 'self' 'unsafe-inline'; font-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def init_app(app: Flask) -> None:
    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        if "Content-Security-Policy" not in headers:  # from the settings now (make run points them locally)
            headers["Content-Security-Policy"] = content_security_policy(current_app.config)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), usb=(), "
                                                 'payment=(self "https://js.stripe.com")')
        if current_app.config.get("HSTS"):
            headers.setdefault("Strict-Transport-Security", HSTS)
        return response
