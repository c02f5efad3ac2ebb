"""The plugin process: go-plugin handshake, AutoMTLS, and the gRPC services Terraform's client calls.

Terraform starts ``terraform-provider-aws`` (the mirror's launcher, which runs ``python -m tfprovider.server``) with
``PLUGIN_PROTOCOL_VERSIONS``, the magic cookie and its client certificate in ``PLUGIN_CLIENT_CERT``. The provider
listens on a loopback port, prints ``1|6|tcp|127.0.0.1:PORT|grpc|CERT`` (CERT: its own self-signed certificate,
DER in unpadded base64) and serves until Terraform calls ``plugin.GRPCController/Shutdown``.
"""

from __future__ import annotations

import base64
import datetime
import os
import sys
import threading
from concurrent import futures

import grpc
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE"
MAGIC_COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
HEALTH_SERVING = b"\x08\x01"  # grpc.health.v1.HealthCheckResponse{status: SERVING}


def self_signed_certificate() -> tuple[bytes, bytes, bytes]:
    """(key PEM, certificate PEM, certificate DER) for "localhost", as go-plugin's own server makes them."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "HashiCorp"), x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(seconds=30)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=True, key_cert_sign=True, content_commitment=False,
                                     data_encipherment=False, key_agreement=True, crl_sign=False, encipher_only=False,
                                     decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM), certificate.public_bytes(serialization.Encoding.DER)


def _raw(handler):
    return grpc.unary_unary_rpc_method_handler(handler, request_deserializer=lambda b: b, response_serializer=lambda b: b)


def plugin_handlers(stopped: threading.Event) -> list:
    """go-plugin's own services: health check, controller (Shutdown), stdio stream (nothing to stream)."""
    def shutdown(request, context):
        stopped.set()
        return b""

    def stdio(request, context):
        return iter(())

    return [
        grpc.method_handlers_generic_handler("grpc.health.v1.Health", {"Check": _raw(lambda request, context: HEALTH_SERVING)}),
        grpc.method_handlers_generic_handler("plugin.GRPCController", {"Shutdown": _raw(shutdown)}),
        grpc.method_handlers_generic_handler("plugin.GRPCStdio", {"StreamStdio": grpc.unary_stream_rpc_method_handler(
            stdio, request_deserializer=lambda b: b, response_serializer=lambda b: b)}),
    ]


def main() -> int:
    if os.environ.get(MAGIC_COOKIE_KEY) != MAGIC_COOKIE_VALUE:
        print("This binary is a plugin. These are not meant to be executed directly.", file=sys.stderr)
        return 1
    if "6" not in os.environ.get("PLUGIN_PROTOCOL_VERSIONS", "6").split(","):
        print("terraform-provider-aws (stand-in) speaks plugin protocol 6 only", file=sys.stderr)
        return 1
    from tfprovider.provider import provider_handler

    stopped = threading.Event()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8), options=[
        ("grpc.max_send_message_length", 256 << 20), ("grpc.max_receive_message_length", 256 << 20)])
    server.add_generic_rpc_handlers([provider_handler(), *plugin_handlers(stopped)])
    client_cert = os.environ.get("PLUGIN_CLIENT_CERT")
    if client_cert:
        key_pem, cert_pem, cert_der = self_signed_certificate()
        # Terraform verifies this server against the certificate announced below. The server cannot verify
        # Terraform in return: Terraform's client certificate is ECDSA P-521, which gRPC's TLS library does not
        # offer to verify, so Go's client would send none. The connection stays on loopback, TLS-encrypted.
        credentials = grpc.ssl_server_credentials([(key_pem, cert_pem)])
        port = server.add_secure_port("127.0.0.1:0", credentials)
        announced = base64.b64encode(cert_der).decode().rstrip("=")
    else:
        port = server.add_insecure_port("127.0.0.1:0")
        announced = ""
    server.start()
    sys.stdout.write(f"1|6|tcp|127.0.0.1:{port}|grpc|{announced}\n")
    sys.stdout.flush()
    stopped.wait()
    server.stop(grace=0.2).wait()  # lets the Shutdown call answer
    os._exit(0)  # at once: Terraform waits for the process to end, and gRPC's own teardown takes a second


if __name__ == "__main__":
    raise SystemExit(main())
