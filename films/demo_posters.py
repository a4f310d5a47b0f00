"""
Posters the demo draws for itself, so that its pages show images without
downloading anyone's artwork: a sky in two colours, a sun or moon, hills, rain
or stars, and the title set in the magazine's serif. Each film's picture
follows from its title alone, so loading the demo twice draws the same posters.
"""

import hashlib
import io
import random

from PIL import Image, ImageDraw

from core.share_cards import fitted_text, font

SIZE = WIDTH, HEIGHT = (600, 900)
SKIES = [
    ("#f2b880", "#5b2a4f"),
    ("#9cc5e0", "#1f3b5c"),
    ("#f6d8c4", "#8c3b3b"),
    ("#c9d7b8", "#2f4a3a"),
    ("#e7c6e2", "#3e2f63"),
    ("#ffd27a", "#b0413e"),
    ("#a8d5d1", "#233b4f"),
    ("#d9c2a7", "#4a3424"),
]


def draw_demo_poster(title, year=None):
    """PNG bytes of a 600×900 poster for `title`."""
    seed = int.from_bytes(hashlib.sha256(title.encode()).digest()[:8], "big")
    rng = random.Random(seed)
    top, bottom = SKIES[seed % len(SKIES)]
    mask = Image.linear_gradient("L").resize(SIZE)
    image = Image.composite(Image.new("RGB", SIZE, bottom), Image.new("RGB", SIZE, top), mask)
    layer = Image.new("RGBA", SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    # Sun or moon.
    radius = rng.randint(70, 140)
    cx, cy = rng.randint(120, 480), rng.randint(160, 380)
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=(255, 250, 235, 200))
    # Stars in a dark sky, rain in a light one.
    if rng.random() < 0.5:
        for _ in range(70):
            x, y = rng.randrange(WIDTH), rng.randrange(520)
            draw.ellipse((x, y, x + 3, y + 3), fill=(255, 255, 255, 170))
    else:
        for _ in range(90):
            x, y = rng.randrange(WIDTH), rng.randrange(HEIGHT)
            draw.line((x, y, x - 14, y + 46), fill=(255, 255, 255, 90), width=2)
    # Three ranges of hills, darker as they come closer.
    for depth in range(3):
        base = 520 + depth * 80
        points = [(0, HEIGHT)]
        for x in range(0, WIDTH + 100, 100):
            points.append((x, base - rng.randint(0, 90)))
        points.append((WIDTH, HEIGHT))
        shade = 70 - depth * 25
        draw.polygon(points, fill=(shade // 3, shade // 3, shade // 2, 170 + depth * 30))
    image = Image.alpha_composite(image.convert("RGBA"), layer).convert("RGB")
    draw = ImageDraw.Draw(image)
    title_font, lines = fitted_text(draw, title.upper(), WIDTH - 96, 3, [64, 54, 46, 40])
    line_height = round(title_font.size * 1.12)
    y = HEIGHT - 60 - line_height * len(lines)
    for line in lines:
        draw.text((WIDTH // 2, y), line, font=title_font, fill="#ffffff", anchor="ma")
        y += line_height
    if year:
        draw.text((WIDTH // 2, 48), str(year), font=font(28), fill="#ffffff", anchor="ma")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
