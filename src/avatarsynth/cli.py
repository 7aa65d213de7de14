"""The ``avatarsynth`` command: serve the API, render without a server, manage keys and voices."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from avatarsynth.config import load_settings

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

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = load_settings()
    application = create_app(settings, build(settings).service())
    uvicorn.run(
        application, host=host or settings.host, port=port or settings.port, log_level="info"
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

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = load_settings()
    if not settings.broker_url:
        console.print("[red]AVATARSYNTH_BROKER_URL is not set[/red]: workers need a broker.")
        raise typer.Exit(code=2)
    run_worker(settings, concurrency=concurrency)


@app.command()
def keys() -> None:
    """Print the API key(s) clients must send (generating one if none is configured)."""
    from avatarsynth.api import load_keys

    settings = load_settings()
    for key in load_keys(settings.api_keys, settings.data_dir)[0]:
        typer.echo(key)


@app.command()
def render(
    text: Annotated[str, typer.Argument(help="Plain text, or SSML starting with <speak.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Video file to write.")] = Path(
        "avatar.mp4"
    ),
    voice: Annotated[str, typer.Option(help="Azure voice name.")] = "en-US-AvaMultilingualNeural",
    character: Annotated[str, typer.Option(help="Avatar character.")] = "lisa",
    style: Annotated[str, typer.Option(help="Avatar style.")] = "casual-sitting",
    codec: Annotated[str, typer.Option(help="h264, hevc, vp9 or av1.")] = "h264",
    background: Annotated[
        str | None,
        typer.Option(help="A colour #RRGGBB, or an image: an https URL or a local file."),
    ] = None,
) -> None:
    """Run the whole pipeline on one text, with no server, and write the video."""
    from avatarsynth import pipeline
    from avatarsynth.errors import AvatarsynthError
    from avatarsynth.script import InputKind
    from avatarsynth.video import EncodeOptions

    kind = InputKind.SSML if text.lstrip().startswith("<speak") else InputKind.PLAIN_TEXT
    container = "webm" if output.suffix.lower() == ".webm" else "mp4"
    try:
        request = pipeline.RenderRequest(
            content=text,
            input_kind=kind,
            voice=voice,
            character=character,
            style=style,
            video=EncodeOptions(container=container, codec=codec),
            **_background(background),
        )
        pipeline.check(request)
        result = pipeline.run(request, output)
    except AvatarsynthError as exc:
        console.print(f"[red]{exc.code}[/red]: {exc.message}")
        raise typer.Exit(code=2) from exc
    for warning in result.warnings:
        console.print(f"[yellow]warning[/yellow]: {warning}")
    console.print(f"{output}: {result.duration_s:.2f} s, {result.size_bytes / 1e6:.2f} MB")


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
    """The avatars: every character and style, its posture and its gestures."""
    from avatarsynth.avatar import catalog, find_look

    for name, styles in catalog().items():
        for style in styles:
            look = find_look(name, style)
            typer.echo(f"{name}\t{style}\t{look.posture}\t{' '.join(sorted(look.gestures))}")


@voices_app.command("prepare")
def voices_prepare() -> None:
    """Prepare the neural voice once (alignment output, fixed noise); idempotent."""
    from avatarsynth.speech import prepare

    console.print(f"voice ready: {prepare()}")


@voices_app.command("list")
def voices_list(
    locale: Annotated[str | None, typer.Option(help="Only this locale, e.g. de-DE.")] = None,
) -> None:
    """Azure voice names accepted here, with the engine that speaks each."""
    from avatarsynth.speech import engine_name, voices

    for voice in voices():
        if locale is None or voice.locale.casefold() == locale.casefold():
            typer.echo(f"{voice.name}\t{voice.locale}\t{voice.gender}\t{engine_name(voice.locale)}")
