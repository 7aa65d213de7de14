"""A still of the video as a JPEG (``0001.jpg`` beside ``0001.mp4``), for listings and players.

The frame is converted to RGB with swscale (BT.709, limited range, as the video is) and
compressed by skia, which the avatar stage already depends on. Transparent videos lose their
alpha here: a JPEG has none. swscale is handed rows a multiple of 64 pixels wide: at other
widths (568, 600…) its converted rows came out different from one call to the next, in their
first few pixels at slice seams, as if it read past the end of a row.
"""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import skia

from avatarsynth.errors import EncodeError, full_disk
from avatarsynth.frame import Frame, planes, pyav_errors

_QUALITY = 88
_SWSCALE_ROW = 64
"""Pixels: the width swscale's rows are padded to (see the module docstring)."""


def _padded_i420(frame: Frame, width: int, height: int) -> Frame:
    """The frame's Y, U and V planes, each widened by repeating its last column so the picture
    is a multiple of :data:`_SWSCALE_ROW` wide."""
    padded = -(-width // _SWSCALE_ROW) * _SWSCALE_ROW
    y, u, v = planes(frame, width, height, alpha=False)[:3]
    wide = [
        np.pad(plane, ((0, 0), (0, (padded - width) * plane.shape[1] // width)), mode="edge")
        for plane in (y, u, v)
    ]
    return np.concatenate([plane.reshape(-1, padded) for plane in wide])


def write_thumbnail(frame: Frame, width: int, height: int, path: Path) -> None:
    """Save ``frame`` (I420, or I420 with alpha, see ``avatarsynth.frame``) as a JPEG."""
    i420 = _padded_i420(frame, width, height)
    with pyav_errors("convert the thumbnail to RGB", EncodeError):
        picture = av.VideoFrame.from_ndarray(i420, format="yuv420p")
        wide = picture.reformat(
            format="rgba", src_colorspace="ITU709", src_color_range="MPEG"
        ).to_ndarray()
    rgba = np.ascontiguousarray(wide[:, :width])
    rgba[..., 3] = 255
    data = skia.Image.fromarray(rgba).encodeToData(skia.kJPEG, _QUALITY)
    if data is None:
        raise EncodeError("skia could not encode the thumbnail as JPEG.")
    try:
        with full_disk("write the thumbnail"):
            path.write_bytes(bytes(data))
    except OSError as exc:
        raise EncodeError(f"Could not write the thumbnail: {exc.strerror}.") from exc


def thumbnail_from_file(video_path: Path, frame: int, fps: int, path: Path) -> None:
    """Save frame ``frame`` of a written video as a JPEG, decoded back from the file (when the
    frame was encoded before anyone knew it would be the thumbnail)."""
    with pyav_errors("read the thumbnail back", EncodeError), av.open(str(video_path)) as source:
        stream = source.streams.video[0]
        stream.thread_type = "AUTO"
        assert stream.time_base is not None
        at = frame / fps
        source.seek(int(at / stream.time_base), stream=stream, backward=True)
        for picture in source.decode(stream):
            if picture.time is not None and picture.time >= at - 0.5 / fps:
                pixels = np.asarray(picture.reformat(format="yuv420p").to_ndarray(), np.uint8)
                write_thumbnail(pixels, picture.width, picture.height, path)
                return
    raise EncodeError("The thumbnail's frame could not be read back.")
