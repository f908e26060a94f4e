package main

import (
	"fmt"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"

	"grpcinterop/interop/peers/go/internal/contract"
)

// resolve finds the case's method and its message types in the descriptor set: nothing is
// looked up in generated code, so any .proto of the contract is callable.
func resolve(ct *contract.Contract, c caseSpec) (method, error) {
	md, err := ct.Method(c.Method)
	if err != nil {
		return method{}, err
	}
	path := c.Path
	if path == "" {
		path = "/" + c.Method
	}
	return method{desc: md, path: path, input: dynamicpb.NewMessageType(md.Input()), resp: dynamicpb.NewMessageType(md.Output())}, nil
}

// decodeRequests parses the case's requests strictly (an unknown field or a value of the wrong
// type names itself); with repeatRequests, requests[0] is sent that many times with its "index"
// field counting up (large streams stay small in fixtures/).
func decodeRequests(ct *contract.Contract, m method, c caseSpec) ([]proto.Message, error) {
	var reqs []proto.Message
	for i, raw := range c.Requests {
		msg := m.input.New().Interface()
		if err := ct.FromJSON(raw, msg); err != nil {
			return nil, fmt.Errorf("request %d is not a valid %s: %v", i, m.input.Descriptor().FullName(), err)
		}
		reqs = append(reqs, msg)
	}
	fields := m.input.Descriptor().Fields()
	if payload := fields.ByName("payload"); c.RequestPayloadBytes > 0 && payload != nil && payload.Kind() == protoreflect.BytesKind {
		for _, r := range reqs {
			r.ProtoReflect().Set(payload, protoreflect.ValueOfBytes(make([]byte, c.RequestPayloadBytes)))
		}
	}
	if c.RepeatRequests > 0 && len(reqs) > 0 {
		index := fields.ByName("index")
		if index != nil && index.Kind() != protoreflect.Int64Kind {
			index = nil // only the int64 index of interop.EchoRequest is counted
		}
		template := reqs[0]
		reqs = make([]proto.Message, c.RepeatRequests)
		for i := range reqs {
			msg := proto.Clone(template)
			if index != nil {
				msg.ProtoReflect().Set(index, protoreflect.ValueOfInt64(int64(i)))
			}
			reqs[i] = msg
		}
	}
	// requestPayloadSizes: request i's payload is this many zero bytes (a later message over a limit).
	if payload := fields.ByName("payload"); len(c.RequestPayloadSizes) > 0 && payload != nil && payload.Kind() == protoreflect.BytesKind {
		for i, r := range reqs {
			if i < len(c.RequestPayloadSizes) {
				r.ProtoReflect().Set(payload, protoreflect.ValueOfBytes(make([]byte, c.RequestPayloadSizes[i])))
			}
		}
	}
	// Concurrent unary calls may each send another request (call i sends reqs[i % len(reqs)]).
	if !m.desc.IsStreamingClient() && len(reqs) != 1 && !(c.ConcurrentCalls > 0 && len(reqs) > 0) {
		return nil, fmt.Errorf("%s takes exactly one request, the case has %d", c.Method, len(reqs))
	}
	return reqs, nil
}
