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


def open_channel(address, tls):
    if tls is None:
        return grpc.insecure_channel(address)
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
    return grpc.secure_channel(address, credentials, options=options)
