"""The golden-vector format interop/compat/vectors.ts still sends ({"vectors": [{"name", "type",
"hex"}]}, one JSON object out). It stays on the generated code of INTEROP_GEN_PYTHON because npm run
compat builds the base's and the working tree's contracts side by side and points each run at its
own gen/ folder; remove this file once compat passes each build's descriptor set (design §7).
"""

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


def main(vectors):
    import_all_generated()
    print(json.dumps({"language": "python", "results": [round_trip(v) for v in vectors]}), flush=True)
