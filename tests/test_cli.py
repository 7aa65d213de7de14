"""``avatarsynth render``'s progress bar, fed by the pipeline's progress callback."""

from __future__ import annotations

import pytest

from avatarsynth.cli import RenderBar
from avatarsynth.pipeline import SPEECH, VIDEO


def _render(bar: RenderBar, frames: int) -> None:
    bar(SPEECH, 0, 0)
    for done in range(frames + 1):
        bar(VIDEO, done, frames)


def test_a_video_of_some_seconds_shows_the_bar_to_100_percent(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with RenderBar(min_frames=75) as bar:
        _render(bar, 250)
    shown = capsys.readouterr().err
    assert "done" in shown and "100%" in shown


def test_a_video_of_a_moment_shows_no_bar(capsys: pytest.CaptureFixture[str]) -> None:
    with RenderBar(min_frames=75) as bar:
        _render(bar, 50)
    assert capsys.readouterr().err == ""


def test_a_failed_render_leaves_the_bar_where_it_was(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(RuntimeError), RenderBar(min_frames=75) as bar:
        bar(VIDEO, 100, 200)
        raise RuntimeError("the encoder broke")
    shown = capsys.readouterr().err
    assert "50%" in shown and "done" not in shown
