"""Control Tower mode in the review: switching ``organization.control_tower`` on or off is one line that says what
changes hands, naming the accounts whose Config recorder goes or comes; an account enrolled or no longer enrolled
(``accounts[].control_tower``) is one line for that account. The mode is read from the rendered trees (the management
root passes Control Tower's log group to the alarms, every root create_recorder to the Config module), never from the
profile. Direction: review/direction.py ``organization.control_tower`` (off is the safer side: the baseline then
enforces the trail's and recorders' settings)."""

from __future__ import annotations

from ..review.context import Context, area_of, is_root
from ..review.direction import verdict
from ..review.values import plain
from . import control_tower as ct

RULE = "organization.control_tower"
_SAID = ("create_recorder", "log_group_name")  # module inputs whose own lines would only repeat these lines


def _mode(tree) -> tuple[bool, str]:
    """(Control Tower mode, the module instance that says so) of one tree."""
    for prefix, module in tree.modules.items():
        call = module.call or {}
        if not is_root(prefix) and (plain(call.get("log_group_name")) == ct.LOG_GROUP or "create_recorder" in call):
            return True, prefix
    return False, ""


def _enrolled(tree) -> dict[str, tuple[bool, str]]:
    """Account -> (Control Tower records it, the Config module instance), from the roots' create_recorder."""
    found = {}
    for prefix, module in tree.modules.items():
        call = module.call or {}
        if prefix.startswith("accounts/") and "create_recorder" in call:
            found[prefix[len("accounts/"):].partition(":")[0]] = (plain(call["create_recorder"]) == "false", prefix)
    return found


def _names(accounts) -> str:
    return ", ".join(f"`{a}`" for a in sorted(accounts)) or "none"


def control_tower_rules(ctx: Context) -> None:
    (old, old_at), (new, new_at) = _mode(ctx.old), _mode(ctx.new)
    if not (old or new):
        return
    ctx.changes = [c for c in ctx.changes if not any(f"input `{key}`:" in c.text for key in _SAID)]
    if old and new:
        before, after = _enrolled(ctx.old), _enrolled(ctx.new)
        for account in sorted(set(before) & set(after)):
            (was, _), (now, prefix) = before[account], after[account]
            if was != now:
                ctx.add(area_of(prefix), "changed", f"account `{account}`: " + (
                    f"enrolled in Control Tower — the baseline's Config recorder is removed, Control Tower's `{ct.RECORDER}` "
                    "records the account with the landing zone's settings" if now else
                    "no longer enrolled in Control Tower — the baseline's Config recorder is created in its Regions")
                    + verdict(RULE, was, now), [prefix])
        return
    enrolled = [a for a, (yes, _) in _enrolled(ctx.new if new else ctx.old).items() if yes]
    if new:
        text = (f"organisation: Control Tower mode on — the baseline's organisation trail and the Config recorders of "
                f"{_names(enrolled)} are removed; Control Tower's trail `{ct.TRAIL}` and recorders `{ct.RECORDER}` record "
                f"instead, with the landing zone's settings, which the profile no longer decides; the CIS alarms watch "
                f"`{ct.LOG_GROUP}` and the service control policies exempt `{ct.EXECUTION_ROLE}`")
    else:
        text = (f"organisation: Control Tower mode off — the baseline creates its own organisation trail and Config recorders "
                f"in {_names(enrolled)} too; remove Control Tower's recorders there first (AWS Config allows one per "
                "account and Region) and decommission its landing zone's trail")
    ctx.add(area_of(new_at or old_at), "changed", text + verdict(RULE, old, new))
