"""The README's map of the package stays true: every path it lists exists, every package of
``ppid_desk`` is on it, and the functions its walk-through names are in the files it names.

The map is the fenced block under "## Map of the package". On each line the first word is a path;
an indented path is relative to the folder above it with less indentation; ``{a,b}`` stands for
each of its words (``intake_{views,forms}.py`` is two files); the rest of the line is prose.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADING = "## Map of the package"


def _section(readme: str) -> str:
    start = readme.index(HEADING) + len(HEADING)
    following = readme.find("\n## ", start)
    return readme[start:following if following != -1 else len(readme)]


def _expand(word: str) -> list[str]:
    found = re.search(r"\{([^{}]*)\}", word)
    if found is None:
        return [word]
    head, tail = word[:found.start()], word[found.end():]
    return [path for choice in found.group(1).split(",") for path in _expand(head + choice + tail)]


def map_paths(section: str) -> list[str]:
    """Every path the map's block lists, relative to the repository root."""
    block = section.split("```", 2)[1]
    paths: list[str] = []
    folders: list[tuple[int, str]] = []  # (indentation, folder) of the enclosing folders
    for line in block.splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        word = line.split()[0]
        while folders and folders[-1][0] >= indent:
            folders.pop()
        base = folders[-1][1] if folders else ""
        expanded = [base + path for path in _expand(word)]
        paths.extend(expanded)
        if word.endswith("/"):
            folders.append((indent, expanded[0]))
    return paths


def missing_paths(section: str, root: Path) -> list[str]:
    """The listed paths that are not there (a folder is listed with its trailing slash)."""
    return [path for path in map_paths(section)
            if not ((root / path).is_dir() if path.endswith("/") else (root / path).is_file())]


def _readme_section() -> str:
    return _section((ROOT / "README.md").read_text(encoding="utf-8"))


def test_every_path_on_the_map_exists():
    section = _readme_section()
    assert len(map_paths(section)) >= 40
    assert missing_paths(section, ROOT) == []


def test_a_path_that_is_gone_makes_the_map_fail(tmp_path):
    (tmp_path / "pkg" / "desk").mkdir(parents=True)
    (tmp_path / "pkg" / "desk" / "intake_views.py").write_text("")
    section = "\n```\npkg/\n  desk/   the desk\n    intake_{views,forms}.py  parts\n  gone/\n```\n"
    assert map_paths(section) == ["pkg/", "pkg/desk/", "pkg/desk/intake_views.py",
                                  "pkg/desk/intake_forms.py", "pkg/gone/"]
    assert missing_paths(section, tmp_path) == ["pkg/desk/intake_forms.py", "pkg/gone/"]


def test_every_package_is_on_the_map():
    listed = set(map_paths(_readme_section()))
    packages = {f"ppid_desk/{init.parent.name}/" for init in (ROOT / "ppid_desk").glob("*/__init__.py")}
    assert packages - listed == set()


def test_the_walk_through_names_real_files_and_functions():
    prose = _readme_section().split("```", 2)[2]
    named = re.findall(r"`([\w/]+\.py)` \(`(\w+)`", prose)
    assert len(named) >= 2
    for path, function in named:
        assert f"def {function}(" in (ROOT / "ppid_desk" / path).read_text(encoding="utf-8"), (path, function)
    for path in re.findall(r"`([\w]+/[\w/]+\.py)`", prose):
        assert (ROOT / "ppid_desk" / path).is_file(), path
