package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/anypb"

	"grpcinterop/interop/peers/go/internal/contract"
)

// stubBlock is a case's "stub" block as the harness writes it (README: Any contract). "method" is optional:
// when the harness names the case's method, responses are checked against its output type.
type stubBlock struct {
	Method    string              `json:"method"`
	Responses []json.RawMessage   `json:"responses"`
	Status    *statusBlock        `json:"status"`
	Headers   map[string][]string `json:"headers"`
	Trailers  map[string][]string `json:"trailers"`
	DelayMs   int                 `json:"delayMs"`
	Interval  int                 `json:"responseIntervalMs"`
	Bidi      string              `json:"bidi"`
	Comment   any                 `json:"$comment"` // a note for people, as fixtures allow
}

type statusBlock struct {
	Code    json.RawMessage   `json:"code"` // "NOT_FOUND" or 5
	Message string            `json:"message"`
	Details []json.RawMessage `json:"details"`
}

// stubCase is a checked stub block, ready to answer calls.
type stubCase struct {
	name       string
	method     protoreflect.MethodDescriptor // nil when the block does not name it
	responses  []json.RawMessage
	status     *status.Status // nil: OK
	headers    metadata.MD
	trailers   metadata.MD
	delay      time.Duration
	interval   time.Duration
	halfDuplex bool
}

// loadStubs reads --stubs and checks every block, so a mistake is one error at start, not a
// wrong answer in the middle of a run.
func loadStubs(ct *contract.Contract, path string) (map[string]*stubCase, error) {
	cases := map[string]*stubCase{}
	if path == "" {
		return cases, nil
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read --stubs: %v", err)
	}
	var blocks map[string]json.RawMessage
	if err := json.Unmarshal(raw, &blocks); err != nil {
		return nil, fmt.Errorf("--stubs %s is not a JSON object of case name to stub block: %v", path, err)
	}
	names := make([]string, 0, len(blocks))
	for name := range blocks {
		names = append(names, name)
	}
	sort.Strings(names) // the first bad block in name order is reported, the same on every run
	for _, name := range names {
		sc, err := compile(ct, name, blocks[name])
		if err != nil {
			return nil, fmt.Errorf("--stubs %s: case %s: %v", path, name, err)
		}
		cases[name] = sc
	}
	return cases, nil
}

func compile(ct *contract.Contract, name string, raw json.RawMessage) (*stubCase, error) {
	var b stubBlock
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields() // a misspelt key would otherwise be silently ignored
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("stub block: %v", err)
	}
	sc := &stubCase{name: name, responses: b.Responses, delay: ms(b.DelayMs), interval: ms(b.Interval)}
	if b.DelayMs < 0 || b.Interval < 0 {
		return nil, fmt.Errorf("delayMs and responseIntervalMs must not be negative")
	}
	switch b.Bidi {
	case "", "ping-pong":
	case "half-duplex":
		sc.halfDuplex = true
	default:
		return nil, fmt.Errorf(`bidi is %q: use "ping-pong" or "half-duplex"`, b.Bidi)
	}
	if b.Method != "" {
		md, err := ct.Method(b.Method)
		if err != nil {
			return nil, err
		}
		sc.method = md
	}
	if err := checkResponses(ct, sc); err != nil {
		return nil, err
	}
	var err error
	if sc.status, err = compileStatus(ct, b.Status); err != nil {
		return nil, err
	}
	if sc.headers, err = compileMetadata("headers", b.Headers); err != nil {
		return nil, err
	}
	if sc.trailers, err = compileMetadata("trailers", b.Trailers); err != nil {
		return nil, err
	}
	return sc, nil
}

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

// compileStatus turns {code, message, details} into the status the stub ends calls with; the
// details travel as grpc-status-details-bin (google.rpc.Status with Any details), and each Any's
// @type must be a message of the descriptor set.
func compileStatus(ct *contract.Contract, b *statusBlock) (*status.Status, error) {
	if b == nil {
		return nil, nil
	}
	code, err := parseCode(b.Code)
	if err != nil {
		return nil, err
	}
	p := &spb.Status{Code: int32(code), Message: b.Message}
	for i, d := range b.Details {
		a := &anypb.Any{}
		if err := ct.FromJSON(d, a); err != nil {
			return nil, fmt.Errorf("status.details[%d] is not an Any of a message in the descriptor set: %v", i, err)
		}
		p.Details = append(p.Details, a)
	}
	if code == codes.OK {
		return nil, nil
	}
	return status.FromProto(p), nil
}

// codeNames are the canonical status names (google.rpc.Code), as every language spells them.
var codeNames = []string{"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"}

func parseCode(raw json.RawMessage) (codes.Code, error) {
	var n int
	if err := json.Unmarshal(raw, &n); err == nil {
		if n < 0 || n >= len(codeNames) {
			return 0, fmt.Errorf("status.code %d is not a gRPC status code (0-16)", n)
		}
		return codes.Code(n), nil
	}
	var name string
	if err := json.Unmarshal(raw, &name); err != nil {
		return 0, fmt.Errorf("status.code must be a status name such as \"NOT_FOUND\" or a number 0-16")
	}
	for i, c := range codeNames {
		if c == name {
			return codes.Code(i), nil
		}
	}
	return 0, fmt.Errorf("status.code %q is not a status name (one of %s)", name, strings.Join(codeNames, ", "))
}

// compileMetadata checks keys and decodes "-bin" values, which the block carries as base64.
func compileMetadata(what string, m map[string][]string) (metadata.MD, error) {
	md := metadata.MD{}
	for k, vs := range m {
		if k != strings.ToLower(k) || strings.HasPrefix(k, "grpc-") || strings.HasPrefix(k, ":") || k == "" {
			return nil, fmt.Errorf("%s key %q: keys are lower-case and not reserved (grpc-*, :*)", what, k)
		}
		for _, v := range vs {
			if strings.HasSuffix(k, "-bin") {
				raw, err := base64.StdEncoding.DecodeString(v)
				if err != nil {
					return nil, fmt.Errorf("%s %s: value %q is not base64", what, k, v)
				}
				v = string(raw)
			}
			md.Append(k, v)
		}
	}
	return md, nil
}

// checkResponses parses the responses against the named method's output type; when the block
// names no method, each response must at least be valid for the output of some method of the
// set, which catches typos in field names before any call.
func checkResponses(ct *contract.Contract, sc *stubCase) error {
	if sc.method != nil {
		_, err := sc.messagesFor(ct, sc.method)
		return err
	}
	for i, r := range sc.responses {
		if !validForSomeOutput(ct, r) {
			return fmt.Errorf("responses[%d] is not valid proto3 JSON for the output type of any method in the descriptor set", i)
		}
	}
	return nil
}

func validForSomeOutput(ct *contract.Contract, raw json.RawMessage) bool {
	ok := false
	ct.Files.RangeFiles(func(fd protoreflect.FileDescriptor) bool {
		for i := 0; i < fd.Services().Len() && !ok; i++ {
			ms := fd.Services().Get(i).Methods()
			for j := 0; j < ms.Len() && !ok; j++ {
				ok = ct.FromJSON(raw, contract.New(ms.Get(j).Output())) == nil
			}
		}
		return !ok
	})
	return ok
}

// messagesFor parses the responses as md's output type (each call, since a block without a
// method may be used by any method).
func (sc *stubCase) messagesFor(ct *contract.Contract, md protoreflect.MethodDescriptor) ([]proto.Message, error) {
	out := make([]proto.Message, 0, len(sc.responses))
	for i, r := range sc.responses {
		m := contract.New(md.Output())
		if err := ct.FromJSON(r, m); err != nil {
			return nil, fmt.Errorf("responses[%d] is not a valid %s: %v", i, md.Output().FullName(), err)
		}
		out = append(out, m)
	}
	return out, nil
}
