// descset writes the FileDescriptorSet of the gRPC services grpc-go ships with generated code
// (health, reflection, the grpc.testing interop service), with every file they import, so the
// harness's contract (.build/contract/descriptors.binpb) holds them without copying any .proto
// into the repository. scripts/prepare.ts merges it with `buf build proto`.
//
// Usage: go-descset -o FILE
package main

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"

	_ "google.golang.org/genproto/googleapis/rpc/errdetails"
	_ "google.golang.org/genproto/googleapis/rpc/status"
	_ "google.golang.org/grpc/health/grpc_health_v1"
	_ "google.golang.org/grpc/interop/grpc_testing"
	_ "google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
)

// The packages whose files go into the set (their imports follow).
// google.rpc: Status (what grpc-status-details-bin carries) and the standard error details.
var packages = []string{"grpc.health.v1", "grpc.reflection.v1", "grpc.testing", "google.rpc"}

func main() {
	out := flag.String("o", "", "where to write the FileDescriptorSet")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "go-descset: usage: go-descset -o FILE")
		os.Exit(2)
	}
	var roots []protoreflect.FileDescriptor
	protoregistry.GlobalFiles.RangeFiles(func(f protoreflect.FileDescriptor) bool {
		for _, p := range packages {
			if string(f.Package()) == p {
				roots = append(roots, f)
			}
		}
		return true
	})
	// RangeFiles has no fixed order: sort, so the output is the same on every run.
	sort.Slice(roots, func(i, j int) bool { return roots[i].Path() < roots[j].Path() })
	set := &descriptorpb.FileDescriptorSet{}
	seen := map[string]bool{}
	var add func(f protoreflect.FileDescriptor)
	add = func(f protoreflect.FileDescriptor) { // dependencies first, as protoc writes them
		if seen[f.Path()] {
			return
		}
		seen[f.Path()] = true
		imports := f.Imports()
		for i := 0; i < imports.Len(); i++ {
			add(imports.Get(i).FileDescriptor)
		}
		set.File = append(set.File, protodesc.ToFileDescriptorProto(f))
	}
	for _, f := range roots {
		add(f)
	}
	if len(roots) == 0 {
		fmt.Fprintf(os.Stderr, "go-descset: no file of %s is registered\n", strings.Join(packages, ", "))
		os.Exit(1)
	}
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(set)
	if err == nil {
		err = os.WriteFile(*out, b, 0o644)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "go-descset: %v\n", err)
		os.Exit(1)
	}
}
