// Command go-client is the Go reference client driver.
//
// Given a server address and cases (fixtures/ entries as JSON), it makes the calls and prints
// what it observed, one JSON line per case, in order. It judges nothing: the TypeScript
// comparator decides pass or fail for every client alike (interop/contract.ts).
//
// The driver is generic: it finds methods and message types in the contract's descriptor set
// (--descriptor-set, else $INTEROP_DESCRIPTOR_SET, else .build/contract/descriptors.binpb) and
// builds dynamic messages, so a new .proto, case or RPC needs no code or import here. A case it
// cannot perform (unknown method, a request that is not valid JSON for its type) is an
// observation line with "error"; the other cases still run.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"grpcinterop/interop/peers/go/internal/contract"
)

func main() {
	addr := flag.String("addr", "", "server address, host:port (a case's own address wins)")
	caseJSON := flag.String("case-json", "", "one case, as JSON")
	casesFile := flag.String("cases-file", "", "a JSON array of cases")
	descSet := flag.String("descriptor-set", "", "the contract's FileDescriptorSet (default: $"+contract.EnvVar+", else .build/contract/descriptors.binpb)")
	flag.Parse()
	cases, err := loadCases(*caseJSON, *casesFile)
	if err != nil {
		fail("%v", err)
	}
	ct, err := contract.Load(*descSet)
	if err != nil {
		fail("%v", err)
	}
	for _, c := range cases {
		obs, err := runCase(ct, *addr, c)
		if err != nil {
			obs = failedCase(c, err)
		}
		out, _ := json.Marshal(obs)
		fmt.Println(string(out)) // os.Stdout is unbuffered: the harness sees each case at once
	}
}

func loadCases(caseJSON, casesFile string) ([]caseSpec, error) {
	switch {
	case caseJSON != "":
		var c caseSpec
		if err := json.Unmarshal([]byte(caseJSON), &c); err != nil {
			return nil, fmt.Errorf("--case-json is not valid JSON: %v", err)
		}
		return []caseSpec{c}, nil
	case casesFile != "":
		raw, err := os.ReadFile(casesFile)
		if err != nil {
			return nil, fmt.Errorf("cannot read --cases-file: %v", err)
		}
		var cs []caseSpec
		if err := json.Unmarshal(raw, &cs); err != nil {
			return nil, fmt.Errorf("--cases-file is not a JSON array of cases: %v", err)
		}
		return cs, nil
	}
	return nil, fmt.Errorf("usage: go-client --addr HOST:PORT (--case-json JSON | --cases-file FILE)")
}

// fail reports a problem with the driver's input, not with the server: exit code 2.
func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "go-client: "+format+"\n", args...)
	os.Exit(2)
}
