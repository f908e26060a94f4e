"""Python reference client driver.

    client.py --addr HOST:PORT (--case-json JSON | --cases-file FILE)

For each case (interop/contract.ts, CaseSpec) it makes the call and prints what it observed as
one JSON line (Observation), in order, flushing after each so the harness sees every result as
soon as it exists. It judges nothing. Exit code 2 means the input was bad.

The driver is generic: methods and message classes come from the generated descriptors, so a
new case or RPC needs no code here.
"""

import argparse
import json
import sys

from driver_call import run_case
from driver_case import Case
from driver_channel import CaseError
from peer_common import import_all_generated


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


def main():
    parser = argparse.ArgumentParser(description="Python reference client driver")
    parser.add_argument("--addr", help="server address, host:port (a case's address overrides it)")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--case-json", help="one case, as JSON")
    source.add_argument("--cases-file", help="a JSON array of cases")
    args = parser.parse_args()
    specs = _load_specs(args)
    import_all_generated()
    try:
        cases = [Case(spec, args.addr) for spec in specs]
    except CaseError as e:
        fail(str(e))
    for case in cases:
        print(json.dumps(run_case(case)))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
