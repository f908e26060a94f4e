"""What python-stub (grpc.server) and python-aio-stub (grpc.aio) share: which services they serve,
the generic handler that serves every method of the descriptor set in its own pattern, how a
call picks its stub block, and what is recorded. The two servers only add the plumbing that
differs (blocking sleeps and a thread per call, or coroutines).

Design §4: a call's "x-interop-stub" header names its case. No header: unary and client-stream
reply one empty message, streams reply nothing, OK. A header naming no case: FAILED_PRECONDITION.
"""

import sys

import grpc
from google.protobuf import descriptor_pb2
from grpc_health.v1 import health_pb2
from grpc_reflection.v1alpha import reflection_pb2

from descriptor_set import ContractError, load
from interop_rules import call_tag
from stub_config import StubError, load_stubs
from stub_record import StubCallLog

STUB_HEADER = "x-interop-stub"
REPORT_PATH = "/interop.InteropTest/GetCallReport"
HEALTH_SERVICE = "grpc.health.v1.Health"
REFLECTION_SERVICES = ("grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection")
# Served by the real implementations (grpcio-health-checking, grpcio-reflection), not stubbed,
# so stock tools work against a stub as against any server.
REAL_SERVICES = (HEALTH_SERVICE,) + REFLECTION_SERVICES


class Answer:
    """How one call is to be answered.

    failure: (code, message) to end the call with before anything else (unknown case, responses
    that do not fit this method's output type); block: the case's StubBlock, or None for a call
    without the header; responses: the block's responses as messages of the output type."""

    def __init__(self, failure=None, block=None, responses=()):
        self.failure = failure
        self.block = block
        self.responses = list(responses)


def add_stub_flags(parser):
    parser.add_argument("--stubs", help='JSON file {"<case name>": <stub block>, ...}; without it every call gets the no-header answer')
    parser.add_argument("--descriptor-set", help="the contract (FileDescriptorSet); default: $INTEROP_DESCRIPTOR_SET, "
                        "else .build/contract/descriptors.binpb")


def core_from_flags(args, program):
    """The contract and the stub blocks, or one error line and exit 2: a stub that cannot answer
    as its cases say must not start."""
    try:
        contract = load(args.descriptor_set)
        blocks = load_stubs(args.stubs, contract) if args.stubs else {}
        return StubCore(contract, blocks)
    except (ContractError, StubError) as e:
        print(f"{program}: {' '.join(str(e).split())}", file=sys.stderr)
        sys.exit(2)


class Undecodable:
    """A request whose bytes do not decode as the method's input type. The handler ends the call
    with INTERNAL naming the type (as grpc-go and the sync grpcio server do), where grpc.aio
    would answer UNKNOWN with a Python exception's repr."""

    def __init__(self, type_name, error):
        self.failure = (grpc.StatusCode.INTERNAL, f"stub: the request does not decode as {type_name}: {error}")


def _decoder(request_class):
    def decode(data):
        try:
            return request_class.FromString(data)
        except Exception as e:
            return Undecodable(request_class.DESCRIPTOR.full_name, e)
    return decode


class StubCore:
    def __init__(self, contract, blocks):
        self.contract = contract
        self.blocks = blocks
        self.log = StubCallLog(contract)
        # Reflection describes health and reflection too: from the set when it has them (grpc-go's
        # descriptors), else from the libraries that serve them.
        # Checked by service name: the libraries' files are named grpc_health/..., grpc-go's grpc/health/...
        for module, service in ((health_pb2, HEALTH_SERVICE), (reflection_pb2, REFLECTION_SERVICES[1])):
            if service not in contract.services():
                contract.add_file(descriptor_pb2.FileDescriptorProto.FromString(module.DESCRIPTOR.serialized_pb))

    def stubbed_services(self):
        return [s for s in self.contract.services() if s not in REAL_SERVICES]

    def health_names(self):
        """Health answers SERVING for the server as a whole ("") and for each service served."""
        return [""] + self.stubbed_services() + [HEALTH_SERVICE] + list(REFLECTION_SERVICES)

    def reflected_names(self):
        # v1 is answered by the v1alpha servicer on its path (server_setup.enable_reflection) and
        # listed only when the set can describe it.
        names = self.stubbed_services() + [HEALTH_SERVICE, REFLECTION_SERVICES[1]]
        if REFLECTION_SERVICES[0] in self.contract.services():
            names.append(REFLECTION_SERVICES[0])
        return names

    def answer_for(self, invocation_metadata, response_class):
        name = None
        for key, value in invocation_metadata or ():
            if key == STUB_HEADER:
                name = value
        if name is None:
            return Answer()
        block = self.blocks.get(name)
        if block is None:
            return Answer(failure=(grpc.StatusCode.FAILED_PRECONDITION, f"stub has no case {name}"))
        try:
            responses = block.responses_for(response_class)
        except StubError as e:
            # The stubs file did not name the method, and this method's output type does not take
            # the responses: the case is wrong, the server keeps serving.
            return Answer(failure=(grpc.StatusCode.INTERNAL, f"stub case {name}: {e}"))
        return Answer(block=block, responses=responses)

    def start_record(self, context):
        """The call's record when it is tagged x-interop-tag, else None."""
        metadata = context.invocation_metadata()
        tag = call_tag(metadata)
        return self.log.start_call(tag, context.time_remaining(), metadata) if tag else None

    def record_request(self, record, request):
        """Records a decoded request; returns the failure to end the call with, if it did not decode."""
        if isinstance(request, Undecodable):
            return request.failure
        if record is not None:
            self.log.add_request(record, self.contract.to_json(request))

    def generic_handler(self, behaviours):
        """One handler for every method of every stubbed service; behaviours supplies the four
        pattern functions (sync or asyncio) and the report function."""
        return _GenericHandler(self, behaviours)


class _GenericHandler(grpc.GenericRpcHandler):
    def __init__(self, core, behaviours):
        self._core = core
        self._behaviours = behaviours
        self._cache = {}

    def service(self, handler_call_details):
        path = handler_call_details.method
        if path not in self._cache:
            self._cache[path] = self._make(path)
        return self._cache[path]

    def _make(self, path):
        service, _, method = path.lstrip("/").partition("/")
        if service in REAL_SERVICES:
            return None
        try:
            md, request_class, response_class = self._core.contract.find_method(f"{service}/{method}")
        except Exception:
            return None  # not in the contract: grpcio answers UNIMPLEMENTED
        kinds = {
            (False, False): grpc.unary_unary_rpc_method_handler,
            (False, True): grpc.unary_stream_rpc_method_handler,
            (True, False): grpc.stream_unary_rpc_method_handler,
            (True, True): grpc.stream_stream_rpc_method_handler,
        }
        pattern = (md.client_streaming, md.server_streaming)
        if path == REPORT_PATH and pattern == (False, False):
            function = self._behaviours.report
        else:
            function = self._behaviours.for_pattern(pattern, response_class)
        return kinds[pattern](function, request_deserializer=_decoder(request_class),
                              response_serializer=response_class.SerializeToString)
