"""Python reference client driver.

Given a server address and one case (the JSON of a fixtures/ entry) it makes the call with
the calling style the article uses for that pattern (a plain call, an iterator of replies, a
generator of requests) and prints what it observed as one JSON object. It judges nothing.

The driver is generic: methods and message classes come from the generated descriptors, so a
new case or RPC needs no code here.
"""

import argparse
import json
import sys
import threading
import time

import grpc
from google.protobuf import descriptor_pool, json_format, message_factory

from peer_common import import_all_generated


class Clock:
    def __init__(self):
        self.start = time.monotonic()

    def now(self):
        return round((time.monotonic() - self.start) * 1000, 3)


def find_method(full_name):
    service, _, method = full_name.partition("/")
    try:
        md = descriptor_pool.Default().FindServiceByName(service).methods_by_name[method]
    except KeyError:
        raise SystemExit(f"python-client: unknown method {full_name!r}")
    return md, message_factory.GetMessageClass(md.input_type), message_factory.GetMessageClass(md.output_type)


def run_case(addr, case):
    md, req_cls, resp_cls = find_method(case["method"])
    requests = [json_format.ParseDict(r, req_cls()) for r in case.get("requests", [])]
    interval = case.get("sendIntervalMs", 0) / 1000
    timeout = case.get("timeoutMs", 10000) / 1000
    path = "/" + case["method"]
    obs = {"client": "python", "case": case["name"], "method": case["method"], "sent": [],
           "halfCloseAtMs": None, "responses": []}
    clock = Clock()

    def record(reply):
        obs["responses"].append({"atMs": clock.now(), "message": json_format.MessageToDict(
            reply, always_print_fields_with_no_presence=True)})

    def request_stream():
        # A generator, as in the article: gRPC pulls the next request when it can send it.
        for req in requests:
            obs["sent"].append({"atMs": clock.now()})
            yield req
            time.sleep(interval)
        obs["halfCloseAtMs"] = clock.now()

    code, details = grpc.StatusCode.OK, ""
    with grpc.insecure_channel(addr) as channel:
        kind = (md.client_streaming, md.server_streaming)
        serde = dict(request_serializer=req_cls.SerializeToString, response_deserializer=resp_cls.FromString)
        try:
            if kind == (False, False):
                obs["sent"].append({"atMs": clock.now()})
                obs["halfCloseAtMs"] = clock.now()
                record(channel.unary_unary(path, **serde)(requests[0], timeout=timeout))
            elif kind == (False, True):
                obs["sent"].append({"atMs": clock.now()})
                obs["halfCloseAtMs"] = clock.now()
                for reply in channel.unary_stream(path, **serde)(requests[0], timeout=timeout):
                    record(reply)
            elif kind == (True, False):
                record(channel.stream_unary(path, **serde)(request_stream(), timeout=timeout))
            else:
                for reply in channel.stream_stream(path, **serde)(request_stream(), timeout=timeout):
                    record(reply)
        except grpc.RpcError as e:
            code, details = e.code(), e.details() or ""
    obs["status"] = {"code": code.value[0], "message": details}
    obs["durationMs"] = clock.now()
    return obs


def main():
    parser = argparse.ArgumentParser(description="Python reference client driver")
    parser.add_argument("--addr", required=True, help="server address, host:port")
    parser.add_argument("--case-json", required=True, help="the case to run, as JSON")
    args = parser.parse_args()
    try:
        case = json.loads(args.case_json)
    except json.JSONDecodeError as e:
        sys.exit(f"python-client: --case-json is not valid JSON: {e}")
    import_all_generated()
    print(json.dumps(run_case(args.addr, case)), flush=True)


if __name__ == "__main__":
    main()
