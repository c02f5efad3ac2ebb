"""The commented starter profiles written by ``baselinegen init``: one account, or an organisation (an account of
every role, governance, state and CI)."""

from __future__ import annotations

import difflib
import errno
import os
import re
from pathlib import Path

from .errors import FileSystemError, UserError, os_reason
from .render.env import environment
from .sync.journal import fsync_write


STARTERS = {False: "init/profile.yaml.j2", True: "init/organization.yaml.j2"}


def starter_profile(*, preset: str, name: str, home_region: str, organization: bool = False) -> str:
    from .version import __version__

    return environment().get_template(STARTERS[organization]).render(preset=preset, name=name, home_region=home_region,
                                                                     version=__version__)


def _did_you_mean(value: str, allowed) -> str:
    close = difflib.get_close_matches(value, list(allowed), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _check_options(preset: str, name: str, home_region: str) -> None:
    from .profile.regions import AWS_REGIONS
    from .profile.schema import ORG_NAME_RE
    from .resources import preset_names

    shown = {key: value if len(value) <= 60 else f"{value[:60]}... ({len(value)} characters)"
             for key, value in (("preset", preset), ("name", name), ("home_region", home_region))}
    if preset not in preset_names():
        raise UserError(f"unknown preset {shown['preset']!r}; allowed presets: {', '.join(preset_names())}"
                        + _did_you_mean(preset, preset_names()))
    if not re.fullmatch(ORG_NAME_RE.strip("^$"), name):
        raise UserError(f"--name {shown['name']!r} is not valid; allowed: 2-32 lowercase letters, digits and hyphens, "
                        "starting with a letter and not ending with a hyphen")
    if home_region not in AWS_REGIONS:
        raise UserError(f"--home-region {shown['home_region']!r} is not an AWS Region"
                        + (_did_you_mean(home_region, AWS_REGIONS) or "; see docs/profile.md for the list"))


def write_starter(output: Path, *, preset: str, name: str, home_region: str, force: bool, organization: bool = False) -> None:
    """Write the starter profile to ``output``: every option is checked before anything is written; an existing
    file is replaced only with ``force`` (and then atomically: a failure leaves it as it was)."""
    _check_options(preset, name, home_region)
    if os.path.isdir(output):
        raise UserError(f"{output} is a folder; name the file to write, e.g. -o {output / 'profile.yaml'}")
    if os.path.lexists(output) and not force:
        raise UserError(f"{output} exists; use --force to overwrite it")
    if os.path.islink(output):
        raise UserError(f"{output} is a symbolic link; refusing to write through it")
    data = starter_profile(preset=preset, name=name, home_region=home_region, organization=organization).encode("utf-8")
    pending = output.with_name(output.name + ".baselinegen-tmp")
    try:
        fsync_write(str(pending), data, exclusive=True)
        if force:
            os.replace(pending, output)
        else:
            os.link(pending, output)  # fails if a file appeared meanwhile: never overwritten without --force
            os.unlink(pending)
    except OSError as exc:
        try:
            os.unlink(pending)
        except OSError:
            pass
        if exc.errno == errno.EEXIST and not force and exc.filename2 is not None:
            raise UserError(f"{output} exists; use --force to overwrite it") from None
        raise FileSystemError("write", str(output), os_reason(exc)) from None
