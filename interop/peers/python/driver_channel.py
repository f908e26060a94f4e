"""The channel a case is called over: plaintext, TLS, or TLS with a client certificate."""

from pathlib import Path

import grpc


class CaseError(Exception):
    """The case itself is unusable (bad JSON shape, unknown method, unreadable file): exit 2."""


def _read(path, what):
    try:
        return Path(path).read_bytes()
    except OSError as e:
        raise CaseError(f"cannot read {what} {path}: {e.strerror}")


def check_tls(tls):
    if tls is None:
        return
    if not tls.get("caFile") or not tls.get("serverNameOverride"):
        raise CaseError("tls needs caFile and serverNameOverride")
    if bool(tls.get("certFile")) != bool(tls.get("keyFile")):
        raise CaseError("tls certFile and keyFile go together")


# The channel's default compression, not only the call's: grpcio's stream-unary .future() (1.85)
# builds its initial metadata from the caller's metadata without the compression request, so the
# call argument alone leaves client-streaming requests uncompressed.
_COMPRESSION = {None: None, "gzip": grpc.Compression.Gzip}


def open_channel(address, tls, compression=None):
    algorithm = _COMPRESSION[compression]
    if tls is None:
        return grpc.insecure_channel(address, compression=algorithm)
    cert, key = tls.get("certFile"), tls.get("keyFile")
    credentials = grpc.ssl_channel_credentials(
        root_certificates=_read(tls["caFile"], "caFile"),
        private_key=_read(key, "keyFile") if key else None,
        certificate_chain=_read(cert, "certFile") if cert else None,
    )
    name = tls["serverNameOverride"]
    # The certificate names the test host, not 127.0.0.1: check it against that name, and
    # send that name as the authority, as a client reaching the real host would.
    options = [("grpc.ssl_target_name_override", name), ("grpc.default_authority", name)]
    return grpc.secure_channel(address, credentials, options=options, compression=algorithm)
