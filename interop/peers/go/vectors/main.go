// Command go-vectors decodes and re-encodes protobuf messages with protobuf-go, finding every
// message type in the contract's descriptor set (dynamic messages, no generated code), so each
// type of the contract is covered. It judges nothing: the harness compares across languages.
//
// Usage: go-vectors [--descriptor-set F] --vectors FILE
//
// FILE is either (README: Every message type) a JSON array of {"id", "type", "hex"}: one JSON line per vector, in
// order, {"id", "json", "hex", "unknown"} or {"id", "error"}; or (the golden files of npm run
// compat) {"vectors": [{"name", "type", "hex"}]}: one JSON object {"language", "results"}.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"grpcinterop/interop/peers/go/internal/contract"
)

func main() {
	file := flag.String("vectors", "", "the vectors JSON file")
	descSet := flag.String("descriptor-set", "", "the contract's FileDescriptorSet (default: $"+contract.EnvVar+", else .build/contract/descriptors.binpb)")
	flag.Parse()
	if *file == "" {
		fail("usage: go-vectors [--descriptor-set F] --vectors FILE")
	}
	raw, err := os.ReadFile(*file)
	if err != nil {
		fail("%v", err)
	}
	ct, err := contract.Load(*descSet)
	if err != nil {
		fail("%v", err)
	}
	if trimmed := bytes.TrimSpace(raw); len(trimmed) > 0 && trimmed[0] == '[' {
		var vs []vector
		if err := json.Unmarshal(raw, &vs); err != nil {
			fail("%s is not a JSON array of {id, type, hex}: %v", *file, err)
		}
		for _, v := range vs {
			out, _ := json.Marshal(lineFor(ct, v))
			fmt.Println(string(out)) // one line per vector, as it is done
		}
		return
	}
	var doc struct{ Vectors []goldenVector }
	if err := json.Unmarshal(raw, &doc); err != nil {
		fail("%s is not valid JSON: %v", *file, err)
	}
	results := make([]goldenResult, 0, len(doc.Vectors))
	for _, v := range doc.Vectors {
		results = append(results, golden(ct, v))
	}
	out, _ := json.Marshal(map[string]any{"language": "go", "results": results})
	fmt.Println(string(out))
}

// fail reports bad input: one line, exit code 2.
func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "go-vectors: "+format+"\n", args...)
	os.Exit(2)
}
