"""What a change does to the benchmark's verdicts and to the profile's warnings, read from the generated README of
both trees (its "CIS controls", "Profile warnings" and "Accepted deviations" tables): the review needs no profile of the
current tree, only the files on disk.

    benchmark_lines(old, new)   # "CIS 1.8 Password policy …: covered → partial (weaker) — …"
    warning_lines(old, new)     # "W401 added: `iam.password_policy.minimum_length`: 12 is below … (weaker)"
    deviation_lines(old, new)   # "exception added: `CKV_AWS_10` in module `iam`: … (accepted by … until 2027-06-30)"
"""

from __future__ import annotations

import re

from .direction import presence, verdict

README = "README.md"
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_ICONS = ("✅ ", "⚠️ ", "⛔ ", "✋ ", "➖ ", "🗼 ")  # 🗼: relies on Control Tower (controls/report.py)
_SUMMARY = re.compile(r"^(.+?): \d+ controls: ")


def _section(text: str, heading: str) -> list[str] | None:
    lines = text.splitlines()
    if heading not in lines:
        return None
    start = lines.index(heading) + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("## ")), len(lines))
    return lines[start:end]


def _rows(lines: list[str]) -> list[list[str]]:
    """The cells of every body row of the section's table (the header and the rule line left out)."""
    rows = [[c.strip().replace("\\|", "|") for c in _CELL_SPLIT.split(line)[1:-1]] for line in lines if line.startswith("| ")]
    return rows[1:] if rows else []


def _controls(text: str | None) -> tuple[str, dict[str, tuple[str, str, str]]] | None:
    """(benchmark title, id -> (title, verdict, gap)) of a README's controls table."""
    section = _section(text or "", "## CIS controls")
    if section is None:
        return None
    title = next((m.group(1) for line in section if (m := _SUMMARY.match(line))), "")
    out = {}
    for row in _rows(section):
        if len(row) != 4:
            continue
        cid, name, status, evidence = row
        for icon in _ICONS:
            status = status.removeprefix(icon)
        first = evidence.split("<br>")[0]
        gap = "" if first.startswith("`") or first == "—" else first
        out[cid] = (name, status, gap)
    return title, out


def benchmark_lines(old: dict[str, str], new: dict[str, str]) -> tuple[str, ...]:
    """One line per control whose verdict changes (the benchmark's order); a benchmark that changes is one line."""
    before, after = _controls(old.get(README)), _controls(new.get(README))
    if before is None or after is None:
        return ()
    (old_title, a), (new_title, b) = before, after
    if old_title != new_title:
        return (f"benchmark {old_title or 'none'} → {new_title or 'none'}: every verdict is in `baselinegen controls`",)
    out = []
    for cid, (name, status, gap) in b.items():
        if cid not in a or a[cid][1] == status:
            continue
        line = f"CIS {cid} {name}: {a[cid][1]} → {status}{verdict('benchmark.verdict', a[cid][1], status)}"
        out.append(line + (f" — {gap}" if gap and status in ("partial", "turned off") else ""))
    return tuple(out)


def _warnings(text: str | None) -> dict[tuple[str, str], str] | None:
    section = _section(text or "", "## Profile warnings")
    if section is None:
        return None
    return {(row[0], row[1].strip("`")): row[2] for row in _rows(section) if len(row) == 3 and row[0] != "—"}


def warning_lines(old: dict[str, str], new: dict[str, str]) -> tuple[str, ...]:
    """Warnings the change adds, resolves or rewords (by code and key); nothing when either README lacks the table
    (a tree rendered before it existed: every warning would read as new)."""
    before, after = _warnings(old.get(README)), _warnings(new.get(README))
    if before is None or after is None:
        return ()
    out = []
    for key in sorted(set(before) | set(after)):
        code, path = key
        if key not in before:
            out.append(f"{code} added: `{path}`: {after[key]}{presence('profile.warning', True)}")
        elif key not in after:
            out.append(f"{code} resolved: `{path}`: {before[key]}{presence('profile.warning', False)}")
        elif before[key] != after[key]:
            accepted = after[key].startswith(before[key]) and "(accepted deviation:" in after[key][len(before[key]):]
            out.append(f"{code} {'now accepted' if accepted else 'now'}: `{path}`: {after[key]}")
    return tuple(out)


def _deviations(text: str | None) -> dict[tuple[str, str], tuple[str, str, str]] | None:
    section = _section(text or "", "## Accepted deviations")
    if section is None:
        return None
    return {(row[0].strip("`"), row[1]): (row[2], row[3], row[4]) for row in _rows(section) if len(row) == 5 and row[0] != "—"}


def _place(where: str) -> str:
    """The README table's ``where`` (all, modules/<name>, account <name>) as words."""
    if where.startswith("modules/"):
        return f"in module `{where[len('modules/'):]}`"
    if where.startswith("account "):
        return f"in account `{where[len('account '):]}`"
    return "everywhere" if where == "all" else f"at {where}"


def deviation_lines(old: dict[str, str], new: dict[str, str]) -> tuple[str, ...]:
    """Exceptions (accepted deviations) added, removed or changed; a README without the table counts as none."""
    before, after = _deviations(old.get(README)) or {}, _deviations(new.get(README)) or {}
    out = []
    for key in sorted(set(before) | set(after)):
        check, where = key
        if before.get(key) == after.get(key):
            continue
        reason, by, until = after.get(key) or before[key]
        verb = "added" if key not in before else ("removed" if key not in after else "changed")
        out.append(f"exception {verb}: `{check}` {_place(where)}: {reason} (accepted by {by} until {until})"
                   + (presence("exception.entry", verb == "added") if verb != "changed" else ""))
    return tuple(out)
