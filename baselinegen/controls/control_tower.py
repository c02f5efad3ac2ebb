"""Control Tower mode (``organization.control_tower``): the logging controls AWS Control Tower's landing zone meets
instead of the baseline, with the verdict "relies on Control Tower". They are named by their CIS v1.4.0 number (3.1-3.7),
the same control in every benchmark version. The baseline renders no trail there (Control Tower's organisation trail
records every account) and no Config recorder in the accounts Control Tower enrols; facts and sources:
components/control_tower.py."""

from __future__ import annotations

from ..components import control_tower as ct
from .context import Context
from .model import Verdict, off, relies_on_control_tower

_TRAIL = f"Control Tower's organisation trail `{ct.TRAIL}`"
_BUCKET = "Control Tower's log archive bucket `aws-controltower-logs-<log archive account>-<home Region>`"
RELYING = {  # CIS v1.4.0 id -> what Control Tower provides (and what to check there)
    "3.1": f"{_TRAIL}, created in the management account, records every account in every Region; the baseline renders no second trail",
    "3.2": f"{_TRAIL}'s log file validation, a setting of the landing zone: check it in the CloudTrail console",
    "3.3": f"{_BUCKET}, which Control Tower's mandatory controls keep private",
    "3.4": f"{_TRAIL} delivers to `{ct.LOG_GROUP}` in the management account; the CIS alarms watch that log group",
    "3.5": f"Control Tower's recorder `{ct.RECORDER}` in every enrolled account and governed Region; the management account and accounts with `control_tower: false` keep the baseline's recorder",
    "3.6": f"{_BUCKET} logs its server access to Control Tower's access-log bucket `aws-controltower-s3-access-logs-<id>-<Region>`",
    "3.7": f"{_TRAIL}'s log files are KMS-encrypted only when the landing zone is set up with a KMS key (by default SSE-S3): check the landing zone's settings",
}


# S3 data events (v1.4.0 3.10, 3.11): Control Tower's trail has none, and the mode renders no second trail (E393).
NOT_IN_MODE = {"3.10", "3.11"}


def relying(ctx: Context, control, verdict: Verdict) -> Verdict:
    """``verdict`` as it stands, or "relies on Control Tower" for the controls Control Tower's landing zone meets (off,
    by the mode, for the data-event controls its trail does not meet)."""
    cis14 = control.id_in("cis-1.4") or ""
    if not ct.on(ctx.profile) or (cis14 not in RELYING and cis14 not in NOT_IN_MODE):
        return verdict
    if cis14 in NOT_IN_MODE:
        return off(ct.KEY_TEXT, f"Control Tower's trail `{ct.TRAIL}` records management events only and the mode renders no "
                                "second trail: S3 data events need a trail of your own, outside the baseline")
    return relies_on_control_tower(RELYING[cis14])
