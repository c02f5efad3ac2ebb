"""The tfplugin6.Provider service: each RPC decodes its DynamicValues, asks planning/data_sources, encodes back."""

from __future__ import annotations

import json
import sys
import traceback

import grpc
from tfplugin_proto import tfplugin6_5_pb2 as pb

from tfprovider import data_sources, planning, schema
from tfprovider.values import conform_block, decode, encode

SETTINGS = planning.Settings()


def _dynamic(value) -> pb.DynamicValue:
    return pb.DynamicValue(msgpack=encode(value))


def _error(summary: str, detail: str = "") -> list:
    return [pb.Diagnostic(severity=pb.Diagnostic.ERROR, summary=summary, detail=detail)]


def get_metadata(request, context):
    data = schema.tables()
    return pb.GetMetadata.Response(
        server_capabilities=pb.ServerCapabilities(get_provider_schema_optional=True),
        resources=[pb.GetMetadata.ResourceMetadata(type_name=n) for n in sorted(data["resource_schemas"])],
        data_sources=[pb.GetMetadata.DataSourceMetadata(type_name=n) for n in sorted(data["data_source_schemas"])])


def get_provider_schema(request, context):
    return schema.response_bytes()  # already serialized (see schema.response_bytes)


def validate_provider_config(request, context):
    return pb.ValidateProviderConfig.Response()


def validate_resource_config(request, context):
    return pb.ValidateResourceConfig.Response()


def validate_data_resource_config(request, context):
    return pb.ValidateDataResourceConfig.Response()


def configure_provider(request, context):
    global SETTINGS
    SETTINGS = planning.Settings.from_config(decode(request.config))
    return pb.ConfigureProvider.Response()


def upgrade_resource_state(request, context):
    block = schema.resource(request.type_name)
    raw = json.loads(request.raw_state.json) if request.raw_state.json else {}
    return pb.UpgradeResourceState.Response(upgraded_state=_dynamic(conform_block(raw, block)))


def read_resource(request, context):
    return pb.ReadResource.Response(new_state=request.current_state, private=request.private)


def plan_resource_change(request, context):
    block = schema.resource(request.type_name)
    prior, proposed = decode(request.prior_state), decode(request.proposed_new_state)
    planned = planning.plan(request.type_name, block, prior, proposed, SETTINGS)
    return pb.PlanResourceChange.Response(planned_state=_dynamic(conform_block(planned, block)), planned_private=request.prior_private,
                                          requires_replace=_replace_paths(request.type_name, prior, proposed,
                                                                          request.prior_private == IMPORTED))


# An imported resource's state holds little more than its id (data_sources.imported), where the real provider reads
# every argument back from AWS: a replace-on-change argument it lacks is taken as already what the configuration says.
IMPORTED = b'{"imported": true}'


def _replace_paths(type_name: str, prior, proposed, imported: bool = False) -> list:
    """The paths of the replace-on-change table whose value changes, as Terraform's AttributePaths."""
    return [pb.AttributePath(steps=[pb.AttributePath.Step(element_key_int=step) if isinstance(step, int)
                                    else pb.AttributePath.Step(attribute_name=step) for step in path])
            for path in planning.requires_replace(type_name, SETTINGS, prior, proposed, unset_prior_matches=imported)]


def apply_resource_change(request, context):
    block = schema.resource(request.type_name)
    new_state = planning.apply(request.type_name, block, decode(request.planned_state), SETTINGS)
    return pb.ApplyResourceChange.Response(new_state=_dynamic(conform_block(new_state, block)), private=request.planned_private)


def import_resource_state(request, context):
    block = schema.resource(request.type_name)
    state = conform_block(data_sources.imported(request.type_name, request.id, SETTINGS), block)
    return pb.ImportResourceState.Response(imported_resources=[
        pb.ImportResourceState.ImportedResource(type_name=request.type_name, state=_dynamic(state), private=IMPORTED)])


def read_data_source(request, context):
    block = schema.data_source(request.type_name)
    state = data_sources.read(request.type_name, block, decode(request.config), SETTINGS)
    return pb.ReadDataSource.Response(state=_dynamic(conform_block(state, block)))


def stop_provider(request, context):
    return pb.StopProvider.Response()


HANDLERS = {
    "GetMetadata": (get_metadata, pb.GetMetadata.Request),
    "GetProviderSchema": (get_provider_schema, pb.GetProviderSchema.Request),
    "ValidateProviderConfig": (validate_provider_config, pb.ValidateProviderConfig.Request),
    "ValidateResourceConfig": (validate_resource_config, pb.ValidateResourceConfig.Request),
    "ValidateDataResourceConfig": (validate_data_resource_config, pb.ValidateDataResourceConfig.Request),
    "UpgradeResourceState": (upgrade_resource_state, pb.UpgradeResourceState.Request),
    "ConfigureProvider": (configure_provider, pb.ConfigureProvider.Request),
    "ReadResource": (read_resource, pb.ReadResource.Request),
    "PlanResourceChange": (plan_resource_change, pb.PlanResourceChange.Request),
    "ApplyResourceChange": (apply_resource_change, pb.ApplyResourceChange.Request),
    "ImportResourceState": (import_resource_state, pb.ImportResourceState.Request),
    "ReadDataSource": (read_data_source, pb.ReadDataSource.Request),
    "StopProvider": (stop_provider, pb.StopProvider.Request),
}


def _guarded(name, function):
    """A handler whose failure is an error diagnostic naming the RPC (and a traceback on Terraform's log)."""
    response_type = getattr(pb, name).Response

    def handle(request, context):
        try:
            return function(request, context)
        except Exception as exc:  # noqa: BLE001 - reported to Terraform, which prints it
            traceback.print_exc(file=sys.stderr)
            kept = {"diagnostics": _error(f"stand-in aws provider: {name} failed", f"{type(exc).__name__}: {exc}")}
            return response_type(**kept)

    return handle


def _serialize(message) -> bytes:
    return message if isinstance(message, bytes) else message.SerializeToString()


def provider_handler() -> grpc.GenericRpcHandler:
    return grpc.method_handlers_generic_handler("tfplugin6.Provider", {
        name: grpc.unary_unary_rpc_method_handler(_guarded(name, function), request_deserializer=request.FromString,
                                                  response_serializer=_serialize)
        for name, (function, request) in HANDLERS.items()})
