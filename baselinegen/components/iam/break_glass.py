"""Break-glass (``iam.break_glass``, identity-center mode): the only IAM users of the organisation, in the management
account, for the day Identity Center or the identity provider fails. Module ``break_glass``: the users on the
baseline's path, one group ``<org>-BreakGlass`` with ``AdministratorAccess`` and the deny-unless-MFA policy, and no
password or key (people set them by hand and store them apart: the checklist). Every console sign-in of one of them
raises the ``break-glass-sign-in`` alarm (``alarm`` below, rendered by the monitoring module with the CIS alarms)."""

from __future__ import annotations

from ...profile.model import BASELINE_PATH, Profile
from ...profile.regions import partition_of
from ...render.filters import tf_identifier
from ..base import AcceptedFinding, ComponentOutput, Control, ModuleCall, render_module
from .policies import mfa_policy
from .rows import SKIP_IAM_USER

MODULE = "break_glass"
ALARM_ID = "break-glass-sign-in"
SKIP_USER = (SKIP_IAM_USER[0], "a break-glass user: the only IAM users in identity-center mode, administrator-only, MFA enforced, "
                               "every console sign-in alarmed (iam.break_glass)")
SKIP_ADMIN = ("CKV_AWS_274", "break-glass: full access is the group's purpose, used only when Identity Center fails, MFA required")


def group_name(profile: Profile) -> str:
    return f"{profile.organization.name}-BreakGlass"


def alarm(profile: Profile) -> tuple[str, str, str, str] | None:
    """(id, metric name, title, CloudWatch Logs filter pattern) of the break-glass sign-in alarm, or None."""
    names = profile.iam.break_glass
    if not (profile.iam.identity_center and names):
        return None
    who = " || ".join(f'($.userIdentity.userName = "{name}")' for name in names)
    pattern = f'{{ ($.eventName = "ConsoleLogin") && ($.userIdentity.type = "IAMUser") && ({who}) }}'
    return (ALARM_ID, "BreakGlassSignIn", "A break-glass user signed in to the console", pattern)


def render_break_glass(profile: Profile) -> ComponentOutput:
    address = f"module.{MODULE}"
    mfa = mfa_policy(profile)
    users = [{"id": tf_identifier(n), "name": n} for n in profile.iam.break_glass]
    findings = [AcceptedFinding(SKIP_USER[0], f"{address}.aws_iam_user.{u['id']}", SKIP_USER[1]) for u in users]
    findings.append(AcceptedFinding(SKIP_ADMIN[0], f"{address}.aws_iam_group_policy_attachment.break_glass", SKIP_ADMIN[1]))
    context = {"source": profile.source, "partition": partition_of(profile.organization.home_region), "iam_path": BASELINE_PATH,
               "group_name": group_name(profile), "users": users, "mfa": mfa, "skip_user": SKIP_USER, "skip_admin": SKIP_ADMIN,
               "alarm_id": ALARM_ID}
    call = ModuleCall(name=MODULE, source=f"./modules/{MODULE}", title="Break-glass IAM users, administrators with MFA",
                      outputs=(("break_glass_user_arns", "ARN of every break-glass user, by name."),))
    out = ComponentOutput(module=call, placement=frozenset({"management"}))
    out.files += render_module(MODULE, ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"), context)
    out.accepted_findings = sorted(findings, key=lambda f: (f.address, f.check_id))
    out.controls = [Control("Break-glass users", f"{', '.join(profile.iam.break_glass)}: the only IAM users, in the management "
                                                 "account, administrators with MFA enforced; every console sign-in raises the "
                                                 f"`{ALARM_ID}` alarm")]
    out.checklist = [f"Break-glass users ({', '.join(profile.iam.break_glass)}, management account): set each password and a "
                     "hardware MFA device by hand (baselinegen creates neither), keep each person's credentials in a separate "
                     "safe, and test a sign-in once a quarter; every sign-in raises the break-glass-sign-in alarm."]
    return out
