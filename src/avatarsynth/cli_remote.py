"""The commands that talk to a running server: ``submit`` (and ``--wait`` with a progress bar,
then download), ``jobs``, ``job`` and ``delete``.

The server and key come from ``--url``/``--key``, else ``AVATARSYNTH_URL``/``AVATARSYNTH_KEY``,
else this machine's own server (``http://127.0.0.1:8000`` and the key it generated).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from avatarsynth.remote import FINISHED, Remote, RemoteError, avatar_body, new_job_id

console = Console(stderr=True)
Url = Annotated[
    str,
    typer.Option(envvar="AVATARSYNTH_URL", help="The server (env AVATARSYNTH_URL)."),
]
Key = Annotated[
    str | None,
    typer.Option(
        envvar="AVATARSYNTH_KEY", help="API key (env AVATARSYNTH_KEY).", show_default=False
    ),
]
DEFAULT_URL = "http://127.0.0.1:8000"
_CODECS = {"mp4": "h264", "webm": "vp9"}
"""What a player plays everywhere (the API's own mp4 default, HEVC, many players do not)."""


def _remote(url: str, key: str | None) -> Remote:
    """The server, with the given key, else this machine's server's own key."""
    if key is None:
        from avatarsynth.api import load_keys
        from avatarsynth.config import load_settings

        settings = load_settings()
        if not (settings.api_keys or (settings.data_dir / "api-key").exists()):
            console.print("[red]No key[/red]: pass --key or set AVATARSYNTH_KEY.")
            raise typer.Exit(code=2)
        key = load_keys(settings.api_keys, settings.data_dir)[0][0]
    return Remote(url, key)


@contextmanager
def _reported() -> Iterator[None]:
    """The server's errors as its code and message, and exit status 2."""
    try:
        yield
    except RemoteError as exc:
        console.print(f"[red]{exc.code}[/red]: {exc.message}")
        raise typer.Exit(code=2) from exc


def _defaults(
    server: Remote, character: str, style: str | None, voice: str | None
) -> tuple[str | None, str]:
    """The character's first style and its suggested voice, when not given."""
    if style and voice:
        return style, voice
    found = next((c for c in server.characters() if c["name"] == character.lower()), None)
    if found is None:  # the server's own 400 names the characters there are
        return style, voice or "en-US-AvaMultilingualNeural"
    return (
        style or found["styles"][0]["name"],
        voice or found.get("defaultVoice", "en-US-AvaMultilingualNeural"),
    )


def submit(
    script: Annotated[Path, typer.Argument(help="A text file (plain text) or an SSML file.")],
    character: Annotated[str, typer.Option(help="Avatar character.")] = "lisa",
    style: Annotated[
        str | None, typer.Option(help="Style (default: the character's first).")
    ] = None,
    voice: Annotated[str | None, typer.Option(help="Voice (default: the character's).")] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Download the video here (implies --wait)."),
    ] = None,
    wait: Annotated[bool, typer.Option(help="Show progress until the job finishes.")] = False,
    codec: Annotated[str | None, typer.Option(help="h264 (mp4 default), hevc, vp9, av1.")] = None,
    subtitles: Annotated[
        str, typer.Option(help="soft_embedded, hard_embedded, external_file, none.")
    ] = "soft_embedded",
    background: Annotated[
        str | None, typer.Option(help="#RRGGBBAA, transparent or an image URL.")
    ] = None,
    job_id: Annotated[str | None, typer.Option("--id", help="Job id (default: generated).")] = None,
    url: Url = DEFAULT_URL,
    key: Key = None,
) -> None:
    """Create a job on a server from a script file; with --wait or -o, follow it and download."""
    if not script.is_file():
        console.print(f"[red]No such file[/red]: {script}")
        raise typer.Exit(code=2)
    container = "webm" if output is not None and output.suffix.lower() == ".webm" else "mp4"
    server = _remote(url, key)
    with _reported():
        style, voice = _defaults(server, character, style, voice)
        body = avatar_body(
            script.read_text(encoding="utf-8"),
            voice=voice,
            character=character,
            style=style,
            container=container,
            codec=codec or _CODECS[container],
            subtitles=subtitles,
            background=background,
        )
        job = server.create(job_id or new_job_id(), body)
        console.print(f"created [bold]{job['id']}[/bold]")
        if not (wait or output):
            return
        job = follow(server, job["id"])
        _finish(server, job, output)


def progress_bar() -> Progress:
    """The bar of ``submit --wait`` and of ``render`` (on stderr): spinner, stage, bar,
    percent (of 100), time so far."""
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
    )
    return Progress(*columns, console=console, transient=False)


def follow(server: Remote, job_id: str, interval_s: float = 1.0) -> dict[str, Any]:
    """Poll a job until it finishes, with a bar fed by ``properties.progress`` where the server
    reports it (else the bar shows only the status)."""
    with progress_bar() as progress:
        task = progress.add_task("NotStarted", total=100, completed=0)
        while True:
            job = server.get(job_id)
            percent, stage = _progress(job)
            progress.update(task, completed=percent, description=stage)
            if job["status"] in FINISHED:
                return job
            time.sleep(interval_s)


def _progress(job: dict[str, Any]) -> tuple[float, str]:
    reported = job.get("properties", {}).get("progress")
    if job["status"] == "Succeeded":
        return 100.0, "Succeeded"
    if isinstance(reported, dict) and "percent" in reported:
        return float(reported["percent"]), str(reported.get("stage") or job["status"])
    return 0.0, job["status"]


def _finish(server: Remote, job: dict[str, Any], output: Path | None) -> None:
    if job["status"] == "Failed":
        error = job["properties"].get("error") or {}
        console.print(f"[red]Failed[/red]: {error.get('message', 'the job failed.')}")
        raise typer.Exit(code=1)
    props = job["properties"]
    console.print(
        f"[green]Succeeded[/green]: {props['durationInMilliseconds'] / 1000:.1f} s, "
        f"{props['sizeInBytes'] / 1e6:.2f} MB"
    )
    if output is not None:
        size = server.download(job["outputs"]["result"], output)
        console.print(f"{output}: {size / 1e6:.2f} MB")


def jobs(url: Url = DEFAULT_URL, key: Key = None) -> None:
    """The key's jobs, newest first (a table on a terminal, tab-separated lines otherwise)."""
    server = _remote(url, key)
    with _reported():
        found = server.jobs()
    header = ("id", "status", "created (UTC)", "duration", "size", "avatar")
    rows = [_row(job) for job in found]
    out = Console()
    if not out.is_terminal:
        for row in (header, *rows):
            typer.echo("\t".join(row))
        return
    table = Table(*header, box=None)
    for row in rows:
        table.add_row(*row)
    out.print(table)


def _row(job: dict[str, Any]) -> tuple[str, ...]:
    props, avatar = job["properties"], job["avatarConfig"]
    duration = props.get("durationInMilliseconds")
    size = props.get("sizeInBytes")
    return (
        job["id"],
        job["status"],
        job["createdDateTime"][:16].replace("T", " "),
        "" if duration is None else f"{duration / 1000:.1f} s",
        "" if size is None else f"{size / 1e6:.2f} MB",
        f"{avatar['talkingAvatarCharacter']}/{avatar['talkingAvatarStyle']}",
    )


def job(
    job_id: Annotated[str, typer.Argument(help="The job's id.")],
    url: Url = DEFAULT_URL,
    key: Key = None,
) -> None:
    """One job, as the server shows it (JSON)."""
    with _reported():
        found = _remote(url, key).get(job_id)
    typer.echo(json.dumps(found, indent=2))


def delete(
    job_id: Annotated[str, typer.Argument(help="The job's id.")],
    url: Url = DEFAULT_URL,
    key: Key = None,
) -> None:
    """Delete a job and its files."""
    with _reported():
        _remote(url, key).delete(job_id)
    console.print(f"deleted {job_id}")


COMMANDS: tuple[Callable[..., None], ...] = (submit, jobs, job, delete)


def register(app: typer.Typer) -> None:
    """Add the commands to the ``avatarsynth`` command."""
    for command in COMMANDS:
        app.command()(command)
