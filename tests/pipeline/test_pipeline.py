"""The whole pipeline beyond English: avatar videos with real espeak-ng speech, and its limits."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from avatarsynth import pipeline
from avatarsynth.errors import SynthesisError
from avatarsynth.script import InputKind
from avatarsynth.speech import voices
from avatarsynth.video import EncodeOptions
from tests.fixtures import SENTENCES
from tests.mouth import lip_motion, mouth_box


@pytest.mark.slow
def test_a_german_script_becomes_a_video_whose_lips_move_and_rest(tmp_path: Path) -> None:
    document = (
        '<speak version="1.0" xml:lang="de-DE"><voice name="de-DE-KatjaNeural">'
        'Guten Tag, ich bin Ihre Moderatorin.<break time="1s"/>Vielen Dank fürs Zuschauen.'
        "</voice></speak>"
    )
    request = pipeline.RenderRequest(document, InputKind.SSML, "", "meg", "business")
    result = pipeline.run(request, tmp_path / "de.mp4")
    assert result.warnings == ()
    assert result.billable_characters == len(
        "Guten Tag, ich bin Ihre Moderatorin.Vielen Dank fürs Zuschauen."
    )
    with av.open(str(result.path)) as container:
        assert container.streams.video[0].frames == pytest.approx(result.duration_s * 25, abs=1)
    motion = lip_motion(result.path, mouth_box(1920, 1080, "meg", "business"))
    assert motion.pause_s == pytest.approx(1.0, abs=0.3)
    assert motion.while_speaking > 1.0
    assert motion.through_pause < 0.25


@pytest.mark.slow
@pytest.mark.parametrize("size", [(1080, 1920), (1280, 720)])
def test_a_portrait_or_small_video_reframes_the_presenter(
    size: tuple[int, int], tmp_path: Path
) -> None:
    width, height = size
    document = (
        '<speak version="1.0" xml:lang="en-US"><voice name="en-US-JennyNeural">'
        'Hello, I am your presenter.<break time="1s"/>Thanks for watching.</voice></speak>'
    )
    options = EncodeOptions(width=width, height=height)
    request = pipeline.RenderRequest(
        document, InputKind.SSML, "", "harry", "business", video=options
    )
    result = pipeline.run(request, tmp_path / "sized.mp4")
    with av.open(str(result.path)) as container:
        first = next(container.decode(video=0)).to_ndarray(format="rgb24").astype(int)
    assert first.shape == (height, width, 3)
    backdrop = first[1, 1]
    figure = np.abs(first - backdrop).sum(axis=2) > 40
    columns = np.flatnonzero(figure.any(axis=0))
    assert columns[0] > 2 and columns[-1] < width - 3  # the presenter whole, not cropped
    assert not figure[:2].any() and figure[-2:].any()
    motion = lip_motion(result.path, mouth_box(width, height, "harry", "business"))
    assert motion.while_speaking > 1.0
    assert motion.through_pause < 0.25


def test_an_input_longer_than_20_minutes_fails_before_drawing(tmp_path: Path) -> None:
    pauses = '<break time="20s"/>' * 61
    document = f'<speak version="1.0"><voice name="en-US-JennyNeural">Long.{pauses}</voice></speak>'
    request = pipeline.RenderRequest(document, InputKind.SSML, "", "lisa", "casual-sitting")
    with pytest.raises(SynthesisError, match="limit is 20 minutes"):
        pipeline.run(request, tmp_path / "long.mp4")
    assert not (tmp_path / "long.mp4").exists()


@pytest.mark.slow
@pytest.mark.parametrize("locale", sorted(SENTENCES))
def test_every_tested_locale_makes_an_avatar_video(locale: str, tmp_path: Path) -> None:
    voice = next(v for v in voices() if v.locale == locale)
    request = pipeline.RenderRequest(
        SENTENCES[locale], InputKind.PLAIN_TEXT, voice.name, "lori", "casual"
    )
    result = pipeline.run(request, tmp_path / f"{locale}.mp4")
    assert result.warnings == ()
    with av.open(str(result.path)) as container:
        video, audio = container.streams.video[0], container.streams.audio[0]
        assert video.frames == pytest.approx(result.duration_s * 25, abs=1)
        loudest = max(float(abs(frame.to_ndarray()).max()) for frame in container.decode(audio))
    assert loudest > 0.05
    assert 0.8 < result.duration_s < 8.0


@pytest.mark.slow
def test_a_transparent_background_leaves_only_the_presenter_opaque(tmp_path: Path) -> None:
    options = EncodeOptions(container="webm", codec="vp9", width=320, height=180, alpha=True)
    request = pipeline.RenderRequest(
        "Hello.",
        InputKind.PLAIN_TEXT,
        "de-DE-KatjaNeural",
        "lisa",
        "casual-sitting",
        background_rgba=(0, 0, 0, 0),
        video=options,
    )
    result = pipeline.run(request, tmp_path / "clear.webm")
    with av.open(str(result.path)) as container:
        decoder = av.CodecContext.create("libvpx-vp9", "r")
        video = container.streams.video[0]
        last = [f for p in container.demux(video) for f in decoder.decode(p)][-1]
    plane = last.planes[3]
    alpha = np.frombuffer(memoryview(plane), np.uint8).reshape(plane.height, plane.line_size)
    assert alpha[:20, :20].max() <= 8  # a corner: background, see-through
    assert alpha[55:75, 152:168].min() >= 247  # the face
