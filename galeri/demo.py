"""Shared pieces of the demo data that ``seed_demo`` builds: the run's context and a pool of pictures.

Each app contributes its own ``<app>/demo.py`` with ``seed(ctx: DemoContext) -> None``;
``seed_demo`` calls them in dependency order. Everything is drawn from ``ctx.rng`` so a
given ``--seed`` always builds the same gallery.
"""

import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from PIL import Image, ImageDraw, ImageFilter


@dataclass
class DemoContext:
    rng: random.Random
    products: int
    ikm: int
    events: int
    log: Callable[[str], None] = print
    # Anything one app's seeder hands to the next (e.g. the IKM it created).
    shared: dict[str, object] = field(default_factory=dict)


# Earthy palettes: coffee, chips, tapis red and gold, batik indigo, wood, leaf green.
PALETTES = [
    ((92, 58, 33), (199, 151, 92)),
    ((214, 162, 58), (246, 220, 150)),
    ((122, 31, 43), (232, 182, 76)),
    ((37, 52, 99), (170, 184, 214)),
    ((120, 84, 52), (210, 180, 140)),
    ((52, 98, 60), (180, 214, 160)),
    ((160, 60, 40), (240, 200, 170)),
    ((70, 70, 70), (200, 200, 200)),
]


def draw_demo_photo(rng: random.Random, *, width: int = 1200, height: int = 900) -> bytes:
    """A product-like picture drawn with Pillow: a soft gradient, a 'product' shape and a tapis band.

    No downloads: the demo must build offline and deterministically.
    """
    dark, light = PALETTES[rng.randrange(len(PALETTES))]
    image = Image.new("RGB", (width, height), light)
    draw = ImageDraw.Draw(image)
    for y in range(0, height, 6):
        t = y / height
        colour = tuple(int(light[i] * (1 - t * 0.35) + dark[i] * t * 0.35) for i in range(3))
        draw.rectangle([0, y, width, y + 6], fill=colour)
    # The "product": a jar, a pack or a bowl.
    cx, cy = width // 2 + rng.randint(-80, 80), height // 2 + rng.randint(-40, 40)
    w, h = rng.randint(260, 420), rng.randint(300, 480)
    shape = rng.choice(["jar", "pack", "bowl"])
    if shape == "jar":
        draw.rounded_rectangle([cx - w // 2, cy - h // 2, cx + w // 2, cy + h // 2], radius=40, fill=dark)
        draw.rectangle([cx - w // 2 + 20, cy - h // 2 - 40, cx + w // 2 - 20, cy - h // 2 + 10], fill=light)
    elif shape == "pack":
        draw.polygon(
            [
                (cx - w // 2, cy - h // 2),
                (cx + w // 2, cy - h // 2 + 20),
                (cx + w // 2, cy + h // 2),
                (cx - w // 2, cy + h // 2),
            ],
            fill=dark,
        )
    else:
        draw.ellipse([cx - w // 2, cy - h // 4, cx + w // 2, cy + h // 3], fill=dark)
    # A tapis-like band of gold stripes across the product.
    band_top = cy - 30
    for i in range(6):
        draw.rectangle([cx - w // 2, band_top + i * 10, cx + w // 2, band_top + i * 10 + 4], fill=(232, 182, 76))
    image = image.filter(ImageFilter.GaussianBlur(radius=1.2))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82)
    return buffer.getvalue()
