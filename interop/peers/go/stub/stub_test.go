package main

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"grpcinterop/interop/peers/go/internal/contract"
	"grpcinterop/interop/peers/go/internal/testcontract"
)

const stubs = `{
  "unary": {"method": "acme.route.v1.RouteService/Unary", "responses": [{"id": "-9223372036854775808", "labels": {"k": "v"}, "num": 3}],
            "headers": {"x-h": ["a", "b"], "x-h-bin": ["AAEC"]}, "trailers": {"x-t": ["t"]}},
  "failing": {"status": {"code": "NOT_FOUND", "message": "no such route",
              "details": [{"@type": "type.googleapis.com/acme.route.v1.Detail", "reason": "gone"}]}},
  "ping": {"responses": [{"id": "1"}, {"id": "2"}, {"id": "3"}]},
  "half": {"responses": [{"id": "1"}], "bidi": "half-duplex"}
}`

// start serves the test contract from an in-process stub on a loopback port.
func start(t *testing.T) (*contract.Contract, *grpc.ClientConn) {
	t.Helper()
	ct, err := contract.Parse(testcontract.Set(false))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "stubs.json")
	if err := os.WriteFile(file, []byte(stubs), 0o644); err != nil {
		t.Fatal(err)
	}
	cases, err := loadStubs(ct, file)
	if err != nil {
		t.Fatal(err)
	}
	stub := &stubServer{ct: ct, cases: cases, calls: newCallLog()}
	srv := grpc.NewServer()
	stub.register(srv, stub.newHealth())
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return ct, conn
}

func ctxFor(t *testing.T, kv ...string) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return metadata.AppendToOutgoingContext(ctx, kv...)
}

func point(t *testing.T, ct *contract.Contract, js string) proto.Message {
	md, _ := ct.Method("acme.route.v1.RouteService/Unary")
	m := contract.New(md.Input())
	if err := ct.FromJSON([]byte(js), m); err != nil {
		t.Fatal(err)
	}
	return m
}

func jsonOf(t *testing.T, ct *contract.Contract, m proto.Message) string {
	js, err := ct.JSON(m)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	_ = json.Unmarshal(js, &v)
	out, _ := json.Marshal(v) // re-marshalled: sorted keys, no protojson whitespace
	return string(out)
}

func TestUnaryRepliesWithHeadersTrailersAndIsRecorded(t *testing.T) {
	ct, conn := start(t)
	var header, trailer metadata.MD
	reply := point(t, ct, `{}`)
	ctx := ctxFor(t, "x-interop-stub", "unary", "x-interop-tag", "u1", "x-mine", "m", "x-raw-bin", "\x00\x01")
	err := conn.Invoke(ctx, "/acme.route.v1.RouteService/Unary", point(t, ct, `{"id":"42","tags":["a"]}`), reply, grpc.Header(&header), grpc.Trailer(&trailer))
	if err != nil {
		t.Fatal(err)
	}
	if got := jsonOf(t, ct, reply); got != `{"id":"-9223372036854775808","kind":"KIND_UNSPECIFIED","labels":{"k":"v"},"num":3,"ratio":0,"tags":[]}` {
		t.Errorf("reply %s", got)
	}
	if strings.Join(header.Get("x-h"), ",") != "a,b" || header.Get("x-h-bin")[0] != "\x00\x01\x02" || trailer.Get("x-t")[0] != "t" {
		t.Errorf("headers %v trailers %v", header, trailer)
	}

	report := callReport(t, ct, conn, "u1")
	var received struct {
		Requests []map[string]any    `json:"requests"`
		Metadata map[string][]string `json:"metadata"`
	}
	if err := json.Unmarshal([]byte(report["receivedJson"].(string)), &received); err != nil {
		t.Fatalf("receivedJson: %v in %v", err, report)
	}
	if len(received.Requests) != 1 || received.Requests[0]["id"] != "42" || received.Requests[0]["ratio"] != 0.0 {
		t.Errorf("recorded requests %v", received.Requests)
	}
	if received.Metadata["x-mine"][0] != "m" || received.Metadata["x-raw-bin"][0] != "AAE=" || received.Metadata["content-type"] != nil || received.Metadata[":authority"] != nil {
		t.Errorf("recorded metadata %v", received.Metadata)
	}
	if report["found"] != true || report["finished"] != true || report["hasDeadline"] != true || report["cancelled"] != false {
		t.Errorf("report %v", report)
	}
}

func callReport(t *testing.T, ct *contract.Contract, conn *grpc.ClientConn, tag string) map[string]any {
	md, _ := ct.Method("interop.InteropTest/GetCallReport")
	req, reply := contract.New(md.Input()), contract.New(md.Output())
	_ = ct.FromJSON([]byte(`{"tag":"`+tag+`","waitMs":2000}`), req)
	if err := conn.Invoke(ctxFor(t), "/interop.InteropTest/GetCallReport", req, reply); err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	_ = json.Unmarshal([]byte(jsonOf(t, ct, reply)), &out)
	return out
}

func TestStatusCarriesDetailsFromTheSet(t *testing.T) {
	ct, conn := start(t)
	err := conn.Invoke(ctxFor(t, "x-interop-stub", "failing"), "/acme.route.v1.RouteService/Unary", point(t, ct, `{}`), point(t, ct, `{}`))
	st := status.Convert(err)
	if st.Code() != codes.NotFound || st.Message() != "no such route" {
		t.Fatalf("status %v", st)
	}
	details := st.Proto().GetDetails()
	if len(details) != 1 || details[0].GetTypeUrl() != "type.googleapis.com/acme.route.v1.Detail" {
		t.Fatalf("details %v", details)
	}
	detail := contract.New(mustMessage(t, ct, "acme.route.v1.Detail").Descriptor())
	if err := proto.Unmarshal(details[0].GetValue(), detail); err != nil || jsonOf(t, ct, detail) != `{"reason":"gone"}` {
		t.Errorf("detail %v %v", jsonOf(t, ct, detail), err)
	}
}

func mustMessage(t *testing.T, ct *contract.Contract, name string) protoreflect.MessageType {
	mt, err := ct.Message(name)
	if err != nil {
		t.Fatal(err)
	}
	return mt
}
