"""The commented starter profile written by ``baselinegen init``."""

from __future__ import annotations

from .render.env import environment


def starter_profile(*, preset: str, name: str, home_region: str) -> str:
    return environment().get_template("init/profile.yaml.j2").render(preset=preset, name=name, home_region=home_region)
