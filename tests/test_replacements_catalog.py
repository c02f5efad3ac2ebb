"""The replace-on-change table (baselinegen/catalog/replace_on_change.json) covers every resource type a template
renders, and every row is well formed and says where it was read."""

from __future__ import annotations

import json
import re
from pathlib import Path

from baselinegen.catalog import replacements

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_RESOURCE = re.compile(r'resource "(aws_[a-z0-9_]+)"')


def rendered_types() -> set[str]:
    return {m.group(1) for path in TEMPLATES.rglob("*.j2") for m in _RESOURCE.finditer(path.read_text(encoding="utf-8"))}


def test_every_resource_type_a_template_renders_has_a_row():
    missing = sorted(rendered_types() - set(replacements.rows()))
    assert missing == [], ("add a row to baselinegen/catalog/replace_on_change.json for each (its ForceNew / "
                           f"RequiresReplace arguments and the source it was read from): {', '.join(missing)}")


def test_the_table_has_no_row_for_a_type_no_template_renders():
    assert sorted(set(replacements.rows()) - rendered_types()) == []


def test_every_row_names_its_source_and_sorted_unique_arguments():
    for row in replacements.rows().values():
        assert row.source.startswith("go internal/"), row
        assert list(row.arguments) == sorted(set(row.arguments)), row
        assert all(re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)*", a) for a in row.arguments), row


def test_the_rows_read_from_the_provider_source_name_a_commit():
    for row in replacements.rows().values():
        if row.source.startswith("go "):
            assert re.search(r"\.go@[0-9a-f]{40}", row.source), row


def test_a_policy_description_replaces_the_policy_and_a_group_name_does_not_replace_the_group():
    assert "description" in replacements.arguments("aws_iam_policy")
    assert replacements.arguments("aws_iam_group") == ("region",)
    assert replacements.arguments("aws_kms_key") == ("custom_key_store_id", "customer_master_key_spec", "key_usage",
                                                      "multi_region", "xks_key_id", "region")


def test_a_type_without_a_row_is_replaced_only_by_its_region():
    assert not replacements.covered("aws_lambda_function")
    assert replacements.arguments("aws_lambda_function") == ("region",)


def test_the_table_file_is_plain_json_with_its_sources_explained():
    data = json.loads(replacements.TABLE_PATH.read_text(encoding="utf-8"))
    assert set(data) == {"about", "sources", "every_region_aware_type", "types"}
    assert {row.source.split()[0] for row in replacements.rows().values()} <= set(data["sources"])


def test_every_row_was_read_from_the_provider_source_none_from_memory():
    assert [row.type for row in replacements.rows().values() if not row.source.startswith("go internal/")] == []


def test_rows_corrected_against_the_provider_source():
    # name updates in place since the 2025 provider change (PutAccountName); email and role_name still replace
    assert replacements.arguments("aws_organizations_account") == ("email", "iam_user_access_to_billing", "role_name",
                                                                   "region")
    assert "#42350" in replacements.rows()["aws_organizations_account"].source
    # renaming what a recorder status points at is a Put, not a replacement
    assert replacements.arguments("aws_config_configuration_recorder_status") == ("region",)
    # an agent's auto_enable inside additional_configuration replaces the organisation feature
    assert replacements.arguments("aws_guardduty_organization_configuration_feature") == (
        "additional_configuration", "detector_id", "name", "region")
    # a maintenance window target's name and description cannot be updated in place
    assert replacements.arguments("aws_ssm_maintenance_window_target") == (
        "description", "name", "resource_type", "window_id", "region")
