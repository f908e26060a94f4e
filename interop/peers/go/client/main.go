// Command go-client is the Go reference client driver.
//
// Given a server address and one case (the JSON of a fixtures/ entry), it makes the call and
// prints what it observed as one JSON object on stdout. It judges nothing: the TypeScript
// comparator decides pass or fail for every client alike.
//
// The driver is generic: it finds the method in the descriptors that the generated code
// registers, so a new case or a new RPC in proto/ needs no code here.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
)

func main() {
	addr := flag.String("addr", "", "server address, host:port")
	caseJSON := flag.String("case-json", "", "the case to run, as JSON (one fixtures/ entry)")
	flag.Parse()
	if *addr == "" || *caseJSON == "" {
		fail("usage: go-client --addr HOST:PORT --case-json JSON")
	}
	var c caseSpec
	if err := json.Unmarshal([]byte(*caseJSON), &c); err != nil {
		fail("--case-json is not valid JSON: %v", err)
	}
	obs, err := runCase(*addr, c)
	if err != nil {
		fail("case %q: %v", c.Name, err)
	}
	out, _ := json.Marshal(obs)
	fmt.Println(string(out))
}

// fail reports a problem with the driver's input, not with the server: exit code 2.
func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "go-client: "+format+"\n", args...)
	os.Exit(2)
}
