"""A detective service turned on or off as a whole: its anchor resource's line ("GuardDuty turned off")
says it, so the service's other resources and locals added or removed with it get no lines of their own
(the destroy list still names every one)."""

from __future__ import annotations

from .context import Context

# (anchor resource type, resource type prefixes of the service, words in its resource and local names)
FAMILIES = (
    ("aws_guardduty_detector", ("aws_guardduty_",), ("guardduty", "findings")),
    ("aws_securityhub_account", ("aws_securityhub_",), ("security_hub", "securityhub")),
    ("aws_inspector2_enabler", ("aws_inspector2_",), ("inspector",)),
    ("aws_accessanalyzer_analyzer", ("aws_accessanalyzer_",), ("access_analyzer",)),
    ("aws_config_configuration_recorder", ("aws_config_",), ("config_rule", "rules")),
)


def service_rules(ctx: Context) -> None:
    for anchor, prefixes, words in FAMILIES:
        for address, before, after in ctx.pairs(anchor):
            if before is not None and after is not None:
                continue
            tree = ctx.new if before is None else ctx.old
            other = ctx.old if before is None else ctx.new
            module = (after or before).module
            for found, block in tree.blocks.items():
                if found == address or block.module != module or found in other.blocks:
                    continue
                if block.type.startswith(prefixes) or any(w in block.name for w in words):
                    ctx.cover_block_and_instances(found)
            here = tree.modules[module].locals if module in tree.modules else {}
            there = other.modules[module].locals if module in other.modules else {}
            for name in here:
                if name not in there and any(w in name for w in words):
                    ctx.cover_local(module, name)
