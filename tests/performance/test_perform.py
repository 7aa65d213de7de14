"""What a viewer notices about a performance: lips follow speech, a pause is still, eyes blink."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from avatarsynth.performance import Performance, perform
from avatarsynth.speech import Speech

FPS = 25
SpeechOf = Callable[[str], Speech]


def frames_between(start_s: float, end_s: float) -> slice:
    """Frames whose whole interval lies within [start_s, end_s]."""
    return slice(math.ceil(start_s * FPS), math.floor(end_s * FPS))


def head_channels(acted: Performance) -> list[np.ndarray]:
    head = acted.head
    return [head.nod, head.turn, head.tilt_deg, head.brow_raise, head.gaze_x, head.gaze_y]


def test_one_frame_per_twenty_five_of_a_second_of_audio(speech_of: SpeechOf) -> None:
    speech = speech_of("h ə l oʊ")
    acted = perform(speech, FPS)
    assert acted.n_frames == math.ceil(speech.duration_s * FPS)
    assert all(len(curve) == acted.n_frames for curve in head_channels(acted))


def test_the_mouth_opens_and_closes_while_speaking(speech_of: SpeechOf) -> None:
    acted = perform(speech_of("h ɑː m ɑː m ɑː"), FPS)
    jaw = acted.mouth.jaw_open[frames_between(0.3, 0.84)]
    assert jaw.max() > 0.6
    assert jaw.min() < 0.2


def test_lips_press_together_for_m(speech_of: SpeechOf) -> None:
    acted = perform(speech_of("ɑː m ɑː"), FPS)
    middle_of_m = int((0.3 + 0.09 * 1.5) * FPS)
    assert acted.mouth.lips_pressed[middle_of_m] > 0.9
    assert acted.mouth.jaw_open[middle_of_m] < 0.1


def test_lips_round_before_a_rounded_vowel_is_heard(speech_of: SpeechOf) -> None:
    acted = perform(speech_of("ɪ s t uː"), FPS)
    before_u = int((0.3 + 0.09 * 3) * FPS) - 1
    assert acted.mouth.lip_round[before_u] > 0.2


def test_mouth_and_head_hold_perfectly_still_through_a_pause(speech_of: SpeechOf) -> None:
    acted = perform(speech_of("h ˈɛ l oʊ | w ˈɜː l d"), FPS)
    pause = frames_between(0.3 + 4 * 0.09 + 0.2, 0.3 + 4 * 0.09 + 1.0)
    for curve in (*head_channels(acted), *vars(acted.mouth).values()):
        still = curve[pause]
        assert np.all(still == still[0])
    assert acted.mouth.jaw_open[pause][0] == 0.0


def test_the_head_moves_while_speaking(speech_of: SpeechOf) -> None:
    acted = perform(speech_of("h ˈɛ l oʊ w ˈɜː l d " * 4), FPS)
    speaking = frames_between(0.6, 2.6)
    assert np.ptp(acted.head.nod[speaking]) > 0.2
    assert np.ptp(acted.head.tilt_deg[speaking]) > 0.1


def test_blinks_come_at_a_natural_irregular_rate(minute_of_speech: Speech) -> None:
    closed = perform(minute_of_speech, FPS).head.eyelids_closed > 0.5
    onsets = np.flatnonzero(closed[1:] & ~closed[:-1])
    per_minute = len(onsets) * 60.0 / minute_of_speech.duration_s
    assert 8 <= per_minute <= 30
    assert np.std(np.diff(onsets)) > FPS * 0.3


def test_the_same_speech_always_gives_the_same_performance(minute_of_speech: Speech) -> None:
    first, second = perform(minute_of_speech, FPS), perform(minute_of_speech, FPS)
    for a, b in zip(head_channels(first), head_channels(second), strict=True):
        assert np.array_equal(a, b)
    assert np.array_equal(first.head.eyelids_closed, second.head.eyelids_closed)
    assert np.array_equal(first.mouth.jaw_open, second.mouth.jaw_open)


def test_different_speech_blinks_at_different_times(speech_of: SpeechOf) -> None:
    one = perform(speech_of("h ə l oʊ " * 20), FPS).head.eyelids_closed
    other = perform(speech_of("ɡ ʊ d b aɪ " * 16), FPS).head.eyelids_closed
    length = min(len(one), len(other))
    assert not np.array_equal(one[:length], other[:length])


def test_breathing_goes_on_through_a_pause(speech_of: SpeechOf) -> None:
    acted = perform(speech_of("h ə | | | l oʊ"), FPS)
    assert np.ptp(acted.breath[frames_between(1.0, 3.0)]) > 0.3


def test_bookmarks_land_on_their_frames(minute_of_speech: Speech) -> None:
    (cue,) = perform(minute_of_speech, FPS).cues
    assert (cue.name, cue.frame) == ("gesture.wave", 50)


def test_unknown_symbols_still_move_the_mouth(speech_of: SpeechOf) -> None:
    acted = perform(speech_of("ʘ ɯ ǂ"), FPS)
    assert acted.mouth.jaw_open[frames_between(0.3, 0.57)].max() > 0.1


def test_a_louder_stressed_word_gets_a_firmer_nod(speech_of: SpeechOf) -> None:
    plain = speech_of("h ˈɛ l oʊ | | w ˈɜː l d")
    samples = plain.samples.copy()
    rate = plain.sample_rate
    vowels = [p for p in plain.phones if p.stressed]
    for phone, amplitude in zip(vowels, (0.1, 0.4), strict=True):  # the second is emphasised
        samples[int(phone.start_s * rate) : int(phone.end_s * rate)] = amplitude
    loud = Speech(samples, rate, plain.phones, (), ())
    nod = perform(loud, FPS).head.nod
    peaks = [nod[int(v.start_s * FPS) : int((v.start_s + 0.5) * FPS)].max() for v in vowels]
    assert peaks[1] > 1.3 * peaks[0]
