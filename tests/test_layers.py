"""The package plan in docs/layers.toml holds: every part of the tree is in it, each imports
only what the plan lets it, stages never read settings, and no part opens another's
``_private`` modules. The plan is the only table: this file reads it, adds none of its own.

Tests may open the internals of the one package they mirror (``tests/video/`` may import
``avatarsynth.video._burn``, to test a piece too small to reach through the surface), never a
neighbour's: a test that needs another package's internal would break when that package
reorganises, which is what ``_`` promises it may do.
"""

from __future__ import annotations

import ast
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).parents[1]
PACKAGE = ROOT / "src" / "avatarsynth"
PLAN = tomllib.loads((ROOT / "docs" / "layers.toml").read_text("utf-8"))
PARTS: dict[str, dict[str, Any]] = PLAN["parts"]
GROUPS: dict[str, dict[str, Any]] = PLAN["groups"]


@dataclass(frozen=True)
class Import:
    """One import of avatarsynth: the part it reaches, and the ``_private`` module it names."""

    line: int
    part: str
    private: str | None


def may(part: str) -> set[str]:
    return set(PARTS[part].get("may", []))


def never(part: str) -> set[str]:
    banned = set(PARTS[part].get("never", []))
    for group in GROUPS.values():
        if part in group["parts"]:
            banned |= set(group["never"])
    return banned


def tree_parts() -> set[str]:
    """Each top-level module and package of src/avatarsynth."""
    modules = {path.stem for path in PACKAGE.glob("*.py")}
    packages = {path.parent.name for path in PACKAGE.glob("*/__init__.py")}
    return modules | packages


def _reached(dotted: str) -> tuple[str, str | None]:
    """``avatarsynth.video._encode.x`` → (``video``, ``_encode``)."""
    names = dotted.split(".")[1:]
    if not names:
        return "__init__", None
    part = names[0] if names[0] in PARTS or names[0] in tree_parts() else "__init__"
    inner = names[1:] if part != "__init__" else []
    return part, next((name for name in inner if name.startswith("_")), None)


def imports(path: Path) -> list[Import]:
    """Every import of avatarsynth in ``path``, at any depth (a function's lazy import too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0, (
                f"{path}:{node.lineno}: a relative import; the plan reads absolute ones"
            )
            dotted = [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            dotted = [alias.name for alias in node.names]
        else:
            continue
        for name in dotted:
            if name.split(".")[0] == "avatarsynth":
                found.append(Import(node.lineno, *_reached(name)))
    return found


def sources(part: str) -> list[Path]:
    module = PACKAGE / f"{part}.py"
    return [module] if module.exists() else sorted((PACKAGE / part).rglob("*.py"))


def test_every_part_of_the_tree_is_in_the_plan_and_nothing_else() -> None:
    assert tree_parts() - set(PARTS) == set(), "add the new part to docs/layers.toml"
    assert set(PARTS) - tree_parts() == set(), "the plan names parts the tree no longer has"


def test_the_plan_is_consistent() -> None:
    for name, group in GROUPS.items():
        assert set(group["parts"]) <= set(PARTS), f"group {name} names unknown parts"
    for part in PARTS:
        assert may(part) <= set(PARTS), f"{part} may import unknown parts"
        assert not may(part) & never(part), f"{part}: allowed and forbidden at once"


def problems(part: str, path: Path) -> list[str]:
    """What in ``path`` (a source of ``part``) breaks the plan, one line each."""
    found = []
    for each in imports(path):
        where = f"{path.relative_to(PACKAGE)}:{each.line}"
        if each.part == part:
            continue
        if each.part in never(part):
            found.append(f"{where}: {part} must never import {each.part}")
        elif each.part not in may(part):
            found.append(f"{where}: {part} may not import {each.part} (docs/layers.toml)")
        if each.private is not None:
            found.append(f"{where}: {each.part}.{each.private} is private to {each.part}")
    return found


@pytest.mark.parametrize("part", sorted(PARTS))
def test_each_part_imports_only_what_the_plan_allows(part: str) -> None:
    found = [line for path in sources(part) for line in problems(part, path)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("stage", GROUPS["stages"]["parts"])
def test_stages_never_read_settings(stage: str) -> None:
    assert "config" in never(stage)
    for path in sources(stage):
        lines = [found.line for found in imports(path) if found.part == "config"]
        assert not lines, f"{path.relative_to(PACKAGE)}:{lines}: a stage reads settings"


TESTS = ROOT / "tests"


@pytest.mark.parametrize("name", sorted(str(p.relative_to(TESTS)) for p in TESTS.rglob("*.py")))
def test_tests_open_only_the_internals_of_the_package_they_mirror(name: str) -> None:
    home = Path(name).parts[0]
    for found in imports(TESTS / name):
        assert found.private is None or found.part == home, (
            f"tests/{name}:{found.line} imports {found.part}.{found.private}; "
            f"only tests/{found.part}/ may, others use the surface"
        )
