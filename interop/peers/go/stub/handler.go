package main

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"grpcinterop/interop/peers/go/internal/contract"
)

// stubServer answers every method of the contract from the stub blocks.
type stubServer struct {
	ct    *contract.Contract
	cases map[string]*stubCase
	calls *callLog
}

// handler is the one generic handler behind every method: grpc-go runs unary and streaming
// methods alike as streams, so the method's two streaming flags say what to do.
func (s *stubServer) handler(md protoreflect.MethodDescriptor) grpc.StreamHandler {
	return guarded(func(_ any, ss grpc.ServerStream) error {
		in, _ := metadata.FromIncomingContext(ss.Context())
		t := s.calls.start(ss.Context(), in)
		defer t.finish()
		name := in.Get("x-interop-stub")
		if len(name) == 0 {
			return s.noCase(md, ss, t)
		}
		sc := s.cases[name[0]]
		if sc == nil {
			return status.Errorf(codes.FailedPrecondition, "stub has no case %s", name[0])
		}
		responses, err := sc.messagesFor(s.ct, md)
		if err != nil {
			log.Printf("go-stub: case %s on %s: %v", sc.name, md.FullName(), err)
			return status.Errorf(codes.Internal, "stub case %s: %v", sc.name, err)
		}
		c := call{s: s, md: md, ss: ss, t: t, sc: sc, responses: responses}
		if md.IsStreamingClient() && md.IsStreamingServer() {
			return c.bidi()
		}
		return c.requestThenReply()
	})
}

// guarded turns a panic in a handler into INTERNAL for that call: grpc-go does not recover
// handler panics, and one odd request must not take the stub down for every other cell.
func guarded(h grpc.StreamHandler) grpc.StreamHandler {
	return func(srv any, ss grpc.ServerStream) (err error) {
		defer func() {
			if p := recover(); p != nil {
				log.Printf("go-stub: %v", p)
				err = status.Errorf(codes.Internal, "stub failed on this call: %v", p)
			}
		}()
		return h(srv, ss)
	}
}

// noCase answers a call without x-interop-stub: unary and client streaming reply one empty
// message, streams reply nothing; the status is OK.
func (s *stubServer) noCase(md protoreflect.MethodDescriptor, ss grpc.ServerStream, t *tracked) error {
	c := call{s: s, md: md, ss: ss, t: t}
	if err := c.receiveAll(); err != nil {
		return err
	}
	if md.IsStreamingServer() {
		return nil
	}
	return ss.SendMsg(contract.New(md.Output()))
}

// call is one call being answered from a stub case.
type call struct {
	s         *stubServer
	md        protoreflect.MethodDescriptor
	ss        grpc.ServerStream
	t         *tracked
	sc        *stubCase
	responses []proto.Message
	sent      int
	started   bool // delay done and headers sent
}

// receive reads one request, recording it; io.EOF when the client half-closed.
func (c *call) receive() error {
	m := contract.New(c.md.Input())
	if err := c.ss.RecvMsg(m); err != nil {
		return err // a request that does not decode ends the call with grpc-go's status, nothing more
	}
	if c.t != nil {
		js, err := c.s.ct.JSON(m)
		if err != nil { // e.g. an Any of a type the set lacks: record why, not nothing
			js, _ = json.Marshal(map[string]string{"error": err.Error()})
		}
		c.t.request(js)
	}
	return nil
}

func (c *call) receiveAll() error {
	for {
		err := c.receive()
		if err == io.EOF {
			if !c.md.IsStreamingClient() {
				return nil
			}
			if err := c.t.awaitLateCancel(); err != nil {
				return status.FromContextError(err).Err()
			}
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// requestThenReply is unary, client streaming and server streaming: all requests, delayMs,
// headers, the response(s), then status and trailers.
func (c *call) requestThenReply() error {
	if err := c.receiveAll(); err != nil {
		return err
	}
	if err := c.begin(); err != nil {
		return err
	}
	if c.md.IsStreamingServer() {
		if err := c.sendRest(); err != nil {
			return err
		}
	} else if c.sc.status == nil {
		// A unary reply is exactly one message: responses[0], or an empty one if none is given.
		reply := proto.Message(contract.New(c.md.Output()))
		if len(c.responses) > 0 {
			reply = c.responses[0]
		}
		if err := c.ss.SendMsg(reply); err != nil {
			return err
		}
	}
	return c.end()
}

// bidi: ping-pong sends response i right after request i, the rest after the half-close;
// half-duplex sends them all after the half-close.
func (c *call) bidi() error {
	for {
		err := c.receive()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if !c.sc.halfDuplex && c.sent < len(c.responses) {
			if err := c.sendNext(); err != nil {
				return err
			}
		}
	}
	if err := c.t.awaitLateCancel(); err != nil {
		return status.FromContextError(err).Err()
	}
	if err := c.sendRest(); err != nil {
		return err
	}
	return c.end()
}

// begin waits delayMs, then sends the headers, once per call. Without headers nothing is sent,
// so an error status can still go out trailers-only.
func (c *call) begin() error {
	if c.started {
		return nil
	}
	c.started = true
	if err := sleep(c.ss.Context(), c.sc.delay); err != nil {
		return err
	}
	if len(c.sc.headers) > 0 {
		return c.ss.SendHeader(c.sc.headers)
	}
	return nil
}

func (c *call) sendNext() error {
	if err := c.begin(); err != nil {
		return err
	}
	if err := c.ss.SendMsg(c.responses[c.sent]); err != nil {
		return err
	}
	c.sent++
	return nil
}

// sendRest sends the responses not yet sent, responseIntervalMs apart.
func (c *call) sendRest() error {
	if err := c.begin(); err != nil {
		return err
	}
	for c.sent < len(c.responses) {
		if c.sent > 0 {
			if err := sleep(c.ss.Context(), c.sc.interval); err != nil {
				return err
			}
		}
		if err := c.sendNext(); err != nil {
			return err
		}
	}
	return nil
}

// end sets the trailers and returns the case's status (nil for OK).
func (c *call) end() error {
	if err := c.begin(); err != nil {
		return err
	}
	c.ss.SetTrailer(c.sc.trailers)
	if c.sc.status == nil {
		return nil
	}
	return c.sc.status.Err()
}

// sleep waits d, or returns the call's status if it ends first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	select {
	case <-time.After(d):
		return nil
	case <-ctx.Done():
		return status.FromContextError(ctx.Err()).Err()
	}
}
