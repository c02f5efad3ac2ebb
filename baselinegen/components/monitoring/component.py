"""Monitoring component: CIS metric filters and alarms on the trail's log group, and the alarm topic."""

from __future__ import annotations

from dataclasses import replace

from ...profile.model import CustomAlarm, Monitoring, Profile
from ...profile.regions import partition_of
from ...render.filters import hcl_string
from .. import control_tower
from . import schema as monitoring_schema
from ..base import Component, ComponentOutput, KeyUsage, ModuleCall, Move, chained_moves, renamed, render_module
from ..kms.component import key_arn_expression
from .invariants import monitoring_problems
from .render import MODULE, ALARM_TYPES, BENCHMARK_TITLES, OUTPUTS, topic_arn, rendered_alarms, topic_policy, _controls


class MonitoringComponent(Component):
    id = "monitoring"
    title = "CIS alarms and the alarm topic"
    SCHEMA = monitoring_schema.SCHEMA

    def check(self, data, doc):
        return monitoring_schema.check(data, doc)

    def build(self, data: dict) -> Monitoring:
        m = data["monitoring"]
        topic, alarms = m["topic"], m["alarms"]
        return Monitoring(
            topic_name=topic.get("name") or f"{data['organization']['name']}-security-alarms",
            topic_kms_key=topic["kms_key"],
            email_subscribers=tuple(sorted(topic["email"], key=str.lower)),
            alarms_enabled=alarms["enabled"], benchmark=alarms["benchmark"], namespace=alarms["namespace"],
            exclude=tuple(alarms["exclude"]),
            custom=tuple(
                CustomAlarm(id=c["id"], metric_name=c.get("metric_name") or monitoring_schema.metric_name_for(c["id"]),
                            description=c["description"], pattern=c["pattern"], threshold=c["threshold"], period=c["period"],
                            renamed_from=tuple(c["renamed_from"]))
                for c in alarms["custom"]
            ),
        )

    def key_usages(self, profile: Profile) -> list[KeyUsage]:
        return [KeyUsage(profile.monitoring.topic_kms_key, "sns", topic_arn(profile))]

    def moves(self, profile: Profile) -> list[Move]:
        """A renamed custom alarm's metric filter and alarm (for_each keys are alarm ids)."""
        if not profile.monitoring.alarms_enabled:
            return []
        moves = []
        for alarm in profile.monitoring.custom:
            if alarm.renamed_from:
                generations = [{type_: f"{type_}.this[{hcl_string(alarm_id)}]" for type_ in ALARM_TYPES} for alarm_id in alarm.renamed_from + (alarm.id,)]
                moves += chained_moves(generations, renamed("monitoring.alarms.custom", alarm.id, alarm.renamed_from))
        return moves

    def render_organization(self, profile: Profile) -> list[ComponentOutput]:
        """The alarms watch the organisation trail's log group, which the management account holds (in Control Tower
        mode Control Tower's, by its name: components/control_tower.py)."""
        out = self.render(profile)
        out.placement = frozenset({"management"})
        if out.module and control_tower.on(profile):
            inputs = tuple((name, hcl_string(control_tower.LOG_GROUP) if name == "log_group_name" else value) for name, value in out.module.inputs)
            out.module = replace(out.module, inputs=inputs)
        return [out] if out.module else []

    def invariants(self, parsed, profile: Profile) -> list[str]:
        return monitoring_problems(parsed, profile)

    def render(self, profile: Profile) -> ComponentOutput:
        m = profile.monitoring
        alarms = rendered_alarms(profile)
        context = {"source": profile.source, "partition": partition_of(profile.organization.home_region),
                   "monitoring": m, "org_name": profile.organization.name, "alarms": alarms,
                   "benchmark_title": BENCHMARK_TITLES[m.benchmark], "policy": topic_policy(profile)}
        inputs = [("kms_key_arn", key_arn_expression(m.topic_kms_key))]
        names = ["main.tf", "policies.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"]
        if alarms:
            inputs.append(("log_group_name", "module.cloudtrail.log_group_name"))
            names.insert(1, "alarms.tf")
        out = ComponentOutput(module=ModuleCall(MODULE, f"./modules/{MODULE}", OUTPUTS, tuple(inputs)))
        out.files += render_module(MODULE, names, context)
        out.controls = _controls(profile, alarms)
        return out


COMPONENT = MonitoringComponent()
