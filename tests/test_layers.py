"""The packages keep the design's direction: arrows go down, never up (docs/design.md §2)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "src" / "avatarsynth"
# What each part may import from avatarsynth besides itself, errors and config.
ALLOWED = {
    # The frame layout that the renderer and the encoder share: at the bottom, below errors.
    "frame": set(),
    "script": set(),
    "speech": {"script"},
    "performance": {"script", "speech"},
    "avatar": {"performance", "speech"},
    "video": set(),
    # Fetching what a request points at (background images): the network, behind a policy.
    "fetch": set(),
    # Writing results into the caller's blob container, through fetch's address checks.
    "delivery": {"fetch"},
    "pipeline": {"script", "speech", "performance", "avatar", "video", "fetch"},
    "storage": set(),
    "dispatch": {"pipeline", "storage", "script", "video"},
    "jobs": {"dispatch", "storage", "pipeline", "script", "video", "fetch", "delivery"},
    # Celery mode's tasks run jobs on workers: a composition part above jobs, like the API.
    "tasks": {"jobs", "storage", "dispatch", "pipeline"},
    # Who runs jobs: builds each process's runtime (embedded or Celery) for serve and worker.
    "runtime": {"jobs", "storage", "dispatch", "pipeline", "tasks"},
    # HTTP only, in front of the job service the runtime built; the voice and avatar lists read
    # the speech and avatar catalogs (and the default video size).
    "api": {"jobs", "storage", "speech", "avatar", "video"},
}
SHARED = {"errors", "config", "frame", "__version__"}


def imported_parts(path: Path) -> set[str]:
    parts = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            head, _, rest = name.partition(".")
            if head == "avatarsynth" and rest:
                parts.add(rest.split(".")[0])
            elif head == "avatarsynth" and isinstance(node, ast.ImportFrom):
                parts.update(alias.name for alias in node.names)
    return parts


def sources(part: str) -> list[Path]:
    module = PACKAGE / f"{part}.py"
    return [module] if module.exists() else sorted((PACKAGE / part).rglob("*.py"))


@pytest.mark.parametrize("part", sorted(ALLOWED))
def test_no_part_imports_upwards(part: str) -> None:
    files = sources(part)
    assert files, f"{part} has no sources"
    for path in files:
        forbidden = imported_parts(path) - ALLOWED[part] - SHARED - {part}
        assert not forbidden, f"{path.relative_to(PACKAGE)} imports {sorted(forbidden)}"


def test_the_frame_module_imports_nothing_of_avatarsynth() -> None:
    assert imported_parts(PACKAGE / "frame.py") == set()
