"""Product artwork the shop draws itself: an SVG cover per product, in the house colours."""

import hashlib
import html
import textwrap

from shop.core.storage import Storage

PALETTES = {
    "book": ("#1f4e5f", "#f4efe6", "#c8553d"),
    "course": ("#2e5e4e", "#f1f5ef", "#e0a458"),
    "combo": ("#5b3a6b", "#f6f0f8", "#e0a458"),
    "membership": ("#283b63", "#eef2fa", "#7fb7be"),
}
KIND_BADGES = {"book": "BOOK", "course": "HOME STUDY", "combo": "COMBO DEAL", "membership": "MEMBERSHIP"}
WIDTH, HEIGHT = 600, 800


def cover_svg(title: str, kind: str, subtitle: str = "") -> str:
    ink, paper, accent = PALETTES.get(kind, PALETTES["course"])
    seed = int(hashlib.sha256(title.encode()).hexdigest()[:8], 16)
    lines = textwrap.wrap(title, 16)[:5]
    title_svg = "".join(
        f'<text x="60" y="{300 + i * 62}" font-size="52" font-weight="700" fill="{paper}">{html.escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    sub_lines = textwrap.wrap(subtitle, 30)[:2]
    sub_top = 330 + len(lines) * 62
    sub = "".join(
        f'<text x="60" y="{sub_top + i * 36}" font-family="sans-serif" font-size="28" fill="{paper}">'
        f"{html.escape(line)}</text>"
        for i, line in enumerate(sub_lines)
    )
    waves = "".join(
        f'<path d="M0 {620 + i * 26} Q150 {590 + i * 26 + (seed >> i) % 40} 300 {620 + i * 26} '
        f'T600 {620 + i * 26}" stroke="{accent}" stroke-width="6" fill="none" opacity="{0.9 - i * 0.15:.2f}"/>'
        for i in range(5)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-label="{html.escape(title)}">'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{ink}"/>'
        f'<rect x="30" y="30" width="{WIDTH - 60}" height="{HEIGHT - 60}" fill="none" '
        f'stroke="{accent}" stroke-width="4"/>'
        f'<text x="60" y="120" font-family="sans-serif" font-size="26" letter-spacing="4" fill="{accent}">'
        f"{KIND_BADGES.get(kind, '')}</text>"
        f'<g font-family="Georgia, serif">{title_svg}</g>'
        f"{sub}"
        f"{waves}</svg>"
    )


def write_cover(store: Storage, slug: str, title: str, kind: str, subtitle: str = "") -> str:
    """Save the cover as products/<slug>.svg in the public store and return its key."""
    key = f"products/{slug}.svg"
    store.save(key, cover_svg(title, kind, subtitle).encode("utf-8"))
    return key
