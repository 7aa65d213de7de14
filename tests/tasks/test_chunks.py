"""A long video's chunks shared between Celery workers, called as the tasks call them (the
group is replaced by a hook that plays other workers): each chunk is rendered once, a chunk
task delivered twice does nothing the second time, a dead holder's chunk is taken over, the
join is whole, and no piece or lease row is left."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import av
import pytest

from avatarsynth import pipeline
from avatarsynth.config import load_settings
from avatarsynth.dispatch import InlineDispatcher
from avatarsynth.errors import NotFound
from avatarsynth.jobs import Job, LostJob
from avatarsynth.pipeline import AnyResult, LongRender, RenderRequest, RenderResult
from avatarsynth.runtime import build
from avatarsynth.script import InputKind
from avatarsynth.tasks import ChunkRef, ChunkShare, ChunkWorker, WorkerContext, _fanout
from avatarsynth.video import EncodeOptions
from tests.jobs.conftest import new_job

pytestmark = pytest.mark.slow  # real renders (small ones)
SCRIPT = " ".join(
    itertools.repeat(
        "The quarterly report shows steady growth. Our teams opened two new offices.", 3
    )
)
OPTIONS = EncodeOptions(width=320, height=180, bitrate_kbps=300)
REQUEST = RenderRequest(
    SCRIPT,
    InputKind.PLAIN_TEXT,
    "en-US-AvaMultilingualNeural",
    "lisa",
    "casual-sitting",
    video=OPTIONS,
)


@pytest.fixture
def context(tmp_path: Path, database_url: str) -> Iterator[WorkerContext]:
    settings = load_settings(data_dir=tmp_path / "var", database_url=database_url, chunk_s=4.0)
    found = build(settings).worker(send_chunks=lambda refs: None)
    yield found
    found.store.engine.dispose()


def _plan(context: WorkerContext, name: str = "0001.mp4") -> LongRender:
    context.work_dir.mkdir(parents=True, exist_ok=True)
    plan = pipeline.begin(REQUEST, context.work_dir / name, chunk_s=4.0)
    assert isinstance(plan, LongRender) and len(plan.chunks) >= 3
    return plan


def _made(share: ChunkShare, plan: LongRender) -> AnyResult:
    """``plan`` finished as a Celery worker finishes it: on its dispatcher, ``share`` spreading
    the chunks."""
    dispatcher = InlineDispatcher(lambda request, out_path: plan, fan_out=share)
    try:
        return dispatcher.submit(REQUEST, plan.result.path).result()
    finally:
        dispatcher.close()


def _claimed(context: WorkerContext) -> Job:
    context.store.create(new_job("job-1", "One."), "internal-1")
    job = context.store.claim_job("internal-1", context.node, lease_s=60)
    assert job is not None
    return job


def _other(context: WorkerContext, name: str) -> ChunkWorker:
    """Another worker process on the same database and store."""
    return ChunkWorker(context.store, context.storage, name, 1.0, context.work_dir / name)


def _durations(path: Path) -> tuple[int, float, float]:
    """Frames, and the video's and audio's durations in seconds."""
    with av.open(str(path)) as container:
        rate = container.streams.video[0].average_rate
        frames = sum(1 for _ in container.decode(video=0))
    with av.open(str(path)) as container:
        audio = container.streams.audio[0]
        packets = [p for p in container.demux(audio) if p.pts is not None]
        audio_end = float((packets[-1].pts + packets[-1].duration) * audio.time_base)
    return frames, float(frames / rate), audio_end


def test_chunks_are_shared_rendered_once_and_joined_whole(context: WorkerContext) -> None:
    job = _claimed(context)
    plan = _plan(context)
    seen: dict[str, object] = {}

    def play_other_workers(refs: list[ChunkRef]) -> None:
        """Worker B renders chunk 0, and gets it again (a redelivery); worker C takes chunk 1
        and dies at once (its lease of a second runs out)."""
        other = _other(context, "worker-b")
        seen["first"] = other.run(refs[0])
        segment = refs[0].segment(".mp4")
        seen["bytes"] = context.storage.get_bytes(segment)
        seen["again"] = other.run(refs[0])
        seen["after"] = context.storage.get_bytes(segment)
        assert context.store.try_lock(refs[1].lock, "worker-c", 1.0, create=False)
        seen["refs"] = refs

    result = _made(ChunkShare(context.chunks, job, play_other_workers), plan)

    assert seen["first"] == "rendered" and str(seen["again"]).startswith("skipped")
    assert seen["bytes"] == seen["after"]  # the duplicate left the segment alone
    assert isinstance(result, RenderResult) and result.thumbnail is not None
    assert result.thumbnail.read_bytes()[:2] == b"\xff\xd8"
    frames, video_s, audio_s = _durations(result.path)
    assert frames == sum(chunk.n_frames for chunk in plan.chunks)
    assert abs(video_s - audio_s) <= 0.040
    assert not list((context.work_dir).glob("0001.*part*"))  # local pieces gone
    hidden = Path(context.storage.root) / "internal-1" / ".chunks"  # type: ignore[attr-defined]
    assert not [p for p in hidden.rglob("*") if p.is_file()]
    assert context.store.lock_holders("chunk/") == {}

    refs: list[ChunkRef] = seen["refs"]  # type: ignore[assignment]
    late = _other(context, "worker-d").run(refs[2])  # delivered after the join
    assert late.startswith("skipped")
    assert context.store.lock_holders("chunk/") == {}


def test_a_chunk_task_of_an_older_attempt_does_nothing(context: WorkerContext) -> None:
    job = _claimed(context)
    stale = ChunkRef(job.internal_id, job.attempts - 1, "oldplan1", 0)
    context.store.open_locks([stale.lock])
    assert _other(context, "worker-b").run(stale).startswith("skipped")
    assert context.store.lock_holders("chunk/") == {stale.lock: None}


def test_the_job_renders_every_chunk_itself_when_no_other_worker_comes(
    context: WorkerContext,
) -> None:
    job = _claimed(context)
    plan = _plan(context)
    holders: list[dict[str, str | None]] = []

    def nobody(refs: list[ChunkRef]) -> None:
        holders.append(context.store.lock_holders("chunk/"))

    result = _made(ChunkShare(context.chunks, job, nobody), plan)
    assert isinstance(result, RenderResult)
    assert set(holders[0].values()) == {None}  # every row open when the group was sent
    assert _durations(result.path)[0] == sum(chunk.n_frames for chunk in plan.chunks)


def test_a_job_deleted_while_its_chunks_render_stops_and_leaves_nothing(
    context: WorkerContext,
) -> None:
    job = _claimed(context)
    plan = _plan(context)

    def held_elsewhere_then_deleted(refs: list[ChunkRef]) -> None:
        for ref in refs:  # live workers hold every chunk: the job's task waits…
            assert context.store.try_lock(ref.lock, "worker-b", 60.0, create=False)
        context.store.remove(job.internal_id)  # …and its job is deleted meanwhile

    with pytest.raises(LostJob):
        _made(ChunkShare(context.chunks, job, held_elsewhere_then_deleted), plan)
    assert context.store.lock_holders("chunk/") == {}
    hidden = Path(context.storage.root) / "internal-1" / ".chunks"  # type: ignore[attr-defined]
    assert not [p for p in hidden.rglob("*") if p.is_file()]
    assert not [p for p in context.work_dir.iterdir() if p.name.startswith("0001")]


def test_a_chunk_still_rendering_when_the_grace_period_ends_is_handed_back_at_once(
    context: WorkerContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stopping worker's chunk task frees its lease row as soon as its grace period ends:
    the job's task renders that chunk itself instead of waiting for the lease to run out."""
    job = _claimed(context)
    plan = _plan(context)
    rendering, never = threading.Event(), threading.Event()

    def stuck(chunk: pipeline.ChunkJob, scratch: Path) -> pipeline.ChunkJob:
        rendering.set()
        never.wait(60)  # a render that would outlast any grace period
        raise AssertionError("the stuck render was waited for")

    monkeypatch.setattr(_fanout, "_render_to", stuck)  # the chunk task's render only
    seen: dict[str, object] = {}

    def a_stopping_worker_takes_chunk_0(refs: list[ChunkRef]) -> None:
        stopping = ChunkWorker(
            context.store, context.storage, "worker-b", 60.0, context.work_dir / "b"
        )
        task = threading.Thread(target=lambda: seen.update(answer=stopping.run(refs[0])))
        task.start()
        assert rendering.wait(30)
        stopping.abandon.set()  # the grace period is over
        began = time.monotonic()
        task.join(10)
        seen["waited_s"] = time.monotonic() - began
        seen["holders"] = context.store.lock_holders(refs[0].lock)
        with pytest.raises(NotFound):
            context.storage.get_bytes(refs[0].segment(".mp4"))

    try:
        result = _made(ChunkShare(context.chunks, job, a_stopping_worker_takes_chunk_0), plan)
    finally:
        never.set()
    assert seen["answer"] == "released: handed back at shutdown"
    assert float(seen["waited_s"]) < 2.0  # type: ignore[arg-type]
    assert set(seen["holders"].values()) == {None}  # type: ignore[attr-defined]
    assert isinstance(result, RenderResult)
    assert _durations(result.path)[0] == sum(chunk.n_frames for chunk in plan.chunks)
    assert not list((context.work_dir / "b").iterdir())  # its scratch went too
