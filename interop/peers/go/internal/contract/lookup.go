package contract

import (
	"fmt"
	"strings"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"
)

// Method finds "package.Service/Method" in the set.
func (c *Contract) Method(name string) (protoreflect.MethodDescriptor, error) {
	svc, m, ok := strings.Cut(name, "/")
	if !ok {
		return nil, fmt.Errorf("method %q is not of the form package.Service/Method", name)
	}
	d, err := c.Files.FindDescriptorByName(protoreflect.FullName(svc))
	sd, isService := d.(protoreflect.ServiceDescriptor)
	if err != nil || !isService {
		return nil, fmt.Errorf("unknown service %q: it is in no .proto of the descriptor set %s", svc, c.Path)
	}
	md := sd.Methods().ByName(protoreflect.Name(m))
	if md == nil {
		return nil, fmt.Errorf("service %q has no method %q", svc, m)
	}
	return md, nil
}

// Message finds a message type by full name.
func (c *Contract) Message(name string) (protoreflect.MessageType, error) {
	mt, err := c.Types.FindMessageByName(protoreflect.FullName(name))
	if err != nil {
		return nil, fmt.Errorf("unknown message type %q: it is in no .proto of the descriptor set", name)
	}
	return mt, nil
}

// New makes an empty dynamic message of md's type.
func New(md protoreflect.MessageDescriptor) *dynamicpb.Message { return dynamicpb.NewMessage(md) }

// JSON is canonical proto3 JSON (README: Adding a case): implicit-presence fields even when default, unset
// message/optional/oneof fields left out, int64 as strings, enums by name. EmitUnpopulated would
// also print unset message fields as null, which other languages do not.
func (c *Contract) JSON(m protoreflect.ProtoMessage) ([]byte, error) {
	return protojson.MarshalOptions{EmitDefaultValues: true, Resolver: c.Types}.Marshal(m)
}

// FromJSON parses proto3 JSON strictly: an unknown field or a wrong type is an error naming it.
func (c *Contract) FromJSON(raw []byte, m protoreflect.ProtoMessage) error {
	if err := (protojson.UnmarshalOptions{Resolver: c.Types}).Unmarshal(raw, m); err != nil {
		return withField(err, raw, m.ProtoReflect().Descriptor(), c.Types)
	}
	return nil
}

// SetIfPresent sets a field by name when the message type has it: lets a peer fill a message
// whose older contract lacks a newer field (e.g. CallReport.received_json) without failing.
func SetIfPresent(m protoreflect.Message, field string, v protoreflect.Value) {
	if fd := m.Descriptor().Fields().ByName(protoreflect.Name(field)); fd != nil {
		m.Set(fd, v)
	}
}
