// Command go-vectors checks golden vectors with protobuf-go: for each vector it finds the
// message type by full name in the registered descriptors, decodes the golden bytes, encodes
// the message again and prints what came out, with the numbers of the fields it did not know.
// It judges nothing: the harness compares the bytes (interop/compat/vectors.ts).
//
// Usage: go-vectors --vectors FILE   (prints one JSON object on stdout)
package main

import (
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	_ "grpcinterop/gen/go/greeter" // registers the message types the vectors name
)

type vector struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Hex  string `json:"hex"`
}

type result struct {
	Name    string `json:"name"`
	Hex     string `json:"hex"`
	Unknown []int  `json:"unknownFields"`
	Missing bool   `json:"missingType,omitempty"`
	Error   string `json:"error,omitempty"`
}

func main() {
	file := flag.String("vectors", "", "the vectors JSON file")
	flag.Parse()
	raw, err := os.ReadFile(*file)
	if err != nil {
		fmt.Fprintf(os.Stderr, "go-vectors: %v\n", err)
		os.Exit(2)
	}
	var doc struct{ Vectors []vector }
	if err := json.Unmarshal(raw, &doc); err != nil {
		fmt.Fprintf(os.Stderr, "go-vectors: %s is not valid JSON: %v\n", *file, err)
		os.Exit(2)
	}
	results := make([]result, 0, len(doc.Vectors))
	for _, v := range doc.Vectors {
		results = append(results, roundTrip(v))
	}
	out, _ := json.Marshal(map[string]any{"language": "go", "results": results})
	fmt.Println(string(out))
}

func roundTrip(v vector) result {
	r := result{Name: v.Name, Unknown: []int{}}
	mt, err := protoregistry.GlobalTypes.FindMessageByName(protoreflect.FullName(v.Type))
	if err != nil {
		r.Missing = true
		return r
	}
	in, err := hex.DecodeString(v.Hex)
	if err != nil {
		r.Error = "hex: " + err.Error()
		return r
	}
	m := mt.New().Interface()
	if err := proto.Unmarshal(in, m); err != nil {
		r.Error = "decode: " + err.Error()
		return r
	}
	r.Unknown = unknownNumbers(m.ProtoReflect().GetUnknown())
	// Deterministic so that map fields, if a contract has them, encode in one order.
	out, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		r.Error = "encode: " + err.Error()
		return r
	}
	r.Hex = hex.EncodeToString(out)
	return r
}

// unknownNumbers lists the field numbers kept as unknown bytes: fields this contract lacks,
// or whose wire type no longer matches the field it has under that number.
func unknownNumbers(b []byte) []int {
	nums := []int{}
	for len(b) > 0 {
		num, _, n := protowire.ConsumeField(b)
		if n < 0 {
			break
		}
		nums = append(nums, int(num))
		b = b[n:]
	}
	return nums
}
