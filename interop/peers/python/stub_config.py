"""The stubs file (README: Any contract): { "<case name>": <stub block>, ... }, checked once at start.

Everything that can be wrong with a block is found here, so a bad stubs file is one error line
and exit 2 before the server listens, never a surprise on the first call. A block may name its
"method"; then its responses are also checked against that method's output type now. Without it
they are checked at the first call of each method (a mismatch is then that call's INTERNAL
status, naming the case; the server keeps serving).
"""

import base64
import binascii
import json
import re

import grpc
from google.protobuf import any_pb2, descriptor_pb2, json_format

import driver_metadata
from descriptor_set import Contract, ContractError

STUB_KEYS = {"responses", "status", "headers", "trailers", "delayMs", "responseIntervalMs", "bidi", "method", "$comment"}
BIDI_MODES = ("ping-pong", "half-duplex")
_CODES_BY_NAME = {code.name: code for code in grpc.StatusCode}
_CODES_BY_NUMBER = {code.value[0]: code for code in grpc.StatusCode}
# Metadata keys a stub may send: lower-case token characters (HTTP/2), and not gRPC's own.
_KEY = re.compile(r"^[0-9a-z_.-]+$")
STATUS_DETAILS_KEY = "grpc-status-details-bin"


class StubError(Exception):
    """The stubs file is unusable: the message names the case and what is wrong."""


class StubBlock:
    """One case's answer, with everything but its responses already in wire form."""

    def __init__(self, name, raw, contract: Contract):
        self.name = name
        self.raw_responses = raw.get("responses") or []
        self.code, self.message, details = _status(raw.get("status"))
        self.headers = _metadata(raw.get("headers"), "headers")
        self.trailers = _metadata(raw.get("trailers"), "trailers")
        if details:
            self.trailers.append((STATUS_DETAILS_KEY, _status_details_bin(contract, self.code, self.message, details)))
        self.delay_s = _millis(raw.get("delayMs"), "delayMs") / 1000
        self.interval_s = _millis(raw.get("responseIntervalMs"), "responseIntervalMs") / 1000
        self.bidi = raw.get("bidi", "ping-pong")
        if self.bidi not in BIDI_MODES:
            raise StubError(f"bidi must be one of {', '.join(BIDI_MODES)}, not {json.dumps(self.bidi)}")
        if not isinstance(self.raw_responses, list) or not all(isinstance(r, dict) for r in self.raw_responses):
            raise StubError("responses must be a list of JSON objects (proto3 JSON of the method's output type)")
        self._contract = contract
        self._parsed = {}  # output type full name -> [messages]
        if raw.get("method") is not None:
            try:
                md, _, response_class = contract.find_method(str(raw["method"]))
            except ContractError as e:
                raise StubError(str(e))
            self.responses_for(response_class)

    @property
    def ok(self):
        return self.code == grpc.StatusCode.OK

    def responses_for(self, response_class):
        """The responses as messages of this output type (parsed once per type). Raises StubError."""
        full_name = response_class.DESCRIPTOR.full_name
        if full_name not in self._parsed:
            messages = []
            for i, response in enumerate(self.raw_responses):
                try:
                    messages.append(self._contract.from_json(response, response_class))
                except json_format.ParseError as e:
                    raise StubError(f"responses[{i}] is not a valid {full_name}: {e}")
            self._parsed[full_name] = messages
        return self._parsed[full_name]


def _status(status):
    """(grpc.StatusCode, message, details) of a block's "status" (absent: OK)."""
    if status is None:
        return grpc.StatusCode.OK, "", []
    if not isinstance(status, dict):
        raise StubError('status must be an object: {"code": "NOT_FOUND", "message": "...", "details": [...]}')
    unknown = set(status) - {"code", "message", "details"}
    if unknown:
        raise StubError(f"status has unknown keys {sorted(unknown)} (known: code, message, details)")
    raw_code = status.get("code", "OK")
    code = _CODES_BY_NUMBER.get(raw_code) if isinstance(raw_code, int) else _CODES_BY_NAME.get(raw_code)
    if code is None:
        raise StubError(f"status.code {json.dumps(raw_code)} is not a gRPC code name (e.g. NOT_FOUND) or number 0-16")
    message = status.get("message", "")
    if not isinstance(message, str):
        raise StubError("status.message must be a string")
    details = status.get("details") or []
    if not isinstance(details, list):
        raise StubError('status.details must be a list of Any in JSON ({"@type": "type.googleapis.com/...", ...})')
    if details and code == grpc.StatusCode.OK:
        raise StubError("status.details needs a non-OK status.code")
    return code, message, details


def _metadata(metadata, what):
    """{key: [values]} as grpcio pairs ("-bin" values decoded from base64)."""
    if metadata is None:
        return []
    if not isinstance(metadata, dict):
        raise StubError(f'{what} must be an object {{"key": ["value", ...]}}')
    for key, values in metadata.items():
        if not _KEY.match(key) or key.startswith("grpc-"):
            raise StubError(f"{what} key {json.dumps(key)} is not a valid metadata key (lower-case, not grpc-*)")
        values = [values] if isinstance(values, str) else values
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise StubError(f"{what}[{json.dumps(key)}] must be a list of strings")
        if driver_metadata.is_binary(key):
            for v in values:
                try:
                    base64.b64decode(v, validate=True)
                except binascii.Error:
                    raise StubError(f"{what}[{json.dumps(key)}] value {json.dumps(v)} is not base64")
    return driver_metadata.to_grpc(metadata)


def _millis(value, what):
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise StubError(f"{what} must be a number of ms >= 0, not {json.dumps(value)}")
    return value


def _status_details_bin(contract, code, message, details):
    """google.rpc.Status{code, message, details} serialized, as grpc-status-details-bin carries it."""
    status_class = contract.message_class(_ensure_rpc_status(contract))
    status = status_class(code=code.value[0], message=message)
    any_class = contract.message_class("google.protobuf.Any")  # the set's Any, the field's own type
    for i, detail in enumerate(details):
        if not isinstance(detail, dict) or "@type" not in detail:
            raise StubError(f"status.details[{i}] must be an object with an \"@type\"")
        try:
            status.details.append(contract.from_json(detail, any_class))
        except json_format.ParseError as e:
            raise StubError(f"status.details[{i}] ({detail['@type']}) does not resolve in the descriptor set "
                            f"or is not valid for its type: {e}")
    return status.SerializeToString()


def _ensure_rpc_status(contract):
    """google.rpc.Status from the set, or, when the contract does not import it, the same three
    fields declared here (the wire format is fixed by the gRPC spec, not by a contract)."""
    name = "google.rpc.Status"
    if not contract.has_file("google/rpc/status.proto"):
        file = descriptor_pb2.FileDescriptorProto(name="google/rpc/status.proto", package="google.rpc", syntax="proto3",
                                                  dependency=["google/protobuf/any.proto"])
        message = file.message_type.add(name="Status")
        F = descriptor_pb2.FieldDescriptorProto
        message.field.add(name="code", number=1, type=F.TYPE_INT32, label=F.LABEL_OPTIONAL, json_name="code")
        message.field.add(name="message", number=2, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL, json_name="message")
        message.field.add(name="details", number=3, type=F.TYPE_MESSAGE, label=F.LABEL_REPEATED,
                          type_name=".google.protobuf.Any", json_name="details")
        if not contract.has_file("google/protobuf/any.proto"):
            contract.add_file(descriptor_pb2.FileDescriptorProto.FromString(any_pb2.DESCRIPTOR.serialized_pb))
        contract.add_file(file)
    return name


def load_stubs(path, contract: Contract):
    """{case name: StubBlock}; raises StubError naming the file, the case and the problem."""
    try:
        with open(path, encoding="utf-8") as f:
            raw = json.load(f)
    except OSError as e:
        raise StubError(f"cannot read --stubs {path}: {e.strerror}")
    except json.JSONDecodeError as e:
        raise StubError(f"--stubs {path} is not valid JSON: {e}")
    if not isinstance(raw, dict):
        raise StubError(f'--stubs {path} must hold a JSON object {{"<case name>": <stub block>, ...}}')
    blocks = {}
    for name, block in raw.items():
        try:
            if not isinstance(block, dict):
                raise StubError("a stub block must be a JSON object")
            unknown = set(block) - STUB_KEYS
            if unknown:
                raise StubError(f"unknown keys {sorted(unknown)} (known: {', '.join(sorted(STUB_KEYS - {'$comment'}))})")
            blocks[name] = StubBlock(name, block, contract)
        except StubError as e:
            raise StubError(f"--stubs {path}: case {name}: {e}")
    return blocks
