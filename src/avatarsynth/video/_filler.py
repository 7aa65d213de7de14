"""Filler for VP9 and AV1, whose encoders cannot pad: they hold ``bitrateKbps`` too.

x264 and x265 reach a constant bitrate with their own filler data (see ``_options``). libvpx
and SVT-AV1 have a CBR mode but no filler, and a still talking head needs far fewer bits than
asked (VP9 gave 330 kbit/s for 600 at 480×272, AV1 440), so their packets are padded here
until the stream has spent the bitrate so far. VP9: zero bytes after the frame, which the
last tile's bool decoder reads as its padding, which must be zero (VP9 spec, ``exit_bool``).
Superframes, whose index must stay last, are left alone (the realtime encoder makes none).
Decoded pictures are bit-identical with and without filler (checked with libvpx and FFmpeg's
vp9). Side data (the alpha channel) is carried over to the padded packet.

AV1 is padded the same way: zero bytes at the end of the frame's last tile (its symbol
decoder's padding must be zero too), the OBU's size field rewritten to hold them. AV1's own
padding OBUs would be simpler, but FFmpeg's MP4 and Matroska muxers strip them
(``ff_av1_filter_obus``). Checked with dav1d: pictures bit-identical with and without.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import av

if TYPE_CHECKING:
    VideoPacket = av.Packet[av.VideoStream]

_SUPERFRAME_MARKER = 0xC0
_AV1_TILE_OBUS = (4, 6)
"""OBU_TILE_GROUP and OBU_FRAME: the OBUs whose last tile runs to the OBU's end."""


def _leb128(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _read_leb128(data: bytes, at: int) -> tuple[int, int]:
    """The value at ``data[at:]`` and how many bytes it took."""
    value = length = 0
    while True:
        byte = data[at + length]
        value |= (byte & 0x7F) << (7 * length)
        length += 1
        if not byte & 0x80:
            return value, length


def _av1_padded(data: bytes, extra: int) -> bytes | None:
    """``data`` (a temporal unit of OBUs with size fields) with ``extra`` zero bytes added to
    its last OBU, if that OBU carries tiles; ``None`` if it cannot be padded."""
    at, last = 0, None
    while at < len(data):
        header = data[at]
        if not header & 0x02:  # no size field: cannot walk the OBUs
            return None
        head = 1 + (header >> 2 & 1)
        size, length = _read_leb128(data, at + head)
        last = (at, header >> 3 & 15, head, length, size)
        at += head + length + size
    if last is None or last[1] not in _AV1_TILE_OBUS:
        return None
    start, _, head, length, size = last
    body = start + head + length
    return data[: start + head] + _leb128(size + extra) + data[body:] + bytes(extra)


def _repacked(packet: VideoPacket, data: bytes) -> VideoPacket:
    """A packet of ``data`` with ``packet``'s timing, flags and side data."""
    padded = cast("VideoPacket", av.Packet(data))
    padded.pts, padded.dts, padded.duration = packet.pts, packet.dts, packet.duration
    padded.time_base = packet.time_base
    padded.is_keyframe = packet.is_keyframe
    for side_data in packet.iter_sidedata():
        padded.set_sidedata(side_data)
    return padded


class Filler:
    """Pads one stream's packets to ``kbps`` on average since its first frame."""

    def __init__(self, encoder: str, kbps: int, fps: int) -> None:
        self.av1 = encoder == "libsvtav1"
        self.bytes_per_frame = kbps * 1000 / 8 / fps
        self.spent = 0
        self.frames = 0

    @staticmethod
    def needed(encoder: str) -> bool:
        """Whether ``encoder`` must be padded here to hold its bitrate."""
        return encoder in ("libvpx-vp9", "libsvtav1")

    def pad(self, packets: list[VideoPacket]) -> list[VideoPacket]:
        """The packets of the next frames, the last one padded to the budget so far."""
        self.frames += len(packets)
        self.spent += sum(p.size for p in packets)
        if not packets:
            return packets
        missing = round(self.frames * self.bytes_per_frame) - self.spent
        last = packets[-1]
        data = bytes(last)
        if missing < 8:
            return packets
        if self.av1:
            padded = _av1_padded(data, missing)
        else:
            superframe = (data[-1] & 0xE0) == _SUPERFRAME_MARKER
            padded = None if superframe else data + bytes(missing)
        if padded is None:
            return packets
        self.spent += len(padded) - len(data)
        return [*packets[:-1], _repacked(last, padded)]
