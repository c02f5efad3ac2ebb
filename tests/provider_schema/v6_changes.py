"""hashicorp/aws 5.100.0 -> 6.x schema differences, as reviewable data.

``build.py`` starts from the schema that ``terraform providers schema -json``
prints for hashicorp/aws 5.100.0 (the only provider binary available offline)
and applies the changes listed here to approximate the 6.x schema.

Sources (all in github.com/hashicorp/terraform-provider-aws):

* [UPGRADE]  website/docs/guides/version-6-upgrade.html.markdown
             ("Terraform AWS Provider Version 6 Upgrade Guide")
* [REGION]   website/docs/guides/enhanced-region-support.html.markdown,
             section "Non-region-aware resources" (6.0.0 revision)
* [CHANGELOG] CHANGELOG.md, section "6.0.0 (June 18, 2025)"
* [SOURCE]   internal/service/<service>/... (provider source, 6.x)

Every entry below names the section it comes from.  The modelled target is
6.0.0; new resources/arguments added by later 6.x minor releases are NOT
modelled (see README.md).

Patch tuple format (``PATCHES``)::

    (op, kind, type_name, path, *args)

    kind  "resource" | "data"
    path  dotted path to an attribute/block, e.g. "logging_config.s3_config"
    op    "remove"     remove the attribute or nested block at ``path``
          "attribute"  set/add attribute ``path`` with mode args[0]
                       ("required" | "optional" | "computed")
          "rename"     rename attribute/block ``path`` to args[0]
          "nesting"    set nested block ``path`` to nesting args[0],
                       min_items args[1], max_items args[2] (0 = unlimited)
          "copy_block" add a copy of nested block ``path`` named args[0]

``build.py`` fails if a patch does not match the 5.100.0 schema, so every
entry here is known to apply.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------
# Enhanced Region Support ([REGION], [UPGRADE] "Enhanced Region Support")
#
# 6.0.0 adds an optional top-level ``region`` argument to every resource and
# data source EXCEPT the ones below.  build.py adds ``region = optional`` to
# every type that is not matched by GLOBAL_PREFIXES, GLOBAL_TYPES,
# REGION_DEPRECATED_TYPES or REGION_UNCHANGED_TYPES.
# ---------------------------------------------------------------------------

# [REGION] "Global services": all resources AND data sources of these services.
GLOBAL_PREFIXES: tuple[str, ...] = (
    "aws_account_",  # Account Management
    "aws_arcregionswitch_",  # ARC Region Switch (listed in later revisions; none in 5.100.0)
    "aws_billing_",  # Billing (e.g. data source aws_billing_service_account)
    "aws_bcmdataexports_",  # Billing and Cost Management Data Exports
    "aws_budgets_",  # Budgets
    "aws_cloudfront_",  # CloudFront
    "aws_cloudfrontkeyvaluestore_",  # CloudFront KeyValueStore
    "aws_ce_",  # Cost Explorer
    "aws_costoptimizationhub_",  # Cost Optimization Hub
    "aws_cur_",  # Cost and Usage Report
    "aws_globalaccelerator_",  # Global Accelerator
    "aws_iam_",  # IAM (incl. data source aws_iam_policy_document)
    "aws_rolesanywhere_",  # IAM Roles Anywhere
    "aws_invoicing_",  # Invoicing (listed in later revisions; none in 5.100.0)
    "aws_networkmanager_",  # Network Manager
    "aws_organizations_",  # Organizations
    "aws_pricing_",  # Price List
    "aws_route53_",  # Route 53 (but see GLOBAL_PREFIX_EXCEPTIONS)
    "aws_route53domains_",  # Route 53 Domains
    "aws_route53recoverycontrolconfig_",  # Route 53 ARC
    "aws_route53recoveryreadiness_",  # Route 53 ARC
    "aws_savingsplans_",  # Savings Plans (listed in later revisions; none in 5.100.0)
    "aws_shield_",  # Shield Advanced
    "aws_notifications_",  # User Notifications
    "aws_notificationscontacts_",  # User Notifications Contacts
    "aws_waf_",  # WAF Classic (NOT aws_wafv2_/aws_wafregional_, which are regional)
)

# Types matching GLOBAL_PREFIXES that are nevertheless regional.
# [SOURCE] internal/service/route53resolver/service_package_gen.go registers
# every aws_route53_resolver_* type with inttypes.ResourceRegionDefault():
# Route 53 *Resolver* is a separate, regional service; the guide's
# "aws_route53_*" glob means the Route 53 (DNS) service package only.
GLOBAL_PREFIX_EXCEPTIONS: tuple[str, ...] = ("aws_route53_resolver_",)

# [REGION] "Global resources in regional services", "Meta data sources",
# "Policy Document Data Sources", and aws_caller_identity (listed with IAM).
GLOBAL_TYPES: dict[str, frozenset[str]] = {
    "resource": frozenset(
        {
            # NOT in the guide, but annotated @Region(overrideEnabled=false)
            # in the 6.x provider source ([SOURCE] internal/service/
            # auditmanager, newOrganizationAdminAccountRegistrationResource;
            # its model has no WithRegionModel) -> no `region` argument.
            "aws_auditmanager_organization_admin_account_registration",
            "aws_backup_global_settings",
            "aws_chimesdkvoice_global_settings",
            "aws_cloudtrail_organization_delegated_admin_account",
            "aws_dx_gateway",
            # Listed as global in the 6.0.0 revision of the guide; later
            # revisions drop it, and the current provider source no longer
            # annotates it @Region(global=true) (Region-aware in a later
            # 6.x).  Kept global so generated configs work on every 6.x.
            "aws_ec2_image_block_public_access",
            "aws_fms_admin_account",
            "aws_vpc_ipam_organization_admin_account",
            # Listed as global in the 6.0.0 revision of the guide, dropped
            # from later revisions (reason not verified; a 6.x source
            # revision still has @Region(global=true)).  Kept global.
            "aws_quicksight_account_settings",
            "aws_ram_sharing_with_organization",
            "aws_s3_account_public_access_block",
            "aws_servicecatalog_organizations_access",
        }
    ),
    "data": frozenset(
        {
            "aws_caller_identity",  # "IAM (aws_iam_*, aws_rolesanywhere_* and aws_caller_identity)"
            "aws_canonical_user_id",
            "aws_dx_gateway",
            "aws_s3_account_public_access_block",
            # "Meta data sources": effectively global.
            "aws_default_tags",
            "aws_partition",
            "aws_regions",
            # "Policy Document Data Sources": effectively global.
            "aws_cloudwatch_log_data_protection_policy_document",
            "aws_ecr_lifecycle_policy_document",
        }
    ),
}

# [REGION] "Resources deprecating `region`": these had their own top-level
# `region` before 6.0.0; it is deprecated and NOT replaced by the Enhanced
# Region Support argument.  Their exact 6.0 shape is set by PATCHES below.
REGION_DEPRECATED_TYPES: dict[str, frozenset[str]] = {
    "resource": frozenset(
        {
            "aws_cloudformation_stack_set_instance",
            "aws_config_aggregate_authorization",
            "aws_dx_hosted_connection",
            "aws_servicequotas_template",
            "aws_ssmincidents_replication_set",
        }
    ),
    "data": frozenset(
        {
            "aws_region",
            "aws_servicequotas_templates",
            "aws_ssmincidents_replication_set",
            "aws_vpc_endpoint_service",
            "aws_vpc_peering_connection",
            # NOTE: the guide also lists the aws_s3_bucket *data source* here,
            # but its own "Data Source aws_s3_bucket" upgrade section says
            # `region` "is now used for Enhanced Region Support" and the
            # provider source (internal/service/s3/bucket_data_source.go) no
            # longer declares `region` itself (the framework injects it).  So
            # aws_s3_bucket is treated as Region-aware; see PATCHES.
        }
    ),
}

# [REGION] "`region` of the `aws_arn` data source stays as-is" (computed: the
# Region parsed out of the ARN).
REGION_UNCHANGED_TYPES: dict[str, frozenset[str]] = {
    "resource": frozenset(),
    "data": frozenset({"aws_arn"}),
}

# ---------------------------------------------------------------------------
# Removed resource / data source types
# ---------------------------------------------------------------------------
REMOVED_TYPES: dict[str, tuple[str, ...]] = {
    "resource": (
        # [UPGRADE] "OpsWorks Stacks Removal"
        "aws_opsworks_application",
        "aws_opsworks_custom_layer",
        "aws_opsworks_ecs_cluster_layer",
        "aws_opsworks_ganglia_layer",
        "aws_opsworks_haproxy_layer",
        "aws_opsworks_instance",
        "aws_opsworks_java_app_layer",
        "aws_opsworks_memcached_layer",
        "aws_opsworks_mysql_layer",
        "aws_opsworks_nodejs_app_layer",
        "aws_opsworks_permission",
        "aws_opsworks_php_app_layer",
        "aws_opsworks_rails_app_layer",
        "aws_opsworks_rds_db_instance",
        "aws_opsworks_stack",
        "aws_opsworks_static_web_layer",
        "aws_opsworks_user_profile",
        # [UPGRADE] "SimpleDB Support Removed"
        "aws_simpledb_domain",
        # [UPGRADE] "Worklink Support Removed"
        "aws_worklink_fleet",
        "aws_worklink_website_certificate_authority_association",
    ),
    "data": (
        # [UPGRADE] "Resource aws_redshift_service_account ... has been
        # removed".  In 5.100.0 this type only exists as a DATA SOURCE (there
        # never was such a resource); [SOURCE] internal/service/redshift/
        # service_package_gen.go (6.x) no longer registers it.
        "aws_redshift_service_account",
    ),
}

# ---------------------------------------------------------------------------
# Argument / block changes
# ---------------------------------------------------------------------------
R, D = "resource", "data"

PATCHES: tuple[tuple, ...] = (
    # ----- Data sources ----------------------------------------------------
    # [UPGRADE] "Data Source aws_ami" / [CHANGELOG] ENHANCEMENTS: new argument.
    ("attribute", D, "aws_ami", "allow_unsafe_filter", "optional"),
    # [CHANGELOG] ENHANCEMENTS "data-source/aws_availability_zone: Add
    # group_long_name attribute" (its `region` becomes Optional through the
    # generic Enhanced Region Support pass).
    ("attribute", D, "aws_availability_zone", "group_long_name", "computed"),
    # [UPGRADE] "Data Source aws_batch_compute_environment": renamed.
    ("rename", D, "aws_batch_compute_environment", "compute_environment_name", "name"),
    # [UPGRADE] "Data Source aws_ecs_task_definition".
    ("remove", D, "aws_ecs_task_definition", "inference_accelerator"),
    # [UPGRADE] "Data Source aws_ecs_task_execution" (block under `overrides`).
    ("remove", D, "aws_ecs_task_execution", "overrides.inference_accelerator_overrides"),
    # [UPGRADE] "Data Source aws_elbv2_listener_rule" (registered as
    # aws_lb_listener_rule): single nested -> list nested blocks.
    ("nesting", D, "aws_lb_listener_rule", "action.authenticate_cognito", "list", 0, 1),
    ("nesting", D, "aws_lb_listener_rule", "action.authenticate_oidc", "list", 0, 1),
    ("nesting", D, "aws_lb_listener_rule", "action.fixed_response", "list", 0, 1),
    ("nesting", D, "aws_lb_listener_rule", "action.forward", "list", 0, 1),
    ("nesting", D, "aws_lb_listener_rule", "action.forward.stickiness", "list", 0, 1),
    ("nesting", D, "aws_lb_listener_rule", "action.redirect", "list", 0, 1),
    ("nesting", D, "aws_lb_listener_rule", "condition.host_header", "list", 0, 1),
    ("nesting", D, "aws_lb_listener_rule", "condition.http_header", "list", 0, 1),
    ("nesting", D, "aws_lb_listener_rule", "condition.http_request_method", "list", 0, 1),
    ("nesting", D, "aws_lb_listener_rule", "condition.path_pattern", "list", 0, 1),
    ("nesting", D, "aws_lb_listener_rule", "condition.query_string", "list", 0, 1),
    ("nesting", D, "aws_lb_listener_rule", "condition.source_ip", "list", 0, 1),
    # [UPGRADE] "Data Source aws_globalaccelerator_accelerator": id computed only.
    ("attribute", D, "aws_globalaccelerator_accelerator", "id", "computed"),
    # [UPGRADE] "Data Source aws_identitystore_group" / "..._user": filter removed.
    ("remove", D, "aws_identitystore_group", "filter"),
    ("remove", D, "aws_identitystore_user", "filter"),
    # [UPGRADE] "Data Source aws_launch_template".
    ("remove", D, "aws_launch_template", "elastic_gpu_specifications"),
    ("remove", D, "aws_launch_template", "elastic_inference_accelerator"),
    # [UPGRADE] "Data Source aws_opensearch_domain".
    ("remove", D, "aws_opensearch_domain", "kibana_endpoint"),
    # [UPGRADE] "Data Source aws_opensearchserverless_security_config".
    ("nesting", D, "aws_opensearchserverless_security_config", "saml_options", "list", 0, 1),
    # [UPGRADE] "Data Source aws_quicksight_data_set": tags_all removed.
    # ([CHANGELOG] labels this "resource/"; the resource keeps tags_all.)
    ("remove", D, "aws_quicksight_data_set", "tags_all"),
    # [UPGRADE] "Data Source aws_region": `name` deprecated, use `region`.
    ("attribute", D, "aws_region", "region", "optional"),
    # [UPGRADE] "Data Source aws_s3_bucket": bucket_region added; `region` is
    # the Enhanced Region Support argument (added by the generic pass).
    ("attribute", D, "aws_s3_bucket", "bucket_region", "computed"),
    # [UPGRADE] "Data Source aws_service_discovery_service".
    ("remove", D, "aws_service_discovery_service", "tags_all"),
    # [UPGRADE] "Data Source aws_servicequotas_templates": `region` deprecated
    # (was required), use `aws_region`.  [SOURCE] newTemplatesDataSource in
    # internal/service/servicequotas (6.x): both Optional, ExactlyOneOf.
    ("attribute", D, "aws_servicequotas_templates", "region", "optional"),
    ("attribute", D, "aws_servicequotas_templates", "aws_region", "optional"),
    # [UPGRADE] "Data Source aws_ssmincidents_replication_set".
    ("attribute", D, "aws_ssmincidents_replication_set", "regions", "computed"),
    # [UPGRADE] "Data Source aws_vpc_endpoint_service".
    ("attribute", D, "aws_vpc_endpoint_service", "service_region", "computed"),
    # [UPGRADE] "Data Source aws_vpc_peering_connection".  [SOURCE]
    # dataSourceVPCPeeringConnection in internal/service/ec2 (6.x,
    # @Region(overrideEnabled=false)): `region` Computed+Deprecated (was
    # Optional+Computed in 5.x), `requester_region` Computed.
    ("attribute", D, "aws_vpc_peering_connection", "region", "computed"),
    ("attribute", D, "aws_vpc_peering_connection", "requester_region", "computed"),
    # ----- Resources -------------------------------------------------------
    # [UPGRADE] "Resource aws_api_gateway_account".
    ("remove", R, "aws_api_gateway_account", "reset_on_delete"),
    # [UPGRADE] "Resource aws_api_gateway_deployment".
    ("remove", R, "aws_api_gateway_deployment", "stage_name"),
    ("remove", R, "aws_api_gateway_deployment", "stage_description"),
    ("remove", R, "aws_api_gateway_deployment", "canary_settings"),
    ("remove", R, "aws_api_gateway_deployment", "invoke_url"),
    ("remove", R, "aws_api_gateway_deployment", "execution_arn"),
    # [UPGRADE] "Resource aws_batch_compute_environment": renamed.
    ("rename", R, "aws_batch_compute_environment", "compute_environment_name", "name"),
    ("rename", R, "aws_batch_compute_environment", "compute_environment_name_prefix", "name_prefix"),
    # [UPGRADE] "Resource aws_batch_job_queue".
    ("remove", R, "aws_batch_job_queue", "compute_environments"),
    # [UPGRADE] "Resource aws_bedrock_model_invocation_logging_configuration".
    ("nesting", R, "aws_bedrock_model_invocation_logging_configuration", "logging_config", "list", 0, 1),
    ("nesting", R, "aws_bedrock_model_invocation_logging_configuration", "logging_config.cloudwatch_config", "list", 0, 1),
    (
        "nesting",
        R,
        "aws_bedrock_model_invocation_logging_configuration",
        "logging_config.cloudwatch_config.large_data_delivery_s3_config",
        "list",
        0,
        1,
    ),
    ("nesting", R, "aws_bedrock_model_invocation_logging_configuration", "logging_config.s3_config", "list", 0, 1),
    # [UPGRADE] "Resource aws_cloudformation_stack_set_instance": `region`
    # deprecated (stays optional), use `stack_set_instance_region`.
    ("attribute", R, "aws_cloudformation_stack_set_instance", "stack_set_instance_region", "optional"),
    # [UPGRADE] "Resource aws_cloudfront_response_headers_policy".
    ("attribute", R, "aws_cloudfront_response_headers_policy", "etag", "computed"),
    # [UPGRADE] "Resource aws_config_aggregate_authorization".  [SOURCE]
    # resourceAggregateAuthorization in internal/service/configservice (6.x,
    # @Region(overrideEnabled=false)): `authorized_aws_region` and deprecated
    # `region` are both Optional with ExactlyOneOf (region was Required).
    ("attribute", R, "aws_config_aggregate_authorization", "region", "optional"),
    ("attribute", R, "aws_config_aggregate_authorization", "authorized_aws_region", "optional"),
    # [CHANGELOG] BREAKING "resource/aws_cur_report_definition: The s3_prefix
    # argument is now required".
    ("attribute", R, "aws_cur_report_definition", "s3_prefix", "required"),
    # [UPGRADE] "Resource aws_dms_endpoint".
    ("remove", R, "aws_dms_endpoint", "s3_settings"),
    # [UPGRADE] "Resource aws_dx_gateway_association".
    ("remove", R, "aws_dx_gateway_association", "vpn_gateway_id"),
    # [UPGRADE] "Resource aws_dx_hosted_connection": `region` (computed)
    # deprecated, use `connection_region`.
    ("attribute", R, "aws_dx_hosted_connection", "connection_region", "computed"),
    # [UPGRADE] "Resource aws_ecs_task_definition".
    ("remove", R, "aws_ecs_task_definition", "inference_accelerator"),
    # [CHANGELOG] ENHANCEMENTS "resource/aws_ecs_service: Add arn attribute".
    ("attribute", R, "aws_ecs_service", "arn", "computed"),
    # [UPGRADE] "Resource aws_eip".
    ("remove", R, "aws_eip", "vpc"),
    # [UPGRADE] "Resource aws_eks_addon".
    ("remove", R, "aws_eks_addon", "resolve_conflicts"),
    # [UPGRADE] "Resource aws_flow_log".
    ("remove", R, "aws_flow_log", "log_group_name"),
    # [UPGRADE] "Resource aws_guardduty_detector": `datasources` is only
    # DEPRECATED in 6.0 (not removed) -> no schema change.
    # [UPGRADE] "Resource aws_guardduty_organization_configuration":
    # `auto_enable` removed, `auto_enable_organization_members` now required
    # (`datasources` only deprecated).
    ("remove", R, "aws_guardduty_organization_configuration", "auto_enable"),
    ("attribute", R, "aws_guardduty_organization_configuration", "auto_enable_organization_members", "required"),
    # [UPGRADE] "Resource aws_instance".
    ("remove", R, "aws_instance", "cpu_core_count"),
    ("remove", R, "aws_instance", "cpu_threads_per_core"),
    # [UPGRADE] "Resource aws_launch_template".
    ("remove", R, "aws_launch_template", "elastic_gpu_specifications"),
    ("remove", R, "aws_launch_template", "elastic_inference_accelerator"),
    # [UPGRADE] "Resource aws_networkmanager_core_network".
    ("remove", R, "aws_networkmanager_core_network", "base_policy_region"),
    # [UPGRADE] "Resource aws_opensearch_domain".
    ("remove", R, "aws_opensearch_domain", "kibana_endpoint"),
    # [UPGRADE] "Resource aws_opensearchserverless_security_config".
    ("nesting", R, "aws_opensearchserverless_security_config", "saml_options", "list", 0, 1),
    # [UPGRADE] "Resource aws_paymentcryptography_key".
    ("nesting", R, "aws_paymentcryptography_key", "key_attributes", "list", 0, 1),
    ("nesting", R, "aws_paymentcryptography_key", "key_attributes.key_modes_of_use", "list", 0, 1),
    # [UPGRADE] "Resource aws_redshift_cluster".
    ("remove", R, "aws_redshift_cluster", "snapshot_copy"),
    ("remove", R, "aws_redshift_cluster", "logging"),
    ("attribute", R, "aws_redshift_cluster", "cluster_public_key", "computed"),
    ("attribute", R, "aws_redshift_cluster", "cluster_revision_number", "computed"),
    ("attribute", R, "aws_redshift_cluster", "endpoint", "computed"),
    # [UPGRADE] "Resource aws_rekognition_stream_processor".
    ("nesting", R, "aws_rekognition_stream_processor", "regions_of_interest.bounding_box", "list", 0, 1),
    # [UPGRADE] "Resource aws_resiliencehub_resiliency_policy".
    ("nesting", R, "aws_resiliencehub_resiliency_policy", "policy", "list", 0, 1),
    ("nesting", R, "aws_resiliencehub_resiliency_policy", "policy.az", "list", 0, 1),
    ("nesting", R, "aws_resiliencehub_resiliency_policy", "policy.hardware", "list", 0, 1),
    ("nesting", R, "aws_resiliencehub_resiliency_policy", "policy.software", "list", 0, 1),
    ("nesting", R, "aws_resiliencehub_resiliency_policy", "policy.region", "list", 0, 1),
    # [UPGRADE] "Resource aws_s3_bucket": bucket_region added; `region` (was
    # computed) is now the Enhanced Region Support argument (generic pass).
    ("attribute", R, "aws_s3_bucket", "bucket_region", "computed"),
    # [CHANGELOG] ENHANCEMENTS "resource/aws_sagemaker_image_version: Add
    # aliases argument".
    ("attribute", R, "aws_sagemaker_image_version", "aliases", "optional"),
    # [UPGRADE] "Resource aws_sagemaker_notebook_instance".
    ("remove", R, "aws_sagemaker_notebook_instance", "accelerator_types"),
    # [UPGRADE] "Resource aws_servicequotas_template".  [SOURCE]
    # internal/service/servicequotas/template.go (6.x): `aws_region` and
    # deprecated `region` both Optional+Computed, ExactlyOneOf.
    ("attribute", R, "aws_servicequotas_template", "region", "optional"),
    ("attribute", R, "aws_servicequotas_template", "aws_region", "optional"),
    # [UPGRADE] "Resource aws_spot_instance_request".
    ("remove", R, "aws_spot_instance_request", "block_duration_minutes"),
    # [UPGRADE] "Resource aws_ssm_association".
    ("remove", R, "aws_ssm_association", "instance_id"),
    # [UPGRADE] "Resource aws_ssmincidents_replication_set": the `region`
    # block is deprecated, use `regions` (same shape; exactly one of them, so
    # neither is required by the schema any more).
    ("copy_block", R, "aws_ssmincidents_replication_set", "region", "regions"),
    ("nesting", R, "aws_ssmincidents_replication_set", "region", "set", 0, 0),
    # [UPGRADE] "Resource aws_verifiedpermissions_schema".
    ("nesting", R, "aws_verifiedpermissions_schema", "definition", "list", 0, 1),
)
