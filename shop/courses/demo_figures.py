"""Diagram-like PNG figures for the demo lessons, and a handwritten-looking demo signature, drawn with Pillow.

A figure is a tuple (kind, title, *data) written beside the lesson text in shop.courses.demo_lessons:
- ("steps", title, [label, ...]): labelled boxes joined by arrows, e.g. Shorten -> Lock -> Stretch;
- ("muscle", title, muscle name, trigger point label, referral label): a muscle outline with a trigger
  point marked and its referral zone shaded;
- ("cycle", title, [label, ...]): labels round a circle with arrows, e.g. the pain-spasm cycle;
- ("compare", title, (heading, [item, ...]), (heading, [item, ...])): two columns side by side;
- ("scale", title, low label, high label, [(position 0-10, label), ...]): a graded bar with marks.
The same figure always draws the same bytes, so drawings are cached for the process.
"""

import io
import math
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 960, 540
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
INK = (33, 47, 61)
ACCENT = (31, 111, 139)
SOFT = (220, 236, 242)
WARM = (200, 54, 54)
WARM_SOFT = (250, 222, 214)


@lru_cache(maxsize=16)
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    try:
        return ImageFont.truetype(str(path), size)
    except OSError:
        return ImageFont.load_default(size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=font) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def _centred(draw, box, text, font, fill=INK, spacing=6):
    left, top, right, bottom = box
    lines = _wrap(draw, text, font, right - left - 16)
    height = sum(font.size + spacing for _ in lines) - spacing
    y = (top + bottom - height) / 2
    for line in lines:
        draw.text(((left + right - draw.textlength(line, font=font)) / 2, y), line, font=font, fill=fill)
        y += font.size + spacing


def _arrow(draw, start, end, fill=ACCENT, width=5, head=16):
    draw.line([start, end], fill=fill, width=width)
    angle = math.atan2(end[1] - start[1], end[0] - start[0])
    for side in (-0.45, 0.45):
        draw.line([end, (end[0] - head * math.cos(angle + side), end[1] - head * math.sin(angle + side))],
                  fill=fill, width=width)


def _canvas(title):
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, WIDTH - 1, HEIGHT - 1], outline=SOFT, width=4)
    _centred(draw, (40, 18, WIDTH - 40, 78), title, _font(30, bold=True))
    return image, draw


def _steps(draw, labels):
    count = len(labels)
    gap = 50 if count <= 4 else 30
    box_width = (WIDTH - 80 - gap * (count - 1)) / count
    size = {1: 26, 2: 26, 3: 26, 4: 21}.get(count, 18)
    for index, label in enumerate(labels):
        left = 40 + index * (box_width + gap)
        box = (left, 170, left + box_width, 400)
        draw.rounded_rectangle(box, radius=18, fill=SOFT, outline=ACCENT, width=4)
        draw.text((left + 14, 180), str(index + 1), font=_font(22, bold=True), fill=ACCENT)
        _centred(draw, (left, 205, left + box_width, 400), label, _font(size, bold=True))
        if index < count - 1:
            _arrow(draw, (left + box_width + 4, 285), (left + box_width + gap - 4, 285), head=12 if gap < 50 else 16)


def _dashed(draw, start, end, fill, width=3, dash=14):
    length = math.dist(start, end)
    steps = max(int(length // dash), 1)
    for index in range(0, steps, 2):
        a, b = index / steps, min((index + 1) / steps, 1)
        draw.line([(start[0] + (end[0] - start[0]) * a, start[1] + (end[1] - start[1]) * a),
                   (start[0] + (end[0] - start[0]) * b, start[1] + (end[1] - start[1]) * b)], fill=fill, width=width)


def _muscle(draw, name, point, referral):
    """The muscle with its taut band and trigger point on the left; the pain it refers, away from it."""
    _centred(draw, (40, 120, 500, 170), name, _font(26, bold=True))
    body = [(70, 300), (150, 225), (260, 205), (370, 225), (450, 300), (370, 375), (260, 395), (150, 375)]
    draw.polygon(body, fill=(236, 170, 160), outline=INK)
    draw.line([(20, 300), (70, 300)], fill=INK, width=8)  # tendons at each end
    draw.line([(450, 300), (500, 300)], fill=INK, width=8)
    for offset in (-50, -25, 25, 50):  # fibres
        draw.line([(100, 300 + offset * 0.6), (420, 300 + offset * 0.6)], fill=(205, 120, 110), width=2)
    draw.line([(100, 300), (420, 300)], fill=(150, 60, 50), width=7)  # the taut band
    draw.ellipse((240, 280, 280, 320), fill=WARM, outline=INK, width=2)  # the trigger point, in the band
    _dashed(draw, (160, 300), (150, 440), INK, width=2)
    draw.text((60, 448), "taut band along the fibres", font=_font(20), fill=INK)
    _centred(draw, (340, 430, 580, 470), point, _font(24, bold=True), fill=WARM)
    _dashed(draw, (430, 436), (274, 316), WARM, width=3)
    zone = (640, 250, 900, 420)  # where the client feels it: elsewhere
    draw.ellipse(zone, fill=WARM_SOFT, outline=WARM, width=3)
    _centred(draw, (600, 430, 940, 500), referral, _font(20), fill=WARM)
    _dashed(draw, (285, 295), (630, 330), WARM, width=4)
    _arrow(draw, (600, 326), (636, 331), fill=WARM, width=4, head=14)
    _centred(draw, (520, 180, 940, 240), "pain felt away from the point", _font(20, bold=True), fill=WARM)


def _cycle(draw, labels):
    count = len(labels)
    centre, radius = (WIDTH / 2, 300), 170
    points = []
    for index in range(count):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        points.append((centre[0] + radius * 1.6 * math.cos(angle), centre[1] + radius * math.sin(angle)))
    for index, (x, y) in enumerate(points):
        nx, ny = points[(index + 1) % count]
        fraction = 0.3
        _arrow(draw, (x + (nx - x) * fraction, y + (ny - y) * fraction),
               (x + (nx - x) * (1 - fraction), y + (ny - y) * (1 - fraction)))
    for x, y in points:
        box = (x - 120, y - 45, x + 120, y + 45)
        draw.rounded_rectangle(box, radius=40, fill=SOFT, outline=ACCENT, width=4)
        _centred(draw, box, labels[points.index((x, y))], _font(21, bold=True))


def _compare(draw, left, right):
    for index, (heading, items) in enumerate((left, right)):
        x = 50 + index * 440
        draw.rounded_rectangle((x, 100, x + 420, 510), radius=16, outline=ACCENT, width=4,
                               fill=SOFT if index == 0 else WARM_SOFT)
        _centred(draw, (x, 110, x + 420, 160), heading, _font(26, bold=True))
        y = 180
        for item in items:
            lines = _wrap(draw, item, _font(21), 360)
            draw.ellipse((x + 22, y + 8, x + 34, y + 20), fill=ACCENT if index == 0 else WARM)
            for line in lines:
                draw.text((x + 46, y), line, font=_font(21), fill=INK)
                y += 28
            y += 14


def _scale(draw, low, high, marks):
    left, right, top = 80, WIDTH - 80, 250
    for step in range(100):
        shade = step / 99
        colour = tuple(int(a + (b - a) * shade) for a, b in zip(SOFT, WARM, strict=True))
        x = left + (right - left) * step / 100
        draw.rectangle((x, top, x + (right - left) / 100 + 1, top + 60), fill=colour)
    draw.rectangle((left, top, right, top + 60), outline=INK, width=3)
    draw.text((left, top + 75), low, font=_font(22, bold=True), fill=INK)
    draw.text((right - draw.textlength(high, font=_font(22, bold=True)), top + 75), high,
              font=_font(22, bold=True), fill=INK)
    for index, (position, label) in enumerate(marks):
        x = left + (right - left) * position / 10
        y = top - 20 if index % 2 == 0 else top + 130
        draw.line([(x, top - 5), (x, top + 65)], fill=INK, width=4)
        text_y = y - 70 if index % 2 == 0 else y
        _centred(draw, (x - 140, text_y, x + 140, text_y + 60), label, _font(20, bold=True))


_DRAW = {"steps": _steps, "muscle": _muscle, "cycle": _cycle, "compare": _compare, "scale": _scale}


_DRAWN: dict[str, bytes] = {}


def figure_png(figure: tuple) -> bytes:
    """The PNG for a figure spec (see the module docstring)."""
    key = repr(figure)
    if key not in _DRAWN:
        _DRAWN[key] = _draw_figure(figure)
    return _DRAWN[key]


def _draw_figure(figure):
    kind, title, *data = figure
    image, draw = _canvas(title)
    _DRAW[kind](draw, *data)
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()


def _stroke(points, t_values):
    return [points(t) for t in t_values]


@lru_cache(maxsize=4)
def signature_png(seed_text: str = "M. Sanderson") -> bytes:
    """A handwritten-looking signature: smooth pen strokes in dark blue ink on a transparent background.

    Drawn four times larger and scaled down, so the strokes are anti-aliased; the loops are cursive
    letter shapes (a trochoid) with a capital flourish in front and an underline after.
    """
    scale = 4
    width, height = 600 * scale, 200 * scale
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    ink = (20, 35, 90, 255)
    wobble = sum(map(ord, seed_text)) % 7 / 10

    def pen(points, thickness):
        for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
            draw.line([(x1 * scale, y1 * scale), (x2 * scale, y2 * scale)], fill=ink, width=thickness * scale)
        for x, y in points[:: max(1, len(points) // 60)]:
            r = thickness * scale / 2
            draw.ellipse((x * scale - r, y * scale - r, x * scale + r, y * scale + r), fill=ink)

    steps = [i / 400 for i in range(401)]
    # a capital: a tall loop that sweeps down and into the first letters
    pen(_stroke(lambda t: (70 + 40 * math.sin(math.pi * 2 * t) * (1 - t) + 30 * t,
                           110 - 80 * math.sin(math.pi * t) + 20 * t), steps), 4)
    # running letters: a trochoid whose loops shrink and grow like handwriting
    pen(_stroke(lambda t: (100 + 360 * t + 14 * math.cos(t * 2 * math.pi * 9 + wobble),
                           118 - (22 + 10 * math.sin(t * 7)) * abs(math.sin(t * math.pi * 9 + wobble))), steps), 3)
    # a tall stroke in the middle (an "l" or "d") and the underline flourish
    pen(_stroke(lambda t: (300 + 12 * math.sin(math.pi * t), 125 - 90 * math.sin(math.pi * t)), steps), 3)
    pen(_stroke(lambda t: (80 + 440 * t, 150 + 12 * math.sin(math.pi * t * 1.5) - 10 * t), steps), 3)
    image = image.resize((600, 200), Image.LANCZOS)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
