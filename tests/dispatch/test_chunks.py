"""A long render on a pool: its chunks run side by side and are joined; a failed chunk fails
the input and leaves none of its pieces behind."""

from __future__ import annotations

from pathlib import Path

import av
import pytest

from avatarsynth import pipeline
from avatarsynth.dispatch import InlineDispatcher
from avatarsynth.errors import UnknownAvatar
from avatarsynth.performance import perform
from avatarsynth.pipeline import AnyRequest, LongRender, RenderRequest, RenderResult
from avatarsynth.script import InputKind
from avatarsynth.video import EncodeOptions, Thumbnail, encode_audio_track
from tests.conftest import timeline, words

OPTIONS = EncodeOptions(width=320, height=240)


def _plan(request: AnyRequest, out_path: Path) -> LongRender:
    """What ``pipeline.begin`` returns for a long input, in three small chunks; a chunk of
    the character named in the content fails."""
    assert isinstance(request, RenderRequest)
    spoken = timeline([("_", 0.3), *words("h ə l oʊ w ɜː l d m aɪ n eɪ m"), ("_", 1.0)])
    acted = perform(spoken, 25)
    audio = out_path.with_name("audio.mp4")
    encode_audio_track(spoken.samples, spoken.sample_rate, acted.n_frames, OPTIONS, audio)
    bounds = [(0, 20), (20, 15), (35, acted.n_frames - 35)]
    chunks = tuple(
        pipeline.ChunkJob(
            acted=acted.window(first, count),
            character=request.content if index == 1 else "lisa",
            style="casual-sitting",
            background_rgba=(255, 255, 255, 255),
            background_image=None,
            options=OPTIONS,
            first_frame=first,
            n_frames=count,
            burnt=(),
            thumbnail=Thumbnail(out_path.with_suffix(".jpg"), acted.n_frames // 2),
            out_path=out_path.with_name(f"part{index}.mp4"),
        )
        for index, (first, count) in enumerate(bounds)
    )
    result = RenderResult(out_path, 0, 0.0, 5, thumbnail=out_path.with_suffix(".jpg"))
    return LongRender(chunks, audio, OPTIONS, (), result)


def _request(character: str) -> RenderRequest:
    return RenderRequest(character, InputKind.PLAIN_TEXT, "en-US-JennyNeural", "lisa", "casual")


def test_the_chunks_of_a_long_render_are_joined_into_one_video(tmp_path: Path) -> None:
    dispatcher = InlineDispatcher(_plan, workers=2)
    try:
        result = dispatcher.submit(_request("lisa"), tmp_path / "out.mp4").result(60)
    finally:
        dispatcher.close()
    assert isinstance(result, RenderResult)
    assert result.chunk_starts == (0, 20, 35)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jpg", "out.mp4"]
    with av.open(str(result.path)) as container:
        frames = sum(1 for _ in container.decode(video=0))
    assert frames == round(result.duration_s * 25) > 35
    assert result.size_bytes == (tmp_path / "out.mp4").stat().st_size


def test_a_failed_chunk_fails_the_input_and_leaves_no_pieces(tmp_path: Path) -> None:
    dispatcher = InlineDispatcher(_plan, workers=2)
    try:
        with pytest.raises(UnknownAvatar):
            dispatcher.submit(_request("nobody"), tmp_path / "out.mp4").result(60)
    finally:
        dispatcher.close()
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".mp4"] == []
