"""Dispatchers: run a render somewhere and hand back its result or its error."""

from __future__ import annotations

import os
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from avatarsynth.dispatch import InlineDispatcher, ProcessDispatcher
from avatarsynth.errors import RenderError
from avatarsynth.pipeline import RenderRequest
from avatarsynth.script import InputKind
from tests.dispatch import _fakes


def _request(content: str) -> RenderRequest:
    return RenderRequest(content, InputKind.PLAIN_TEXT, "en-US-JennyNeural", "lisa", "casual")


def test_the_inline_dispatcher_runs_the_render_in_this_process(tmp_path: Path) -> None:
    dispatcher = InlineDispatcher(_fakes.render, workers=2)
    try:
        result = dispatcher.submit(_request("Hi."), tmp_path / "a.mp4").result(5)
        assert result.billable_characters == 3
        assert (tmp_path / "a.mp4").read_text() == str(os.getpid())
        with pytest.raises(RenderError):
            dispatcher.submit(_request("fail"), tmp_path / "b.mp4").result(5)
    finally:
        dispatcher.close()


@pytest.mark.slow
def test_the_process_dispatcher_renders_in_workers_and_survives_a_dead_one(
    tmp_path: Path,
) -> None:
    dispatcher = ProcessDispatcher(2, render_fn=_fakes.render, warm_up=_fakes.warm_up)
    try:
        dispatcher.warm()
        result = dispatcher.submit(_request("Hello."), tmp_path / "a.mp4").result(60)
        assert result.billable_characters == 6
        assert (tmp_path / "a.mp4").read_text() != str(os.getpid())
        with pytest.raises(RenderError) as caught:  # the error crosses the process boundary
            dispatcher.submit(_request("fail"), tmp_path / "b.mp4").result(60)
        assert caught.value.message == "The avatar could not be drawn."
        with pytest.raises(BrokenProcessPool):
            dispatcher.submit(_request("die"), tmp_path / "c.mp4").result(60)
        told: list[tuple[str, int, int]] = []
        again = dispatcher.submit(
            _request("Back."), tmp_path / "d.mp4", lambda *stage: told.append(stage)
        ).result(60)
        assert again.billable_characters == 5
        # progress crosses the process boundary too, on the new pool's channel
        assert told[0] == ("speech", 0, 0) and told[-1] == ("video", 10, 10)
        assert [done for _, done, _ in told[1:]] == sorted({done for _, done, _ in told[1:]})
    finally:
        dispatcher.close()
