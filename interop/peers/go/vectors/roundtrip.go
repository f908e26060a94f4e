package main

import (
	"encoding/hex"
	"encoding/json"
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"grpcinterop/interop/peers/go/internal/contract"
)

// vector and line are README: Every message type's protocol.
type vector struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	Hex  string `json:"hex"`
}

type line struct {
	ID      string          `json:"id"`
	JSON    json.RawMessage `json:"json"`
	Hex     string          `json:"hex"`
	Unknown []int           `json:"unknown"`
}

type errorLine struct {
	ID    string `json:"id"`
	Error string `json:"error"`
}

func lineFor(ct *contract.Contract, v vector) any {
	m, out, unknown, err := roundTrip(ct, v.Type, v.Hex)
	if err != nil {
		return errorLine{ID: v.ID, Error: err.Error()}
	}
	js, err := ct.JSON(m)
	if err != nil {
		return errorLine{ID: v.ID, Error: "print as proto3 JSON: " + err.Error()}
	}
	return line{ID: v.ID, JSON: js, Hex: out, Unknown: unknown}
}

// roundTrip decodes hexIn as typeName and encodes it again, deterministically (map entries by
// key), listing the field numbers kept as unknown bytes.
func roundTrip(ct *contract.Contract, typeName, hexIn string) (proto.Message, string, []int, error) {
	mt, err := ct.Message(typeName)
	if err != nil {
		return nil, "", nil, err
	}
	in, err := hex.DecodeString(hexIn)
	if err != nil {
		return nil, "", nil, fmt.Errorf("hex: %v", err)
	}
	m := mt.New().Interface()
	if err := proto.Unmarshal(in, m); err != nil {
		return nil, "", nil, fmt.Errorf("decode: %v", err)
	}
	out, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		return nil, "", nil, fmt.Errorf("encode: %v", err)
	}
	return m, hex.EncodeToString(out), unknownNumbers(m.ProtoReflect().GetUnknown()), nil
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
