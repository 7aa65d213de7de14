"""Background images: decoded once, checked, and scaled to cover the frame.

An image is untrusted input. Its size is read from the header before any pixel is decoded, so
a small file that claims to be 100,000 pixels wide (a decompression bomb) is refused cheaply.
"""

from __future__ import annotations

import skia

from avatarsynth.avatar._scene import Backdrop
from avatarsynth.errors import AvatarsynthError, RenderError

MAX_IMAGE_PIXELS = 40_000_000
"""About 8K × 5K: larger images are refused before decoding."""


def decode_image(
    data: bytes, what: str = "background image", error: type[AvatarsynthError] = RenderError
) -> skia.Image:
    """Decode untrusted image bytes, refusing oversized ones from the header alone; failures
    raise ``error`` with a message that names ``what`` the image was for."""
    try:
        codec = skia.Codec.MakeFromData(skia.Data.MakeWithCopy(data)) if data else None
    except RuntimeError:  # skia-python raises where skia returns null
        codec = None
    if codec is None:
        raise error(f"The {what} is not a PNG, JPEG, WebP or GIF image.")
    info = codec.getInfo()
    if info.width() * info.height() > MAX_IMAGE_PIXELS:
        raise error(
            f"The {what} is {info.width()}×{info.height()} pixels; "
            f"the limit is {MAX_IMAGE_PIXELS // 1_000_000} megapixels."
        )
    image = skia.Image.MakeFromEncoded(skia.Data.MakeWithCopy(data))
    if image is None:
        raise error(f"The {what} could not be decoded.")
    return image


def image_backdrop(data: bytes, width: int, height: int, *, transparent: bool = False) -> Backdrop:
    """The image scaled to cover ``width`` × ``height`` (cropped, never stretched); it is
    opaque, but frames still carry an (opaque) alpha plane when the video is ``transparent``."""
    image = decode_image(data)
    scale = max(width / image.width(), height / image.height())
    w, h = image.width() * scale, image.height() * scale
    surface = skia.Surface(width, height)
    canvas = surface.getCanvas()
    canvas.clear(skia.ColorBLACK)
    target = skia.Rect.MakeXYWH((width - w) / 2, (height - h) / 2, w, h)
    sampling = skia.SamplingOptions(skia.FilterMode.kLinear, skia.MipmapMode.kLinear)
    canvas.drawImageRect(image, target, sampling)
    return Backdrop(image=surface.makeImageSnapshot(), transparent=transparent)
