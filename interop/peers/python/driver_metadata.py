"""Metadata between the contract's JSON form ({key: [values]}, "-bin" values base64) and
grpcio's form (a sequence of (key, value) pairs, "-bin" values as bytes)."""

import base64


def is_binary(key):
    return key.endswith("-bin")


def to_grpc(metadata):
    """Every value of every key, in order, as grpcio call metadata."""
    pairs = []
    for key, values in (metadata or {}).items():
        if isinstance(values, str):
            values = [values]
        for value in values:
            pairs.append((key, base64.b64decode(value) if is_binary(key) else value))
    return pairs


def to_json(metadata):
    """grpcio's received metadata (or None) as {key: [values]}."""
    out = {}
    for key, value in metadata or ():
        if isinstance(value, bytes):
            value = base64.b64encode(value).decode("ascii")
        out.setdefault(key.lower(), []).append(value)
    return out
