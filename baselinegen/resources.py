"""Where ``templates/`` and ``profiles/`` live: the source checkout, or inside the installed wheel."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def data_dir(name: str) -> Path:
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.is_dir() and (checkout.parent / "pyproject.toml").is_file():
        return checkout  # source checkout or editable install: the live files
    installed = files("baselinegen") / name
    return Path(str(installed))


def templates_dir() -> Path:
    return data_dir("templates")


def profiles_dir() -> Path:
    return data_dir("profiles")


def preset_names() -> list[str]:
    return sorted(p.stem for p in profiles_dir().glob("*.yaml"))
