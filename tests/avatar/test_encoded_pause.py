"""Through the encoder and back: a face in a pause is still in the decoded video too."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import av
import numpy as np
import pytest

from avatarsynth.avatar import find_look, mouth_box, render
from avatarsynth.performance import perform
from avatarsynth.speech import Speech
from avatarsynth.video import EncodeOptions, encode

SpeechOf = Callable[[str], Speech]


@pytest.mark.slow
def test_the_mouth_is_still_through_a_pause_in_the_decoded_video(
    speech_of: SpeechOf, tmp_path: Path
) -> None:
    speech = speech_of("h ˈɛ l oʊ | w ˈɜː l d")
    options = EncodeOptions()
    frames = render(
        perform(speech, options.fps),
        find_look("lisa", "casual-sitting"),
        options.width,
        options.height,
        (255, 255, 255, 255),
    )
    out = tmp_path / "pause.mp4"
    encode(frames, speech.samples, speech.sample_rate, options, out)
    box = mouth_box(find_look("lisa", "casual-sitting"), options.width, options.height)
    with av.open(str(out)) as container:
        mouths = [
            frame.to_ndarray(format="gray")[box.top : box.bottom, box.left : box.right]
            for frame in container.decode(video=0)
        ]
    pause_start = 0.3 + 4 * 0.09
    first, last = int((pause_start + 0.2) * 25) + 1, int((pause_start + 1.0) * 25)
    assert all(np.array_equal(mouths[first], mouth) for mouth in mouths[first:last])
    assert not np.array_equal(mouths[8], mouths[first])
