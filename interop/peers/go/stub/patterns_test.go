package main

import (
	"io"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/status"

	"grpcinterop/interop/peers/go/internal/contract"
)

func bidi(t *testing.T, conn *grpc.ClientConn, kv ...string) grpc.ClientStream {
	st, err := conn.NewStream(ctxFor(t, kv...), &grpc.StreamDesc{ServerStreams: true, ClientStreams: true}, "/acme.route.v1.RouteService/Bidi")
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// recvWithin reads one reply in the background: nil if none arrived within d.
func recvWithin(ct *contract.Contract, st grpc.ClientStream, d time.Duration) (got chan string, wait func(time.Duration) *string) {
	got = make(chan string, 1)
	go func() {
		md, _ := ct.Method("acme.route.v1.RouteService/Bidi")
		m := contract.New(md.Output())
		if err := st.RecvMsg(m); err != nil {
			got <- "error: " + err.Error()
			return
		}
		js, _ := ct.JSON(m)
		got <- strings.ReplaceAll(string(js), " ", "")
	}()
	return got, func(d time.Duration) *string {
		select {
		case s := <-got:
			return &s
		case <-time.After(d):
			return nil
		}
	}
}

func TestBidiPingPongRepliesBeforeTheHalfClose(t *testing.T) {
	ct, conn := start(t)
	st := bidi(t, conn, "x-interop-stub", "ping")
	if err := st.SendMsg(point(t, ct, `{"id":"10"}`)); err != nil {
		t.Fatal(err)
	}
	_, wait := recvWithin(ct, st, 0)
	first := wait(3 * time.Second)
	if first == nil || !strings.Contains(*first, `"id":"1"`) {
		t.Fatalf("ping-pong: response 0 must follow request 0 before the half-close, got %v", first)
	}
	_ = st.CloseSend()
	// The two responses beyond the one request follow the half-close.
	var rest []string
	for {
		_, wait := recvWithin(ct, st, 0)
		r := wait(3 * time.Second)
		if r == nil || strings.HasPrefix(*r, "error: EOF") {
			break
		}
		rest = append(rest, *r)
	}
	if len(rest) != 2 || !strings.Contains(rest[1], `"id":"3"`) {
		t.Fatalf("after the half-close: %v", rest)
	}
}

func TestBidiHalfDuplexHoldsRepliesUntilTheHalfClose(t *testing.T) {
	ct, conn := start(t)
	st := bidi(t, conn, "x-interop-stub", "half")
	if err := st.SendMsg(point(t, ct, `{}`)); err != nil {
		t.Fatal(err)
	}
	_, wait := recvWithin(ct, st, 0)
	if early := wait(300 * time.Millisecond); early != nil {
		t.Fatalf("half-duplex replied before the half-close: %s", *early)
	}
	_ = st.CloseSend()
	if r := wait(3 * time.Second); r == nil || !strings.Contains(*r, `"id":"1"`) {
		t.Fatalf("after the half-close: %v", r)
	}
}

func TestWithoutAStubHeaderUnaryGetsAnEmptyReplyAndStreamsNothing(t *testing.T) {
	ct, conn := start(t)
	reply := point(t, ct, `{"id":"5"}`)
	if err := conn.Invoke(ctxFor(t), "/acme.route.v1.RouteService/Unary", point(t, ct, `{}`), reply); err != nil {
		t.Fatal(err)
	}
	if got := jsonOf(t, ct, reply); !strings.Contains(got, `"id":"0"`) {
		t.Errorf("want an empty reply, got %s", got)
	}
	st, err := conn.NewStream(ctxFor(t), &grpc.StreamDesc{ServerStreams: true}, "/acme.route.v1.RouteService/ServerStream")
	if err != nil {
		t.Fatal(err)
	}
	_ = st.SendMsg(point(t, ct, `{}`))
	_ = st.CloseSend()
	if err := st.RecvMsg(point(t, ct, `{}`)); err != io.EOF {
		t.Errorf("want the stream to end with no message and OK, got %v", err)
	}
}

func TestUnknownCaseIsFailedPrecondition(t *testing.T) {
	ct, conn := start(t)
	err := conn.Invoke(ctxFor(t, "x-interop-stub", "nope"), "/acme.route.v1.RouteService/Unary", point(t, ct, `{}`), point(t, ct, `{}`))
	if st := status.Convert(err); st.Code() != codes.FailedPrecondition || st.Message() != "stub has no case nope" {
		t.Fatalf("got %v", st)
	}
}

// rawCodec sends bytes as they are, to give the stub a request that does not decode.
type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error)   { return *v.(*[]byte), nil }
func (rawCodec) Unmarshal(b []byte, v any) error { *v.(*[]byte) = b; return nil }
func (rawCodec) Name() string                    { return "proto" }

var _ encoding.Codec = rawCodec{}

func TestABadRequestFailsOnlyItsCall(t *testing.T) {
	ct, conn := start(t)
	garbage := []byte{0x0a, 0x05, 'a'} // a length-delimited field cut short
	var out []byte
	err := conn.Invoke(ctxFor(t, "x-interop-stub", "unary"), "/acme.route.v1.RouteService/Unary", &garbage, &out, grpc.ForceCodec(rawCodec{}))
	if st := status.Convert(err); st.Code() == codes.OK {
		t.Fatalf("a request that does not decode must fail its call, got OK")
	}
	if err := conn.Invoke(ctxFor(t, "x-interop-stub", "unary"), "/acme.route.v1.RouteService/Unary", point(t, ct, `{}`), point(t, ct, `{}`)); err != nil {
		t.Fatalf("the stub must still serve after a bad request: %v", err)
	}
}
