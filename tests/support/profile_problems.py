"""A profile's problems as the CLI prints them, without the file name: ``LINE:COL: key.path: message [code]``."""

from __future__ import annotations

import textwrap
from pathlib import Path

from baselinegen import api

# The smallest valid profile: every test adds the keys it is about (an alarm subscriber keeps W407 away).
BASE = """\
version: 1
organization:
  name: acme
  home_region: us-east-1
  regions: [us-east-1]
monitoring:
  topic: {email: [soc@acme.example]}
"""
# Appended last (line numbers of what a test adds stay the same): state in S3 keeps W435 away.
STATE = "state: {bucket: acme-terraform-state}\n"


def problems(folder: Path, text: str, *, codes: tuple[str, ...] = ("E",)) -> list[str]:
    """The problems of the profile ``text`` (dedented) whose code starts with one of ``codes``, in the CLI's order."""
    path = folder / "profile.yaml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    found, _ = api.check_profile(path)
    return [f"{p.location.line}:{p.location.column}: {p.path}: {p.message} [{p.code}]" for p in found if p.code.startswith(codes)]
