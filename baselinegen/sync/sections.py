"""Sectioned files: only the text between the markers belongs to baselinegen; the rest is the user's."""

from __future__ import annotations

BEGIN = "<!-- BEGIN_BASELINEGEN -->"
END = "<!-- END_BASELINEGEN -->"


class SectionError(ValueError):
    """The markers are missing, repeated or out of order."""


def _marker_lines(lines: list[str], marker: str) -> list[int]:
    return [i for i, line in enumerate(lines) if line.strip() == marker]


def owned_section(text: str) -> str:
    """The text between the markers (the marker lines excluded). Raises SectionError when the markers
    are not exactly one BEGIN line followed by one END line."""
    lines = text.split("\n")
    begins, ends = _marker_lines(lines, BEGIN), _marker_lines(lines, END)
    if not begins or not ends:
        missing = " and ".join(m for m, found in ((BEGIN, begins), (END, ends)) if not found)
        raise SectionError(f"the marker line {missing} is missing")
    if len(begins) > 1 or len(ends) > 1:
        raise SectionError(f"the markers {BEGIN} / {END} must appear once each")
    if ends[0] < begins[0]:
        raise SectionError(f"{END} comes before {BEGIN}")
    return "\n".join(lines[begins[0] + 1:ends[0]])


def replace_section(text: str, section: str) -> str:
    """``text`` with its owned section replaced by ``section`` (the text outside is kept byte for byte)."""
    owned_section(text)  # validates the markers
    lines = text.split("\n")
    begin, end = _marker_lines(lines, BEGIN)[0], _marker_lines(lines, END)[0]
    return "\n".join(lines[:begin + 1] + section.split("\n") + lines[end:])


def append_section(text: str, section: str) -> str:
    """A user's file without markers, with the owned section added at its end."""
    body = text.rstrip("\n")
    separator = "\n\n" if body else ""
    return f"{body}{separator}{BEGIN}\n{section}\n{END}\n"


def remove_section(text: str) -> str:
    """``text`` without the owned section and its markers (what remains is the user's)."""
    lines = text.split("\n")
    owned_section(text)
    begin, end = _marker_lines(lines, BEGIN)[0], _marker_lines(lines, END)[0]
    return "\n".join(lines[:begin] + lines[end + 1:])
