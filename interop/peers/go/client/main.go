// Command go-client is the Go reference client driver.
//
// Given a server address and cases (fixtures/ entries as JSON), it makes the calls and prints
// what it observed, one JSON line per case, in order. It judges nothing: the TypeScript
// comparator decides pass or fail for every client alike (interop/contract.ts).
//
// The driver is generic: it finds methods in the descriptors the generated code registers, so a
// new case or a new RPC in proto/ needs no code here.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
)

func main() {
	addr := flag.String("addr", "", "server address, host:port (a case's own address wins)")
	caseJSON := flag.String("case-json", "", "one case, as JSON")
	casesFile := flag.String("cases-file", "", "a JSON array of cases")
	flag.Parse()
	cases, err := loadCases(*caseJSON, *casesFile)
	if err != nil {
		fail("%v", err)
	}
	for _, c := range cases {
		obs, err := runCase(*addr, c)
		if err != nil {
			fail("case %q: %v", c.Name, err)
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
