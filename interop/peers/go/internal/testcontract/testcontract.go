// Package testcontract is a small contract for the Go peers' unit tests, written as descriptor
// protos so the tests need no buf and no generated code: a service in a nested package with all
// four patterns, messages with int64, double, enum, repeated, map, oneof and nested fields, and a
// minimal interop.InteropTest/GetCallReport (the stub answers it from its record).
package testcontract

import (
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"
)

const route = `
name: "acme/route/v1/route.proto" package: "acme.route.v1" syntax: "proto3"
message_type {
  name: "Point"
  field { name: "id" number: 1 label: LABEL_OPTIONAL type: TYPE_INT64 }
  field { name: "ratio" number: 2 label: LABEL_OPTIONAL type: TYPE_DOUBLE }
  field { name: "kind" number: 3 label: LABEL_OPTIONAL type: TYPE_ENUM type_name: ".acme.route.v1.Kind" }
  field { name: "tags" number: 4 label: LABEL_REPEATED type: TYPE_STRING }
  field { name: "labels" number: 5 label: LABEL_REPEATED type: TYPE_MESSAGE type_name: ".acme.route.v1.Point.LabelsEntry" }
  field { name: "child" number: 6 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".acme.route.v1.Child" }
  field { name: "text" number: 7 label: LABEL_OPTIONAL type: TYPE_STRING oneof_index: 0 }
  field { name: "num" number: 8 label: LABEL_OPTIONAL type: TYPE_INT32 oneof_index: 0 }
  nested_type {
    name: "LabelsEntry" options { map_entry: true }
    field { name: "key" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING }
    field { name: "value" number: 2 label: LABEL_OPTIONAL type: TYPE_STRING }
  }
  oneof_decl { name: "choice" }
}
message_type { name: "Child" field { name: "note" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING } }
message_type { name: "Detail" field { name: "reason" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING } }
enum_type { name: "Kind" value { name: "KIND_UNSPECIFIED" number: 0 } value { name: "KIND_A" number: 1 } }
service {
  name: "RouteService"
  method { name: "Unary" input_type: ".acme.route.v1.Point" output_type: ".acme.route.v1.Point" }
  method { name: "ServerStream" input_type: ".acme.route.v1.Point" output_type: ".acme.route.v1.Point" server_streaming: true }
  method { name: "ClientStream" input_type: ".acme.route.v1.Point" output_type: ".acme.route.v1.Point" client_streaming: true }
  method { name: "Bidi" input_type: ".acme.route.v1.Point" output_type: ".acme.route.v1.Point" client_streaming: true server_streaming: true }
}`

const interop = `
name: "interop_test.proto" package: "interop" syntax: "proto3"
message_type {
  name: "CallReportRequest"
  field { name: "tag" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING }
  field { name: "wait_ms" number: 2 label: LABEL_OPTIONAL type: TYPE_INT32 }
}
message_type {
  name: "CallReport"
  field { name: "found" number: 1 label: LABEL_OPTIONAL type: TYPE_BOOL }
  field { name: "has_deadline" number: 2 label: LABEL_OPTIONAL type: TYPE_BOOL }
  field { name: "deadline_ms" number: 3 label: LABEL_OPTIONAL type: TYPE_INT64 }
  field { name: "cancelled" number: 4 label: LABEL_OPTIONAL type: TYPE_BOOL }
  field { name: "finished" number: 5 label: LABEL_OPTIONAL type: TYPE_BOOL }
  field { name: "received_json" number: 6 label: LABEL_OPTIONAL type: TYPE_STRING }
}
service {
  name: "InteropTest"
  method { name: "GetCallReport" input_type: ".interop.CallReportRequest" output_type: ".interop.CallReport" }
}`

// Set is the contract as a serialized FileDescriptorSet; with duplicate, every file appears
// twice, as in a set concatenated from two builds that share imports.
func Set(duplicate bool) []byte {
	set := &descriptorpb.FileDescriptorSet{}
	for _, text := range []string{route, interop} {
		fd := &descriptorpb.FileDescriptorProto{}
		if err := prototext.Unmarshal([]byte(text), fd); err != nil {
			panic(err) // the constants above are wrong: a bug in this file
		}
		set.File = append(set.File, fd)
		if duplicate {
			set.File = append(set.File, proto.Clone(fd).(*descriptorpb.FileDescriptorProto))
		}
	}
	raw, err := proto.Marshal(set)
	if err != nil {
		panic(err)
	}
	return raw
}
