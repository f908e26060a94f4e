"""Python golden-vector check: for each vector, find the message class by full name in the
generated descriptors, decode the golden bytes, encode again and print what came out, with the
numbers of the fields it did not know. It judges nothing (interop/compat/vectors.ts does).

Usage: vectors.py --vectors FILE   (prints one JSON object on stdout)
"""

import argparse
import json

from google.protobuf import descriptor_pool, message_factory
from google.protobuf.unknown_fields import UnknownFieldSet

from peer_common import import_all_generated


def round_trip(vector):
    result = {"name": vector["name"], "unknownFields": []}
    try:
        cls = message_factory.GetMessageClass(descriptor_pool.Default().FindMessageTypeByName(vector["type"]))
    except KeyError:
        result["missingType"] = True
        return result
    try:
        msg = cls.FromString(bytes.fromhex(vector["hex"]))
        result["unknownFields"] = [f.field_number for f in UnknownFieldSet(msg)]
        result["hex"] = msg.SerializeToString(deterministic=True).hex()
    except Exception as e:  # a decode error is a result, not a crash
        result["error"] = f"{type(e).__name__}: {e}"
    return result


def main():
    parser = argparse.ArgumentParser(description="Python golden-vector round trip")
    parser.add_argument("--vectors", required=True, help="the vectors JSON file")
    args = parser.parse_args()
    with open(args.vectors) as f:
        vectors = json.load(f)["vectors"]
    import_all_generated()
    print(json.dumps({"language": "python", "results": [round_trip(v) for v in vectors]}), flush=True)


if __name__ == "__main__":
    main()
