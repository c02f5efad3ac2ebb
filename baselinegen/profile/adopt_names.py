"""The names ``adopt`` entries give existing resources, as plain data for the model and the components: the trail's
(the baseline's trail keeps it), the analyzers', the Config recorders' and channels', the organisation aggregator's.
The entries are validated first (profile/adopt.py)."""

from __future__ import annotations

from .adopt_parts import ALWAYS_IMPORTED


def entries(raw) -> tuple[tuple[str, tuple[str, ...] | None, str | None, str | None], ...]:
    """Validated ``adopt`` items as (part, Regions or None, name or None, delivery channel or None): plain, hashable
    data for the model. ``organization`` is left out (the management root imports it anyway)."""
    out = []
    for item in raw or ():
        part, regions, name, channel = ((item["part"], item.get("regions"), item.get("name"), item.get("delivery_channel"))
                                        if isinstance(item, dict) else (item, None, None, None))
        if part != ALWAYS_IMPORTED:
            out.append((part, tuple(regions) if regions else None, name, channel))
    return tuple(out)


def adopted_trail_name(data: dict) -> str | None:
    """The name an ``adopt`` entry gives the existing trail (single account, or the management account), or None:
    the baseline's trail takes it, so the import changes the trail in place instead of replacing it."""
    places = [data.get("adopt")] + [a.get("adopt") for a in data.get("accounts") or () if isinstance(a, dict) and a.get("role") == "management"]
    return next((name for raw in places for part, _, name, _ in entries(raw if isinstance(raw, list) else ()) if part == "cloudtrail" and name), None)


def adopted_name(raw, part: str) -> str | None:
    """The ``name`` of the ``adopt`` entry of ``part`` in ``raw`` (one account's entries), or None."""
    return next((name for found, _, name, _ in entries(raw if isinstance(raw, list) else ()) if found == part and name), None)


def analyzer_names(raw, regions) -> dict[str, str]:
    """Region -> the existing analyzer's name of the ``adopt`` entries ``raw`` that name one (access-analyzer)."""
    return {region: name for part, wanted, name, _ in entries(raw) if part == "access-analyzer" and name
            for region in (wanted or regions)}


def config_names(raw, regions) -> tuple[dict[str, str], dict[str, str]]:
    """(Region -> the existing recorder's name, Region -> the existing delivery channel's name) of the ``adopt``
    entries ``raw`` of config that name them: the module keeps those names (a new name would replace them)."""
    recorders, channels = {}, {}
    for part, wanted, name, channel in entries(raw):
        for region in (wanted or regions) if part == "config" else ():
            recorders.update({region: name} if name else {})
            channels.update({region: channel} if channel else {})
    return recorders, channels
