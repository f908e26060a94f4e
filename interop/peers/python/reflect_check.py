"""Builds a server's reflected descriptors with Python's descriptor_pool (grpcio-reflection's
ProtoReflectionDescriptorDatabase, which speaks reflection v1alpha). Prints one JSON line:
{"services": [...], "files": [...]} or {"error": "..."}; exit 2 on bad arguments."""

import argparse
import json
import sys

import grpc
from google.protobuf import descriptor_pool
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase


def check(addr):
    with grpc.insecure_channel(addr) as channel:
        db = ProtoReflectionDescriptorDatabase(channel)
        pool = descriptor_pool.DescriptorPool(db)
        services = sorted(db.get_services())
        files = set()
        for name in services:
            service = pool.FindServiceByName(name)
            files.add(service.file.name)
            for method in service.methods:
                # Resolving the types walks their files and imports.
                files.add(method.input_type.file.name)
                files.add(method.output_type.file.name)
        return {"services": services, "files": sorted(files)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--addr", required=True)
    args = parser.parse_args()
    try:
        out = check(args.addr)
    except Exception as e:  # every failure is the answer, as one line
        out = {"error": f"{type(e).__name__}: {e}"}
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    sys.exit(main())
