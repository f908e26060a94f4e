"""Python reference client driver.

    client.py --addr HOST:PORT (--case-json JSON | --cases-file FILE) [--descriptor-set PATH]

For each case (interop/contract.ts, CaseSpec) it makes the call and prints what it observed as
one JSON line (Observation), in order, flushing after each so the harness sees every result as
soon as it exists. It judges nothing. A case it cannot perform (unknown method, a request with
an unknown field or a wrong type) gets a line with "error": "case <name>: ...", and the batch
goes on. Exit code 2 means the input as a whole was bad (not JSON, not a list, no contract).

The driver is generic: methods and message classes come from the contract's descriptor set
(descriptor_set.py), so a new .proto, case or RPC needs no code here.
"""

import argparse
import json
import sys

from descriptor_set import ContractError, load
from driver_call import error_observation, run_case
from driver_case import Case
from driver_channel import CaseError


def fail(message):
    """Bad input, not a server problem: exit code 2, as the contract says."""
    print(f"python-client: {message}", file=sys.stderr)
    sys.exit(2)


def _load_specs(args):
    try:
        if args.case_json is not None:
            return [json.loads(args.case_json)]
        with open(args.cases_file, encoding="utf-8") as f:
            specs = json.load(f)
    except json.JSONDecodeError as e:
        fail(f"the case input is not valid JSON: {e}")
    except OSError as e:
        fail(f"cannot read --cases-file {args.cases_file}: {e.strerror}")
    if not isinstance(specs, list):
        fail("--cases-file must hold a JSON array of cases")
    return specs


def _observe(spec, index, address, contract):
    """The observation of one case, or an error line naming it: never an exception, so one bad
    case cannot take the rest of the batch down."""
    if not isinstance(spec, dict):
        return error_observation(f"#{index}", "", f"case #{index}: a case must be a JSON object, not {json.dumps(spec)[:80]}")
    name, method = str(spec.get("name", f"#{index}")), str(spec.get("method", ""))
    try:
        case = Case(spec, address, contract)
    except CaseError as e:
        return error_observation(name, method, f"case {name}: {e}")
    except Exception as e:  # a field of the wrong JSON type (e.g. "timeoutMs": "5"): still this case's fault
        return error_observation(name, method, f"case {name}: unusable case ({type(e).__name__}: {e})")
    try:
        return run_case(case)
    except Exception as e:  # a driver bug: say so on this case's line rather than dying mid-batch
        return error_observation(name, method, f"case {name}: python driver failed: {type(e).__name__}: {e}")


def main():
    parser = argparse.ArgumentParser(description="Python reference client driver")
    parser.add_argument("--addr", help="server address, host:port (a case's address overrides it)")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--case-json", help="one case, as JSON")
    source.add_argument("--cases-file", help="a JSON array of cases")
    parser.add_argument("--descriptor-set", help="the contract (FileDescriptorSet); default: $INTEROP_DESCRIPTOR_SET, "
                        "else .build/contract/descriptors.binpb")
    args = parser.parse_args()
    specs = _load_specs(args)
    try:
        contract = load(args.descriptor_set)
    except ContractError as e:
        fail(str(e))
    for index, spec in enumerate(specs):
        print(json.dumps(_observe(spec, index, args.addr, contract)), flush=True)


if __name__ == "__main__":
    main()
