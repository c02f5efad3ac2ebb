"""Offline checks of ``governance.policies`` (org_policies.py): E307 a name twice (or one the guardrails of
governance.service_control_policies already use), E308 not exactly one of preset and file, E309 an unknown preset or
one of another type, E310 a policy file that is unsafe or unreadable (outside the profile's folder, a link out of it,
over 64 KiB, not UTF-8, not JSON), E311 the type's grammar, E312 over AWS's size for the type, E313 a target that is
no root, unit path or account (did-you-mean) or is both a unit and an account, E314 more policies of a type on one
target than AWS allows (its managed FullAWSAccess/RCPFullAWSAccess and the root guardrails counted), E315 regions on
another preset or outside organization.regions, E316 a preset that denies what the baseline itself does in an
account it covers; W450 the same for a policy file (it may mean to); W453 a declarative EC2 policy that cuts the
instances the baseline patches off Systems Manager (needs.ec2_conflicts: their networks decide)."""

from __future__ import annotations

import difflib
from pathlib import Path

from ...errors import Problem
from ...policy_presets import PRESETS, grammar
from ...policy_presets.quotas import QUOTAS, jsonencode_size
from ...profile.loader import LoadedDocument, problem_at as _problem
from ...profile.units import ROOT, accounts_at, unit_paths
from ...profile.wording import names_in
from .needs import blocked, ci_entry, ec2_conflicts
from .org_policies import BODY_KEY, preset_body

MAX_FILE_BYTES = 64 * 1024
LEGACY_NAMES = {"guardrails": ("deny_leaving_organization", "protect_security_services", "deny_root_user"),
                "region-restriction": ("restrict_regions",)}


def _read(doc: LoadedDocument, where: tuple, relative: str) -> tuple[object, Problem | None]:
    folder = Path(doc.file).resolve().parent
    candidate = Path(relative)
    if candidate.is_absolute() or ".." in candidate.parts:
        return None, _problem(doc, where, f"{relative!r} is not a path inside the profile's folder; write it relative to the "
                                          "folder, without ..", "E310")
    path = (folder / candidate)
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None, _problem(doc, where, f"{relative!r}: no such file next to the profile", "E310")
    if folder not in resolved.parents or not resolved.is_file():
        return None, _problem(doc, where, f"{relative!r} leads outside the profile's folder (a symbolic link) or is not a file", "E310")
    try:
        with open(resolved, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return None, _problem(doc, where, f"{relative!r} cannot be read: {exc.strerror}", "E310")
    if len(raw) > MAX_FILE_BYTES:
        return None, _problem(doc, where, f"{relative!r} is over {MAX_FILE_BYTES // 1024} KiB; no organisation policy is that large", "E310")
    try:
        return grammar.parse(raw.decode("utf-8")), None
    except UnicodeDecodeError:
        return None, _problem(doc, where, f"{relative!r} is not UTF-8 text", "E310")
    except ValueError as exc:
        return None, _problem(doc, where, f"{relative!r}: {exc}", "E310")


def _body(doc, data, i: int, item: dict) -> tuple[object, list[Problem]]:
    at = ("governance", "policies", i)
    preset, file = item.get("preset"), item.get("file")
    if (preset is None) == (file is None):
        return None, [_problem(doc, at + (("file",) if file else ("name",)), "a policy has exactly one of preset (shipped with "
                                                                             "baselinegen) and file (a JSON document)", "E308")]
    if preset is not None:
        found = PRESETS.get(preset)
        if found is None:
            close = difflib.get_close_matches(preset, PRESETS, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            same = [p.name for p in PRESETS.values() if p.type == item["type"]]
            return None, [_problem(doc, at + ("preset",), f"no preset is named {preset!r}{hint}; presets of type {item['type']}: "
                                                          f"{', '.join(same) or 'none'}", "E309")]
        if found.type != item["type"]:
            return None, [_problem(doc, at + ("preset",), f"preset {preset!r} is a {found.type} policy, not {item['type']}; "
                                                          f"write type: {found.type}", "E309")]
        return preset_body(data, preset, item.get("regions")), []
    body, problem = _read(doc, at + ("file",), file)
    if problem:
        return None, [problem]
    found = grammar.problems(body, item["type"])
    if found:
        path, message = found[0]
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        return None, [_problem(doc, at + ("file",), f"{file}: {path + ': ' if path else ''}{message}{more}", "E311")]
    item[BODY_KEY] = body
    return body, []


def _target_problems(doc, data, i: int, item: dict) -> list[Problem]:
    paths = list(dict.fromkeys(unit_paths((data["organization"].get("units") or []))))
    accounts = [a["name"] for a in data["accounts"]]
    known = [ROOT] + paths + accounts
    out, seen = [], set()
    for j, target in enumerate(item["attach"]):
        where = ("governance", "policies", i, "attach", j)
        if target in seen:
            out.append(_problem(doc, where, f"{target!r} is listed twice", "E313"))
        elif target in paths and target in accounts:
            out.append(_problem(doc, where, f"{target!r} is both a unit and an account; rename one of them", "E313"))
        elif target not in known:
            close = difflib.get_close_matches(target, known, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            out.append(_problem(doc, where, f"no unit or account is named {target!r}{hint}; targets: {names_in(known, 'organization.units and accounts')}", "E313"))
        seen.add(target)
    return out


def _size_problem(doc, i: int, item: dict, body) -> list[Problem]:
    quota = QUOTAS[item["type"]]
    size = jsonencode_size(grammar.minified(body))
    if size <= quota.max_characters:
        return []
    return [_problem(doc, ("governance", "policies", i, "file" if item.get("file") else "preset"),
                     f"policy {item['name']!r} is {size:,} characters of minified JSON; AWS Organizations accepts at most "
                     f"{quota.max_characters:,} per {quota.label}", "E312")]


def _count_problems(doc, data, items) -> list[Problem]:
    scps = data["governance"].get("service_control_policies") or {}
    at_root = sum(1 for switches in LEGACY_NAMES.values() if any(scps.get(k) for k in switches))
    out, counted = [], {}
    for i, item in items:
        for j, target in enumerate(dict.fromkeys(item["attach"])):
            key = (item["type"], target)
            counted[key] = counted.get(key, 0) + 1
            quota = QUOTAS[item["type"]]
            extra = (1 if quota.managed else 0) + (at_root if item["type"] == "scp" and target == ROOT else 0)
            if counted[key] + extra == quota.max_per_target + 1:
                besides = ([quota.managed] if quota.managed else []) + (["the root guardrails"] if extra > 1 or (extra and not quota.managed) else [])
                out.append(_problem(doc, ("governance", "policies", i, "attach", j),
                                    f"{target!r} would hold {counted[key] + extra} {quota.label}s ({', '.join(besides) + ' and ' if besides else ''}"
                                    f"{counted[key]} of governance.policies); AWS Organizations attaches at most {quota.max_per_target} "
                                    "to a root, unit or account", "E314"))
    return out


def _regions_problems(doc, data, i: int, item: dict) -> list[Problem]:
    if "regions" not in item:
        return []
    where = ("governance", "policies", i, "regions")
    if item.get("preset") != "restrict-regions":
        return [_problem(doc, where, "regions belongs to preset restrict-regions only", "E315")]
    outside = [r for r in item["regions"] if r not in data["organization"]["regions"]]
    return [_problem(doc, where, f"{', '.join(outside)} not in organization.regions: the baseline runs nowhere else", "E315")] if outside else []


def _blocking_problems(doc, profile, i: int, item: dict, body) -> list[Problem]:
    covered = {name for target in item["attach"] for name in accounts_at(profile.raw, target)}
    # A preset names no account: what it denies in one account it denies in every account with the same Regions, so
    # the walk runs once per Region set (and once more for the CI entry account, which also holds the pipeline's
    # state requests). A policy file may name accounts: it is walked account by account.
    walked: dict[tuple, str | None] = {}
    entry = ci_entry(profile.raw)
    for account in profile.organization.accounts:
        if account.name in covered and account.role != "management" and item["type"] == "declarative-ec2":
            taken = ec2_conflicts(body, profile, account)
            if taken:
                return [_problem(doc, ("governance", "policies", i, "preset" if item.get("preset") else "file"),
                                 f"policy {item['name']!r} in account {account.name}: {taken}", "W453", "warning")]
        elif account.name in covered and account.role != "management":
            key = (tuple(account.regions), account.name == entry)
            if not item.get("preset") or key not in walked:
                walked[key] = blocked(item["type"], body, profile, account)
            what = walked[key]
            if what:
                preset = item.get("preset")
                return [_problem(doc, ("governance", "policies", i, "preset" if preset else "file"),
                                 f"policy {item['name']!r} denies what the baseline does in account {account.name}: {what}",
                                 "E316" if preset else "W450", "error" if preset else "warning")]
    return []


def policy_problems(data: dict, doc: LoadedDocument, profile_of) -> list[Problem]:
    """``profile_of()``: the validated profile as the needs walk reads it (built only when every policy parsed)."""
    items = (data.get("governance") or {}).get("policies") or []
    if not items or data.get("accounts") is None:
        return []
    scps = data["governance"].get("service_control_policies") or {}
    out, names, bodies = [], {}, {}
    for i, item in enumerate(items):
        if item["name"] in names:
            out.append(_problem(doc, ("governance", "policies", i, "name"), f"policy {item['name']!r} is already governance.policies[{names[item['name']]}]", "E307"))
        elif item["name"] in LEGACY_NAMES and any(scps.get(k) for k in LEGACY_NAMES[item["name"]]):
            out.append(_problem(doc, ("governance", "policies", i, "name"), f"{item['name']!r} is the policy governance.service_control_policies "
                                                                            "renders; name this one otherwise", "E307"))
        names.setdefault(item["name"], i)
        body, found = _body(doc, data, i, item)
        out += found + _regions_problems(doc, data, i, item) + _target_problems(doc, data, i, item)
        if body is not None:
            out += _size_problem(doc, i, item, body)
            bodies[i] = body
    out += _count_problems(doc, data, list(enumerate(items)))
    try:
        profile = profile_of()
    except (KeyError, TypeError, ValueError):
        return out  # a malformed account has its own error; the walk needs every account
    for i, body in bodies.items():
        out += _blocking_problems(doc, profile, i, items[i], body)
    return out
