"""The review as text (terminal), markdown (a pull-request comment) or json (machines)."""

from __future__ import annotations

import html
import json
import re

from .diffs import line_counts
from ..file_fanout import Listed, listed_diffs, named, others_note
from .model import FileDiff, Review
from .names import type_name

COMMENT_LIMIT = 65_536  # characters in a GitHub pull-request comment
RERUN = "baselinegen diff PROFILE -o DIR --format text"
_KEY = re.compile(r"\[[^\[\]]*\]$")
_MD_SPECIAL = re.compile(r"([\\*_\[\]~])")


def destroyed_words(address: str) -> tuple[str, str]:
    """(what it is in plain words, the address): ``("CloudWatch alarm", 'module...metric_alarm.this["x"]')``."""
    base = _KEY.sub("", address).rpartition(":")[2]
    parts = base.split(".")
    kind = type_name(parts[-2]) if len(parts) >= 2 else "resource"
    return kind[:1].upper() + kind[1:], address


def replaced_lines(review: Review) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    """(what it is in plain words, the address, [(argument, old, new)]) for each resource Terraform will replace."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    for r in review.replaced:
        out.setdefault(r.address, []).append((r.argument, r.old, r.new))
    return [(destroyed_words(address)[0], address, changes) for address, changes in out.items()]


def to_json(review: Review) -> str:
    return json.dumps(review.to_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def to_text(review: Review) -> str:
    if review.empty:
        return "No changes.\n"
    out = []
    for title, lines in _verdict_blocks(review):
        out += [f"{title} ({len(lines)}):"] + [f"  - {line}" for line in lines] + [""]
    if review.summary:
        out.append(f"Security summary ({len(review.summary)}):")
        out += [f"  - {c.text}" for c in review.summary]
    else:
        out.append("Security summary: no resource changes (documentation or formatting only).")
    if review.destroyed:
        out += ["", f"Terraform will destroy ({len(review.destroyed)}):"]
        out += [f"  - {kind}: {address}" for kind, address in map(destroyed_words, review.destroyed)]
    if review.replaced:
        lines = replaced_lines(review)
        out += ["", f"Terraform will replace (destroy, then create) ({len(lines)}):"]
        out += [f"  - {kind}: {address} ({'; '.join(f'{a}: {o} → {n}' for a, o, n in changes)})" for kind, address, changes in lines]
    if review.imports:
        out += ["", f"Imports ({len(review.imports)}):"]
        out += [f"  - {line}" for line in review.imports]
    if review.moved:
        out += ["", "Moved (Terraform updates these in place instead of destroying them):"]
        out += [f"  - {a} → {b}" for a, b in review.moved]
    if review.notes:
        out += [""] + [f"Note: {n}" for n in review.notes]
    out += ["", f"Files ({len(review.files)}):"]
    listed = _listed_files(review)
    for one in listed:
        added, removed = line_counts(one.item.diff)
        out.append(f"  {one.item.status:<8}  {one.path(one.item.path)} (+{added} -{removed})"
                   + (f", the same in {named(one.accounts)}" if one.accounts else ""))
    text = "\n".join(out) + "\n"
    ids = dict(review.account_ids)
    for one in listed:
        text += "\n" + _shown_diff(one, ids)
    return text


def _listed_files(review: Review) -> list[Listed[FileDiff]]:
    """The changed files, the same diff in many account roots once (file_fanout)."""
    return listed_diffs(review.files, lambda f: f.path, lambda f: f.diff, dict(review.account_ids))


def _shown_diff(one: Listed[FileDiff], ids: dict[str, str]) -> str:
    """A file's diff; a group's is the first account's, followed by the others."""
    if not one.accounts:
        return one.item.diff
    diff = one.item.diff if one.item.diff.endswith("\n") else one.item.diff + "\n"
    return diff + others_note(one, one.item.diff, ids) + "\n"


def _verdict_blocks(review: Review) -> list[tuple[str, tuple[str, ...]]]:
    """The blocks above the security summary: exceptions, the benchmark's verdicts and the profile's warnings that change."""
    blocks = (("Accepted deviations", review.deviations), ("Benchmark", review.benchmark), ("Profile warnings", review.warnings))
    return [(title, lines) for title, lines in blocks if lines]


def _md(text: str) -> str:
    """Markdown-safe inline text: escaped outside `code spans`, code spans kept."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: escape everything
        return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False)).replace("`", "\\`")
    return "`".join(p if i % 2 else _MD_SPECIAL.sub(r"\\\1", html.escape(p, quote=False)) for i, p in enumerate(parts))


def _code(text: str) -> str:
    ticks = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (ticks + 1)
    return f"{fence} {text} {fence}" if ticks else f"`{text}`"


def _file_section(path: str, status: str, diff: str, accounts: str = "", note: str = "") -> str:
    """A file's diff, folded; for the same diff in many accounts, ``accounts`` (after the counts) and ``note`` (the
    other accounts, under the diff)."""
    added, removed = line_counts(diff)
    ticks = max([len(m) for m in re.findall(r"`{3,}", diff)] + [2]) + 1
    fence = "`" * ticks
    body = diff if diff.endswith("\n") else diff + "\n"
    after = f"{_md(note)}\n\n" if note else ""
    return (f"<details>\n<summary><code>{html.escape(path)}</code> — {status} (+{added} −{removed}){html.escape(accounts)}</summary>\n\n"
            f"{fence}diff\n{body}{fence}\n\n{after}</details>\n")


def to_markdown(review: Review, limit: int = COMMENT_LIMIT, command: str = RERUN) -> str:
    heading = "## baselinegen: what this regeneration changes\n\n"
    if review.empty:
        return heading + "No changes.\n"
    head = [heading]  # the verdict blocks first, never cut
    for title, lines in _verdict_blocks(review):
        head += [f"### {title} ({len(lines)})\n\n"] + [f"- {_md(line)}\n" for line in lines] + ["\n"]
    head.append(f"### Security summary ({len(review.summary)})\n\n")
    summary = [f"- {_md(c.text)}\n" for c in review.summary] or ["No resource changes (documentation or formatting only).\n"]
    kept = []  # never cut: a reviewer must see every replacement
    if review.replaced:
        lines = replaced_lines(review)
        kept.append(f"\n### ⚠️ Terraform will replace: destroy, then create ({len(lines)})\n\n")
        full_lines = [f"- {kind}: {_code(address)} — " + "; ".join(f"{_code(a)}: {_code(o)} → {_code(n)}" for a, o, n in changes)
                      + "\n" for kind, address, changes in lines]
        if sum(map(len, full_lines)) > limit // 2:  # too long to keep whole next to the rest: the arguments without values
            full_lines = [f"- {_code(address)} ({', '.join(_code(a) for a, _, _ in changes)})\n" for _, address, changes in lines]
        kept += full_lines
    tail = []
    if review.destroyed:
        tail.append(f"\n### ⚠️ Terraform will destroy ({len(review.destroyed)})\n\n")
        tail += [f"- {kind}: {_code(address)}\n" for kind, address in map(destroyed_words, review.destroyed)]
    if review.imports:
        tail.append(f"\n### Imports ({len(review.imports)})\n\n")
        tail += [f"- {_md(line)}\n" for line in review.imports]
    if review.moved:
        tail.append("\n### Moved (updated in place, not destroyed)\n\n")
        tail += [f"- {_code(a)} → {_code(b)}\n" for a, b in review.moved]
    if review.notes:
        tail.append("\n" + "".join(f"> **Note:** {_md(n)}\n" for n in review.notes))
    tail.append(f"\n### Files ({len(review.files)})\n\n")
    listed = _listed_files(review)
    ids = dict(review.account_ids)
    sections = [_file_section(one.path(one.item.path), one.item.status, one.item.diff, f", the same in {named(one.accounts)}",
                              others_note(one, one.item.diff, ids)) if one.accounts
                else _file_section(one.item.path, one.item.status, one.item.diff) for one in listed]
    full = "".join(head + summary + kept + tail + sections)
    if len(full) <= limit:
        return full
    return _cut(head, summary, tail, sections, [one.path(one.item.path) for one in listed], limit, command, kept)


def _cut(head, summary, tail, sections, paths, limit: int, command: str, fixed=()) -> str:
    """Cut the file diffs first (whole files, in order), then destroy/moved lines, the summary last (``fixed``, the
    replace list, never); end with a note that says what was left out and how to see everything."""
    budget = limit - 1500  # room for the closing note
    summary, tail, fixed = list(summary), list(tail), list(fixed)
    size = len("".join(head + summary + fixed + tail))
    cut_tail = cut_summary = 0
    for lines, counter in ((tail, "tail"), (summary, "summary")):
        while size > budget and any(line.startswith("- ") for line in lines):
            index = max(i for i, line in enumerate(lines) if line.startswith("- "))
            size -= len(lines.pop(index))
            if counter == "tail":
                cut_tail += 1
            else:
                cut_summary += 1
    kept = []
    for section in sections:
        if size + len(section) > budget:
            break
        kept.append(section)
        size += len(section)
    left = paths[len(kept):]
    what = []
    if cut_summary:
        what.append(f"{cut_summary} summary line{'s' if cut_summary != 1 else ''}")
    if cut_tail:
        what.append(f"{cut_tail} line{'s' if cut_tail != 1 else ''} of the destroy, import and moved lists")
    if left:
        shown = []
        for path in left:
            if sum(len(p) + 4 for p in shown) + len(path) > 600:
                break
            shown.append(f"`{path}`")
        names = ", ".join(shown) + (f" and {len(left) - len(shown)} more" if len(shown) < len(left) else "")
        what.append(f"the diff{'s' if len(left) != 1 else ''} of {len(left)} file{'s' if len(left) != 1 else ''} ({names})")
    note = (f"\n---\n✂️ **Cut to fit a pull-request comment ({limit:,} characters).** Left out: {'; '.join(what)}. "
            f"See everything with `{command}`.\n")
    return "".join(head + summary + fixed + tail + kept) + note


def format_review(review: Review, fmt: str, *, limit: int = COMMENT_LIMIT, command: str = RERUN) -> str:
    if fmt == "text":
        return to_text(review)
    if fmt == "markdown":
        return to_markdown(review, limit, command)
    if fmt == "json":
        return to_json(review)
    raise ValueError(f"unknown review format {fmt!r}: use text, markdown or json")
