"""Control Tower mode in the review: switching ``organization.control_tower`` on or off is one line that says what
changes hands. The mode is read from the rendered trees (the management root passes Control Tower's log group to the
alarms and create_recorder to the Config module), never from the profile. Direction: review/direction.py
``organization.control_tower`` (off is the safer side: the baseline then enforces the trail's and recorders' settings)."""

from __future__ import annotations

from ..review.context import Context, area_of, is_root
from ..review.direction import verdict
from ..review.values import plain
from . import control_tower as ct

RULE = "organization.control_tower"
ON = (f"organisation: Control Tower mode on — the baseline's organisation trail and the Config recorders of the accounts "
      f"Control Tower enrols are removed; Control Tower's trail `{ct.TRAIL}` and recorders `{ct.RECORDER}` record instead, "
      f"with the landing zone's settings, which the profile no longer decides; the CIS alarms watch `{ct.LOG_GROUP}` and the "
      f"service control policies exempt `{ct.EXECUTION_ROLE}`")
OFF = ("organisation: Control Tower mode off — the baseline creates its own organisation trail and a Config recorder in every "
       "account and Region; remove Control Tower's recorders first (AWS Config allows one per account and Region) and "
       "decommission its landing zone's trail")


def _mode(tree) -> tuple[bool, str]:
    """(Control Tower mode, the module instance that says so) of one tree."""
    for prefix, module in tree.modules.items():
        call = module.call or {}
        if not is_root(prefix) and (plain(call.get("log_group_name")) == ct.LOG_GROUP or "create_recorder" in call):
            return True, prefix
    return False, ""


def control_tower_rules(ctx: Context) -> None:
    (old, old_at), (new, new_at) = _mode(ctx.old), _mode(ctx.new)
    if old == new:
        return
    area = area_of(new_at or old_at)
    # the module input lines that only say the same (the alarms' log group, the Config module's switch): this line instead
    ctx.changes = [c for c in ctx.changes if not any(f"input `{key}`:" in c.text for key in _SAID)]
    ctx.add(area, "changed", (ON if new else OFF) + verdict(RULE, old, new))


_SAID = ("create_recorder", "log_group_name")
