"""Speech overlapping drawing: a video drawn while its speech is still being spoken is the video
drawn after it, frame for frame, and a failure while speaking stops everything cleanly."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import av
import numpy as np
import pytest

from avatarsynth import avatar, performance, pipeline, speech, video
from avatarsynth.errors import SynthesisError
from avatarsynth.performance import Acting, Performance, perform, settled_frames
from avatarsynth.pipeline._overlap import estimated_s
from avatarsynth.pipeline._video import parse, prepare, render_prepared
from avatarsynth.script import InputKind, Utterance
from avatarsynth.script import parse as parse_script
from avatarsynth.speech import Speech

FPS = 25
VOICE = "de-DE-KatjaNeural"  # espeak-ng: milliseconds per sentence
BODY = (
    "Hallo zusammen, heute zeigen wir drei neue Dinge. "
    '<bookmark mark="gesture.show-front-1"/>Ja, sehr gut. '
    'Erstens das neue Dashboard, <emphasis level="strong">wirklich</emphasis> schnell. '
    '<break time="250ms"/>Zweitens die Berichte! '
    '<bookmark mark="gesture.numeric2-left-1"/>Drittens kommt noch mehr.'
)


def ssml(body: str, voice: str = VOICE) -> str:
    return f'<speak version="1.0"><voice name="{voice}">{body}</voice></speak>'


@pytest.fixture(scope="module")
def prefixes() -> list[Speech]:
    """The speech so far after each sentence, as the speaking thread sees it; the last whole."""
    return list(speech.synthesize_stream(parse_script(ssml(BODY), InputKind.SSML)))


def channels(acted: Performance) -> dict[str, np.ndarray]:
    return {**vars(acted.mouth), **vars(acted.head), "breath": acted.breath}


def actings(prefixes: list[Speech]) -> list[Acting]:
    growing = [Acting(perform(p, FPS), settled_frames(p, FPS)) for p in prefixes[:-1]]
    whole = perform(prefixes[-1], FPS)
    return [*growing, Acting(whole, whole.n_frames)]


def test_the_beginning_of_speech_acts_as_the_beginning_of_the_whole(prefixes: list[Speech]) -> None:
    assert len(prefixes) >= 5
    whole = perform(prefixes[-1], FPS)
    settled = [settled_frames(prefix, FPS) for prefix in prefixes[:-1]]
    assert all(s > 0 for s in settled) and settled == sorted(settled)
    for prefix, upto in zip(prefixes, settled, strict=False):
        acted = perform(prefix, FPS)
        assert upto >= acted.n_frames - (performance.LOOKAHEAD_S + 0.1) * FPS or prefix.marks
        for name, curve in channels(acted).items():
            assert np.array_equal(curve[:upto], channels(whole)[name][:upto]), name
        assert [c for c in acted.cues if c.frame < upto] == [
            c for c in whole.cues if c.frame < upto
        ]
    assert [cue.name for cue in whole.cues] == ["gesture.show-front-1", "gesture.numeric2-left-1"]


def test_frames_drawn_as_the_speech_grows_are_the_frames_of_the_whole(
    prefixes: list[Speech],
) -> None:
    look = avatar.find_look("lisa", "casual-sitting")
    growing = actings(prefixes)
    # "Ja, sehr gut." is shorter than its gesture: until more is spoken, the gesture could be
    # cut short by the end of the video, so its frames wait.
    cue = growing[1].performance.cues[0]
    assert growing[1].settled > cue.frame
    at_once = list(avatar.render(growing[-1].performance, look, 192, 108))
    as_spoken = list(avatar.render(growing, look, 192, 108))
    assert len(as_spoken) == len(at_once) == growing[-1].performance.n_frames
    assert all(np.array_equal(a, b) for a, b in zip(as_spoken, at_once, strict=True))


def decoded(path: Path) -> tuple[list[np.ndarray], np.ndarray]:
    with av.open(str(path)) as container:
        frames = [f.to_ndarray(format="yuv420p") for f in container.decode(video=0)]
    with av.open(str(path)) as container:
        audio = np.concatenate([f.to_ndarray() for f in container.decode(audio=0)], axis=1)
    return frames, audio


def picture(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        return next(container.decode(video=0)).to_ndarray(format="rgb24")


def test_a_video_encoded_as_its_speech_is_spoken_is_the_video_encoded_after(
    prefixes: list[Speech], tmp_path: Path
) -> None:
    look = avatar.find_look("lisa", "casual-sitting")
    options = video.EncodeOptions(width=192, height=108)
    whole = prefixes[-1]
    growing = actings(prefixes)
    phrases = pipeline._video.captions(whole)
    after = video.encode(
        avatar.render(growing[-1].performance, look, 192, 108),
        whole.samples,
        whole.sample_rate,
        options,
        tmp_path / "after.mp4",
        phrases,
        thumbnail=tmp_path / "after.jpg",
    )
    total: list[int] = []  # the frame count is not known until the speech is whole
    during = video.encode_overlapped(
        avatar.render(growing, look, 192, 108),
        lambda: video.Soundtrack(whole.samples, whole.sample_rate, phrases),
        options,
        tmp_path / "during.mp4",
        total=lambda: total[0] if total else None,
        subtitles=True,
        thumbnail=tmp_path / "during.jpg",
    )
    assert during == after
    frames, audio = decoded(tmp_path / "during.mp4")
    expected_frames, expected_audio = decoded(tmp_path / "after.mp4")
    assert len(frames) == len(expected_frames) == growing[-1].performance.n_frames
    assert all(np.array_equal(a, b) for a, b in zip(frames, expected_frames, strict=True))
    assert np.array_equal(audio, expected_audio)
    with av.open(str(tmp_path / "during.mp4")) as container:
        assert len(list(container.demux(subtitles=0))) > len(phrases)  # cues + the end packet
    # The middle frame was encoded before anyone knew it was the middle: read back instead.
    thumbnail, reference = (picture(tmp_path / name) for name in ("during.jpg", "after.jpg"))
    assert thumbnail.shape == reference.shape
    assert np.abs(thumbnail.astype(int) - reference.astype(int)).mean() < 3.0


def test_a_short_input_is_drawn_while_spoken_and_a_long_one_after(tmp_path: Path) -> None:
    short = pipeline.RenderRequest(ssml(BODY), InputKind.SSML, VOICE, "lisa", "casual-sitting")
    assert estimated_s(parse(short).utterance) < 20
    pauses = '<break time="20s"/>' * 4
    document = ssml(f"Lang.{pauses}")
    long = pipeline.RenderRequest(document, InputKind.SSML, VOICE, "lisa", "casual-sitting")
    assert estimated_s(parse(long).utterance) > 80


def failing_speech(after: list[Speech]) -> Iterator[Speech]:
    yield from after
    raise SynthesisError("The voice broke down.")


def no_worker_threads() -> bool:
    names = {thread.name for thread in threading.enumerate()}
    return not names & {"avatarsynth-speech", "avatarsynth-frames"}


@pytest.mark.parametrize(
    "spoken",
    [
        pytest.param(lambda first: failing_speech([first]), id="the engine fails"),
        pytest.param(  # past the limit as it is spoken: 1201 samples at 1 Hz
            lambda first: iter([first, Speech(np.zeros(1201, np.float32), 1, (), (), ())]),
            id="past 20 minutes",
        ),
    ],
)
def test_a_failure_while_speaking_fails_the_input_and_stops_every_thread(
    spoken: Callable[[Speech], Iterator[Speech]],
    prefixes: list[Speech],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def stream(utterance: Utterance) -> Iterator[Speech]:
        return spoken(prefixes[2])

    monkeypatch.setattr(speech, "synthesize_stream", stream)
    options = video.EncodeOptions(width=192, height=108)
    request = pipeline.RenderRequest(
        ssml(BODY), InputKind.SSML, VOICE, "lisa", "casual-sitting", video=options
    )
    with pytest.raises(SynthesisError, match=r"broke down|limit is 20 minutes"):
        pipeline.run(request, tmp_path / "broken.mp4")
    assert no_worker_threads()
    assert not list(tmp_path.iterdir())


@pytest.mark.slow
def test_kokoro_speaking_while_drawing_gives_the_video_of_speaking_first(tmp_path: Path) -> None:
    options = video.EncodeOptions(width=192, height=108)
    request = pipeline.RenderRequest(
        ssml(
            "Hello there. <bookmark mark='gesture.show-front-1'/>Yes. Here is the second part.",
            "en-US-AvaMultilingualNeural",
        ),
        InputKind.SSML,
        "en-US-AvaMultilingualNeural",
        "lisa",
        "casual-sitting",
        video=options,
    )
    during = pipeline.run(request, tmp_path / "during.mp4")
    assert isinstance(during, pipeline.RenderResult)
    after = render_prepared(request, prepare(request), tmp_path / "after.mp4")
    assert (during.duration_s, during.captions) == (after.duration_s, after.captions)
    frames, audio = decoded(during.path)
    expected_frames, expected_audio = decoded(after.path)
    assert len(frames) == len(expected_frames)
    assert all(np.array_equal(a, b) for a, b in zip(frames, expected_frames, strict=True))
    assert np.array_equal(audio, expected_audio)


def test_a_video_drawn_while_spoken_tells_every_frame_to_its_progress(tmp_path: Path) -> None:
    """Its frame count is a guess from the text until the speech is whole; the frames done
    rise one by one and end at the video's own count."""
    options = video.EncodeOptions(width=192, height=108)
    request = pipeline.RenderRequest(
        ssml(BODY), InputKind.SSML, VOICE, "lisa", "casual-sitting", video=options
    )
    told: list[tuple[str, int, int]] = []
    made = pipeline.run(request, tmp_path / "told.mp4", lambda *step: told.append(step))
    assert isinstance(made, pipeline.RenderResult)
    frames = [(done, total) for stage, done, total in told if stage == pipeline.VIDEO]
    assert told[0][0] == pipeline.SPEECH and frames[0][0] == 0
    assert [done for done, _ in frames] == list(range(len(frames)))
    assert all(done <= total for done, total in frames)
    assert frames[-1] == (round(made.duration_s * FPS), round(made.duration_s * FPS))
