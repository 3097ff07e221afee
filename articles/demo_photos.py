"""Deterministic, stylised demo photographs drawn with Pillow for the demo loader."""

import math
import random

from PIL import Image, ImageColor, ImageDraw

SCALE = 2  # draw at double size, then downsample for smooth edges
PRODUCE = [(214, 69, 65), (241, 143, 1), (106, 153, 78), (238, 200, 70), (142, 68, 173)]


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _shade(c, f):
    """f < 1 darkens, f > 1 lightens."""
    return _mix(c, (0, 0, 0), 1 - f) if f < 1 else _mix(c, (255, 255, 255), f - 1)


def _gradient(d, box, top, bottom):
    x0, y0, x1, y1 = box
    for y in range(y0, y1):
        d.line([(x0, y), (x1, y)], fill=_mix(top, bottom, (y - y0) / max(1, y1 - y0 - 1)))


def _ridge(d, w, h, base, amp, freq, phase, color):
    step = max(1, w // 80)
    pts = [(x, base - amp * math.sin(x / w * math.pi * freq + phase)) for x in range(0, w + step, step)]
    d.polygon([*pts, (w, h), (0, h)], fill=color)


def _sun(d, w, h, c, x=0.78, y=0.22):
    r = 0.06 * w
    d.ellipse([x * w - r, y * h - r, x * w + r, y * h + r], fill=_mix(c[2], (255, 236, 190), 0.6))


def _hills(img, d, w, h, c, rng):
    _sun(d, w, h, c)
    for i in range(4):
        color = _mix(_mix(c[1], c[2], 0.45), _shade(c[0], 0.75), i / 3)
        _ridge(d, w, h, h * (0.45 + 0.14 * i), h * 0.06, rng.uniform(1.2, 2.6), rng.uniform(0, 6.3), color)


def _river(img, d, w, h, c, rng):
    hz = int(h * 0.45)
    _ridge(d, w, h, hz - h * 0.03, h * 0.05, 1.7, rng.uniform(0, 6.3), _mix(c[1], c[2], 0.3))
    d.rectangle([0, hz, w, h], fill=_shade(c[1], 0.7))
    ts = [i / 40 for i in range(41)]
    bank = [(w * (0.5 + 0.08 * math.sin(t * 5)), hz + (h - hz) * t, w * (0.03 + 0.45 * t)) for t in ts]
    water = [(x - half, y) for x, y, half in bank] + [(x + half, y) for x, y, half in bank[::-1]]
    d.polygon(water, fill=_mix(c[1], c[2], 0.55))
    for i in range(14):  # ripples, wider and further apart towards the viewer
        t = (i + 0.5) / 14
        y, x = hz + (h - hz) * t * t, w * (0.5 + 0.08 * math.sin(t * t * 5) + rng.uniform(-0.2, 0.2) * t)
        half = w * 0.05 * t
        d.line([(x - half, y), (x + half, y)], fill=_shade(c[2], 1.1), width=max(2, int(6 * t)))


def _bridge(img, d, w, h, c, rng):
    water, deck, thick, spans = int(h * 0.68), int(h * 0.42), int(h * 0.045), 4
    _ridge(d, w, h, water - h * 0.04, h * 0.04, 1.3, rng.uniform(0, 6.3), _mix(c[1], c[2], 0.4))
    _gradient(d, (0, water, w, h), _mix(c[1], c[2], 0.3), _shade(c[0], 0.8))
    stone, rail, lw = _shade(c[0], 0.85), deck - h * 0.03, max(1, w // 800)
    a, b = w / spans / 2, water - deck - thick  # half-span and rise of each arch
    for i in range(spans):
        cx = a * (2 * i + 1)
        d.arc([cx - a, deck + thick, cx + a, deck + thick + 2 * b], 180, 360, fill=stone, width=h // 40)
        for k in range(1, 8):
            x = cx - a + 2 * a * k / 8
            y = deck + thick + b - b * math.sqrt(max(0.0, 1 - ((x - cx) / a) ** 2))
            d.line([(x, deck + thick), (x, y)], fill=stone, width=int(w * 0.004))
        y = water + h * 0.05
        d.line([(cx - a * 0.6, y), (cx + a * 0.6, y)], fill=_shade(c[2], 0.9), width=lw)
    for px in (2 * a * i for i in range(spans + 1)):  # piers
        d.rectangle([px - w * 0.015, deck, px + w * 0.015, water + lw], fill=_shade(stone, 0.85))
    d.rectangle([0, deck, w, deck + thick], fill=stone)
    d.line([(0, rail), (w, rail)], fill=stone, width=2 * lw)
    for x in range(0, w, int(w * 0.02)):
        d.line([(x, rail), (x, deck)], fill=stone, width=lw)


def _city(img, d, w, h, c, rng):
    _sun(d, w, h, c, 0.2, 0.25)
    ground, u = int(h * 0.86), max(2, w // 170)  # u: window size
    layers = [(0.3, 0.55, _mix(c[1], c[2], 0.4)), (0.15, 0.45, _shade(c[0], 0.9))]  # far, then near
    for layer, (lo, hi, color) in enumerate(layers):
        x = -rng.randint(0, int(w * 0.05))
        while x < w:
            bw, top = rng.randint(int(w * 0.05), int(w * 0.11)), int(h * (rng.uniform(lo, hi) + layer * 0.15))
            d.rectangle([x, top, x + bw, ground], fill=color)
            for wy in range(top + u, ground - 2 * u, 3 * u) if layer else ():
                for wx in range(x + u, x + bw - 2 * u, 2 * u):
                    lit = rng.random() < 0.45
                    d.rectangle([wx, wy, wx + u, wy + 1.5 * u], fill=c[2] if lit else _shade(color, 1.15))
            x += bw + rng.randint(0, int(w * 0.01))
    d.rectangle([0, ground, w, h], fill=_shade(c[0], 0.6))


def _stadium(img, d, w, h, c, rng):
    d.ellipse([-0.1 * w, 0.25 * h, 1.1 * w, 1.7 * h], fill=_shade(c[0], 0.8))
    for k in (0.012, 0.024, 0.036, 0.048, 0.06):  # tiers of seats
        ring = [(-0.1 + k) * w, (0.25 + k) * h, (1.1 - k) * w, (1.7 - k) * h]
        d.ellipse(ring, outline=_shade(c[0], 1.2), width=max(2, w // 640))
    stripes = Image.new("RGB", (w, h))
    sd = ImageDraw.Draw(stripes)
    y, band, n = 0.42 * h, h * 0.035, 0
    while y < h:
        sd.rectangle([0, y, w, y + band], fill=c[1] if n % 2 else _shade(c[1], 0.85))
        y, band, n = y + band, band * 1.18, n + 1
    mask = Image.new("L", (w, h))
    ImageDraw.Draw(mask).ellipse([0.1 * w, 0.42 * h, 0.9 * w, 1.5 * h], fill=255)
    img.paste(stripes, (0, 0), mask)
    line, lw = _shade(c[2], 1.1), max(2, w // 640)
    pitch = [(0.3 * w, 0.5 * h), (0.7 * w, 0.5 * h), (0.86 * w, 0.97 * h), (0.14 * w, 0.97 * h)]
    d.polygon(pitch, outline=line, width=lw)
    d.line([(0.22 * w, 0.7 * h), (0.78 * w, 0.7 * h)], fill=line, width=lw)
    d.ellipse([0.43 * w, 0.65 * h, 0.57 * w, 0.75 * h], outline=line, width=lw)
    for x in (0.06 * w, 0.94 * w):  # floodlights
        d.rectangle([x - w * 0.002, 0.08 * h, x + w * 0.002, 0.4 * h], fill=_shade(c[0], 0.6))
        d.rectangle([x - w * 0.016, 0.05 * h, x + w * 0.016, 0.1 * h], fill=(255, 250, 225))


def _stage(img, d, w, h, c, rng):
    _gradient(d, (0, 0, w, h), _shade(c[0], 0.5), _shade(c[0], 0.25))
    floor, dark = int(h * 0.72), _shade(c[0], 0.3)
    d.polygon([(0.1 * w, floor), (0.9 * w, floor), (w, h), (0, h)], fill=_mix(c[2], (120, 80, 50), 0.6))
    mask = Image.new("L", (w, h))  # translucent spotlight cone and its pool of light
    md, pool = ImageDraw.Draw(mask), floor + 0.03 * h
    md.polygon([(0.47 * w, 0), (0.53 * w, 0), (0.68 * w, pool), (0.32 * w, pool)], fill=60)
    md.ellipse([0.3 * w, floor + 0.005 * h, 0.7 * w, floor + 0.055 * h], fill=60)
    img.paste(Image.new("RGB", (w, h), (255, 244, 200)), (0, 0), mask)
    feet = floor + 0.01 * h  # a performer's silhouette: head and a long coat
    d.ellipse([0.46 * w, 0.4 * h, 0.54 * w, 0.48 * h], fill=dark)
    d.polygon([(0.46 * w, 0.49 * h), (0.54 * w, 0.49 * h), (0.57 * w, feet), (0.43 * w, feet)], fill=dark)
    fold = int(w * 0.025)
    for i in range(9):  # curtain folds on both sides
        for x in (i * fold, w - (i + 1) * fold):
            d.rectangle([x, 0, x + fold, h], fill=_shade(c[1], 0.75 if i % 2 else 1.0))
    d.rectangle([0, 0, w, 0.12 * h], fill=_shade(c[1], 0.9))
    r, edge = w / 24, 0.12 * h
    for i in range(24):  # scalloped valance
        d.pieslice([(i * 2 - 0.5) * r, edge - r, (i * 2 + 1.5) * r, edge + r], 0, 180, fill=_shade(c[1], 0.8))


def _field(img, d, w, h, c, rng):
    _sun(d, w, h, c, 0.7, 0.2)
    hz = int(h * 0.42)
    for i in range(40):  # tree line on the horizon
        x, r = i * w / 39, rng.uniform(0.015, 0.035) * w
        d.ellipse([x - r, hz - r, x + r, hz + r * 0.3], fill=_shade(c[0], 0.7))
    rows = 30  # furrows converge on a vanishing point at the horizon
    for i in range(rows):
        x0, x1 = -2 * w + 5 * w * i / rows, -2 * w + 5 * w * (i + 1) / rows
        d.polygon([(w * 0.5, hz), (x0, h), (x1, h)], fill=c[1] if i % 2 else _shade(c[1], 0.78))


def _market(img, d, w, h, c, rng):
    _city(img, d, w, h, [_mix(ci, (255, 255, 255), 0.5) for ci in c], rng)
    _gradient(d, (0, int(h * 0.62), w, h), _shade(c[2], 0.8), _shade(c[2], 0.55))
    top, table, r = h * 0.3, h * 0.66, w * 0.018
    for s in range(3):
        x0, x1 = s * w / 3 + w * 0.03, (s + 1) * w / 3 - w * 0.03
        for x in (x0 + w * 0.003, x1 - w * 0.01):
            d.rectangle([x, top, x + w * 0.007, h * 0.85], fill=(90, 62, 40))
        stripe = (x1 - x0) / 8
        for i in range(8):  # awning stripes with a scalloped edge
            color, left = c[s % 2] if i % 2 else (250, 246, 236), x0 + i * stripe
            d.rectangle([left, top, left + stripe, top + h * 0.1], fill=color)
            edge = top + h * 0.1
            d.pieslice([left, edge - stripe / 2, left + stripe, edge + stripe / 2], 0, 180, fill=color)
        d.rectangle([x0, table, x1, h * 0.72], fill=(139, 94, 60))
        for row in range(2):
            for cx in range(int(x0 + r * (1.2 + row)), int(x1 - r), int(2.2 * r)):
                y = table - r * (0.8 + 1.4 * row)
                d.ellipse([cx - r, y - r, cx + r, y + r], fill=rng.choice(PRODUCE))


def _parliament(img, d, w, h, c, rng):
    stone, shadow = _mix(c[2], (230, 220, 200), 0.5), _mix(c[2], (120, 110, 100), 0.5)
    d.rectangle([0, 0.85 * h, w, h], fill=_mix(c[0], c[1], 0.5))
    d.rectangle([0.12 * w, 0.45 * h, 0.88 * w, 0.8 * h], fill=stone)
    for i in range(4):  # steps
        k, tone = i * 0.012, _shade(stone, 1 - i * 0.05)
        d.rectangle([(0.3 - k) * w, (0.8 + k) * h, (0.7 + k) * w, (0.812 + k) * h], fill=tone)
    for i in range(16):  # two rows of four windows in each wing
        x, y = ((0.14, 0.72)[i // 8] + i % 4 * 0.035) * w, (0.52 + i // 4 % 2 * 0.13) * h
        d.rectangle([x, y, x + 0.02 * w, y + 0.08 * h], fill=shadow)
    d.ellipse([0.38 * w, 0.12 * h, 0.62 * w, 0.42 * h], fill=_shade(c[1], 0.9))  # dome, its base hidden below
    d.rectangle([0.4 * w, 0.27 * h, 0.6 * w, 0.38 * h], fill=stone)
    d.rectangle([0.495 * w, 0.04 * h, 0.505 * w, 0.13 * h], fill=shadow)
    d.rectangle([0.505 * w, 0.04 * h, 0.55 * w, 0.07 * h], fill=c[1])
    d.polygon([(0.28 * w, 0.42 * h), (0.72 * w, 0.42 * h), (0.5 * w, 0.3 * h)], fill=_shade(stone, 1.05))
    d.rectangle([0.28 * w, 0.42 * h, 0.72 * w, 0.46 * h], fill=shadow)
    for i in range(8):
        x = (0.3 + i * 0.0557) * w
        d.rectangle([x, 0.46 * h, x + 0.022 * w, 0.8 * h], fill=_shade(stone, 1.08))
        d.rectangle([x + 0.016 * w, 0.46 * h, x + 0.022 * w, 0.8 * h], fill=shadow)


def _books(img, d, w, h, c, rng):
    _gradient(d, (0, 0, w, h), _shade(c[2], 0.95), _shade(c[2], 0.7))
    wood = _mix(c[0], (120, 80, 45), 0.6)
    tones = [c[0], c[1], _shade(c[1], 0.7), _mix(c[0], c[2], 0.5), (150, 50, 45), (60, 90, 70)]
    for shelf in range(3):
        bottom, x = h * (0.33 + shelf * 0.31), w * 0.05
        while x < w * 0.93:
            bw, bh, color = rng.uniform(0.018, 0.04) * w, rng.uniform(0.17, 0.24) * h, rng.choice(tones)
            d.rectangle([x, bottom - bh, x + bw, bottom], fill=color)
            for band in (0.15, 0.8):
                y = bottom - bh * band
                d.rectangle([x, y - h * 0.003, x + bw, y], fill=_shade(color, 1.35))
            x += bw + (rng.uniform(0.01, 0.03) * w if rng.random() < 0.08 else w * 0.0006)
        d.rectangle([0.03 * w, bottom, 0.97 * w, bottom + h * 0.03], fill=wood)
    for x in (0.02 * w, 0.96 * w):
        d.rectangle([x, 0, x + 0.02 * w, h], fill=_shade(wood, 0.8))


_MOTIFS = {
    "bridge": _bridge, "hills": _hills, "city": _city, "stadium": _stadium, "stage": _stage,
    "field": _field, "river": _river, "market": _market, "parliament": _parliament, "books": _books,
}  # fmt: skip


def draw_demo_photo(palette: list[str], motif: str, width: int = 1600, height: int = 1000) -> Image.Image:
    """Draw a stylised illustration of ``motif`` coloured from a three-colour ``palette``."""
    if motif not in _MOTIFS:
        raise ValueError(f"Unknown motif: {motif!r}")
    colors = [ImageColor.getrgb(p)[:3] for p in (list(palette) + ["#888888"] * 3)[:3]]
    rng = random.Random(f"{motif}:{','.join(palette)}")
    w, h = width * SCALE, height * SCALE
    img = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(img)
    _gradient(d, (0, 0, w, h), _shade(colors[0], 0.9), _mix(colors[1], colors[2], 0.6))
    _MOTIFS[motif](img, d, w, h, colors, rng)
    return img.resize((width, height), Image.Resampling.LANCZOS)
