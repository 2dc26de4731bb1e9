"""CPU cost of the image pipeline for a 12-megapixel phone photo: prepare + store, all renditions.

    .venv/bin/python bench/bench_renditions.py [--runs 15]

The budget (docs/images.md) is 0.5 s of CPU per 12 MP JPEG. Process time, not wall time, so a busy
machine does not flatter or blame the code. Files go to a throwaway MEDIA_ROOT.
"""

import argparse
import io
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import django
from django.conf import settings
from PIL import Image, ImageDraw, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def photo_like_jpeg(width: int = 4000, height: int = 3000, *, seed: int = 1) -> bytes:
    """Shapes, gradients and sensor-like noise at quality 92: about as costly to decode as a phone photo
    (flat synthetic pictures decode much faster and would flatter the figure)."""
    rng = random.Random(seed)
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(80, 700)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(3))
    noise = Image.merge("RGB", [Image.effect_noise((width, height), 48) for _ in range(3)])
    image = Image.blend(image, noise, 0.25)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    media = tempfile.TemporaryDirectory(prefix="galeri-bench-")
    settings.configure(
        MEDIA_ROOT=media.name,
        MEDIA_URL="/media/",
        USE_I18N=False,
        STORAGES={"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}},
    )
    django.setup()
    from galeri.images import delete_image, prepare_image, store_image

    data = photo_like_jpeg()
    print(f"input: 4000x3000 JPEG, {len(data) / 1e6:.1f} MB; {args.runs} runs")
    prepare_seconds, store_seconds, totals = [], [], []
    for _ in range(args.runs):
        start = time.process_time()
        prepared = prepare_image(io.BytesIO(data))
        middle = time.process_time()
        stored = store_image(prepared, folder="bench")
        end = time.process_time()
        prepare_seconds.append(middle - start)
        store_seconds.append(end - middle)
        totals.append(end - start)
        delete_image(stored.name)
    print(f"original: {stored.width}x{stored.height}")
    for label, values in (("prepare", prepare_seconds), ("store", store_seconds), ("total", totals)):
        print(f"{label:8} CPU s/image: min {min(values):.3f}  median {statistics.median(values):.3f}")
    media.cleanup()


if __name__ == "__main__":
    main()
