"""Filler for the codecs whose encoders cannot pad: VP9 and AV1 hold ``bitrateKbps`` too.

x264 and x265 reach a constant bitrate with their own filler data (see ``_options``). libvpx
and SVT-AV1 have a CBR mode but no filler, and a still talking head needs far fewer bits than
asked (VP9 gave 330 kbit/s for 600 at 480×272), so the encoder's packets are padded here, the
way each bitstream allows, until the stream has spent the bitrate so far:

- AV1: a padding OBU (type 15) after the frame's OBUs, which decoders skip by definition;
- VP9: zero bytes after the frame: the last tile's bool decoder reads them as its padding,
  which must be zero (VP9 spec, ``exit_bool``). Superframes, whose index must stay last, are
  left alone (the realtime encoder makes none).

Decoded pictures are bit-identical with and without filler (checked with libvpx, FFmpeg's
vp9 and dav1d). Side data (VP9's alpha channel) is carried over to the padded packet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import av

if TYPE_CHECKING:
    VideoPacket = av.Packet[av.VideoStream]

_AV1_PADDING_HEADER = bytes([(15 << 3) | 0x02])
"""OBU type 15 (padding), no extension, with a size field."""
_SUPERFRAME_MARKER = 0xC0


def _leb128(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _av1_padding(size: int) -> bytes:
    """A padding OBU of about ``size`` bytes in all (at least its three header bytes)."""
    body = max(0, size - 1 - len(_leb128(size)))
    return _AV1_PADDING_HEADER + _leb128(body) + bytes(body)


def _padded_packet(packet: VideoPacket, extra: bytes) -> VideoPacket:
    padded = cast("VideoPacket", av.Packet(bytes(packet) + extra))
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
        superframe = not self.av1 and (bytes(last)[-1] & 0xE0) == _SUPERFRAME_MARKER
        if missing < 8 or superframe:
            return packets
        extra = _av1_padding(missing) if self.av1 else bytes(missing)
        self.spent += len(extra)
        return [*packets[:-1], _padded_packet(last, extra)]
