"""The contract as data: every Python peer that is not a reference server (client driver, stubs,
vectors) finds its services, methods and message types in one FileDescriptorSet, never in
generated modules, so a new .proto (nested package folders included) needs no code here.

Where the set is: --descriptor-set PATH, else env INTEROP_DESCRIPTOR_SET, else
<repo>/.build/contract/descriptors.binpb (scripts/prepare.ts builds it).
"""

import os
from pathlib import Path

from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory

DEFAULT_PATH = Path(__file__).resolve().parents[3] / ".build" / "contract" / "descriptors.binpb"
ENV_VAR = "INTEROP_DESCRIPTOR_SET"


class ContractError(Exception):
    """The descriptor set is missing or unusable, or a name is not in it."""


def resolve_path(flag_value):
    """The flag wins over the environment, which wins over the default."""
    return Path(flag_value or os.environ.get(ENV_VAR) or DEFAULT_PATH)


def _read_set(path):
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ContractError(f"cannot read the descriptor set {path}: {e.strerror} "
                            f"(run `npm run gen`, or pass --descriptor-set / {ENV_VAR})")
    fds = descriptor_pb2.FileDescriptorSet()
    try:
        fds.ParseFromString(data)
    except Exception as e:
        raise ContractError(f"{path} is not a FileDescriptorSet: {e}")
    return fds


class Contract:
    """A DescriptorPool of its own holding the set, and lookups that name what is missing."""

    def __init__(self, path):
        self.path = path
        self.pool = descriptor_pool.DescriptorPool()
        # The set is a concatenation of several builds (buf, grpc-go's descriptors), so a file can
        # appear twice: the first copy wins, as in every driver, since Add would reject a duplicate.
        self._files = {}
        for file in _read_set(path).file:
            self._files.setdefault(file.name, file)
        self._added = set()
        for name in self._files:
            self._add(name, ())

    def _add(self, name, chain):
        """Adds a file after its dependencies: the pool needs them first, and a merged set is not
        necessarily in dependency order."""
        if name in self._added:
            return
        if name in chain:
            raise ContractError(f"{self.path}: import cycle through {name}")
        file = self._files.get(name)
        if file is None:
            raise ContractError(f"{self.path}: {chain[-1]} imports {name}, which the set does not hold "
                                "(build it with imports: `buf build` includes them)")
        for dep in file.dependency:
            self._add(dep, chain + (name,))
        try:
            self.pool.Add(file)
        except Exception as e:
            raise ContractError(f"{self.path}: cannot load {name}: {e}")
        self._added.add(name)

    def has_file(self, name):
        return name in self._files

    def add_file(self, file_proto):
        """Adds a file the set lacks (the stubs' google.rpc.Status fallback)."""
        self._files[file_proto.name] = file_proto
        self._add(file_proto.name, ())

    def services(self):
        """Full names of every service in the set, in file order."""
        return [s.full_name for name in self._files for s in self.pool.FindFileByName(name).services_by_name.values()]

    def find_method(self, full_name):
        """(method descriptor, request class, response class) of "package.Service/Method"."""
        service, _, method = full_name.partition("/")
        try:
            md = self.pool.FindServiceByName(service).methods_by_name[method]
        except KeyError:
            raise ContractError(f"unknown method {full_name!r}: no service {service!r} with a method {method!r} "
                                f"in {self.path}")
        return md, message_factory.GetMessageClass(md.input_type), message_factory.GetMessageClass(md.output_type)

    def message_class(self, full_name):
        try:
            return message_factory.GetMessageClass(self.pool.FindMessageTypeByName(full_name))
        except KeyError:
            raise ContractError(f"unknown message type {full_name!r} (not in {self.path})")

    def to_json(self, message):
        """Canonical proto3 JSON (README: Adding a case): implicit-presence fields even when default, lowerCamel
        names, enums by name, 64-bit integers as strings, bytes as base64; Any resolved here."""
        return json_format.MessageToDict(message, always_print_fields_with_no_presence=True,
                                         descriptor_pool=self.pool)

    def from_json(self, value, cls):
        """Strict: an unknown field or a wrong type raises json_format.ParseError naming it."""
        return json_format.ParseDict(value, cls(), descriptor_pool=self.pool)


def load(flag_value=None):
    return Contract(resolve_path(flag_value))
