"""Control Tower mode and the profile's KMS keys (W447): a key whose services list cloudtrail or cloudwatch-logs grants
a trail or trail log group the baseline no longer renders (Control Tower's are in place of them), and, with nothing to
pin the grant to, any trail or log group of the account. The warning is located at the service item, or, for the
default key, where the mode is switched on, and says what to write instead."""

from __future__ import annotations

from baselinegen.pipeline import check_profile
from test_control_tower import EXAMPLE

TEXT = EXAMPLE.read_text(encoding="utf-8")
KEYS = TEXT[TEXT.index("  keys:\n"):TEXT.index("  ebs_default_encryption")]


def _warnings(tmp_path, text: str) -> list[str]:
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    problems, _ = check_profile(path)
    return [f"{p.location.line}:{p.location.column}: {p.path}: {p.message} [{p.code}]" for p in problems if p.code == "W447"]


def _line(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_the_example_whose_key_serves_config_and_sns_only_is_not_warned(tmp_path):
    assert _warnings(tmp_path, TEXT) == []


def test_a_key_listing_cloudtrail_and_cloudwatch_logs_is_warned_at_each_item(tmp_path):
    text = TEXT.replace("services: [config, sns]", "services: [cloudtrail, config, sns, cloudwatch-logs]", 1)
    line = _line(text, "services: [cloudtrail, config")
    assert _warnings(tmp_path, text) == [
        f"{line}:18: encryption.keys[0].services[0]: Control Tower mode renders no trail of the baseline's: key `logs` lets "
        "cloudtrail use it for nothing of the baseline's, and any CloudTrail trail of the account may encrypt with it; "
        "remove cloudtrail from its services (Control Tower's trail `aws-controltower-BaselineCloudTrail` is encrypted as "
        "the landing zone's settings say) [W447]",
        f"{line}:43: encryption.keys[0].services[3]: Control Tower mode renders no log group for a trail of the baseline's: "
        "key `logs` lets cloudwatch-logs use it for nothing of the baseline's, and any CloudWatch Logs group of the account "
        "in the home Region may encrypt with it; remove cloudwatch-logs from its services (Control Tower's log group "
        "`aws-controltower/CloudTrailLogs` is encrypted as the landing zone's settings say) [W447]"]


def test_the_default_key_is_warned_once_where_control_tower_mode_is_switched_on(tmp_path):
    text = TEXT.replace(KEYS, "", 1)
    assert "keys:" not in text
    assert _warnings(tmp_path, text) == [
        f"{_line(text, 'control_tower: true')}:18: organization.control_tower: the default key `logs` lists cloudtrail and "
        "cloudwatch-logs, which Control Tower mode leaves unused (the baseline renders no trail or trail log group; any "
        "trail or log group of the account may encrypt with it): write encryption.keys with services [config, sns] [W447]"]


def test_outside_control_tower_mode_a_trail_key_is_not_warned(tmp_path):
    text = (EXAMPLE.parent / "acme-org.yaml").read_text(encoding="utf-8")
    assert "cloudtrail" in text and _warnings(tmp_path, text) == []
