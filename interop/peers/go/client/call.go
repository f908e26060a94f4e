package main

import (
	"context"
	"io"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/encoding/gzip"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"grpcinterop/interop/peers/go/internal/contract"
)

// method is a case's RPC, resolved from the descriptor set.
type method struct {
	desc        protoreflect.MethodDescriptor
	path        string
	input, resp protoreflect.MessageType
}

// runCase performs one case. Requests are sent from this goroutine (pausing after each, as the
// article's clients do) while another receives, so a reply that arrives before the half-close
// is seen as such.
func runCase(ct *contract.Contract, defaultAddr string, c caseSpec) (*observation, error) {
	m, err := resolve(ct, c)
	if err != nil {
		return nil, err
	}
	reqs, err := decodeRequests(ct, m, c)
	if err != nil {
		return nil, err
	}
	addr := c.Address
	if addr == "" {
		addr = defaultAddr
	}
	conn, err := dial(addr, c.TLS)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	timeout := time.Duration(c.TimeoutMs) * time.Millisecond
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if ctx, err = outgoing(ctx, c); err != nil {
		return nil, err
	}
	var opts []grpc.CallOption
	if c.Compression == "gzip" {
		opts = append(opts, grpc.UseCompressor(gzip.Name))
	}

	obs := &observation{Client: "go", Case: c.Name, Method: c.Method, Sent: []event{}, Responses: []event{}, Headers: map[string][]string{}, Trailers: map[string][]string{}}
	clk := clock{start: time.Now()}
	if c.ConcurrentCalls > 0 {
		concurrentUnary(ctx, ct, conn, m, reqs, c, opts, clk, obs)
	} else {
		stream(ctx, cancel, ct, conn, m, reqs, c, opts, clk, obs)
	}
	obs.DurationMs = clk.now()
	if c.CallReport != nil {
		obs.CallReport = callReport(ct, conn, c)
	}
	return obs, nil
}

// stream runs one call of any pattern through the streaming API, which is what grpc-go's
// generated unary stubs do underneath too.
func stream(ctx context.Context, cancel context.CancelFunc, ct *contract.Contract, conn *grpc.ClientConn, m method, reqs []proto.Message, c caseSpec, opts []grpc.CallOption, clk clock, obs *observation) {
	if c.CancelAfterMs > 0 {
		time.AfterFunc(time.Duration(c.CancelAfterMs)*time.Millisecond, cancel)
	}
	desc := &grpc.StreamDesc{ServerStreams: m.desc.IsStreamingServer(), ClientStreams: m.desc.IsStreamingClient()}
	st, err := conn.NewStream(ctx, desc, m.path, opts...)
	if err != nil {
		obs.Status = toStatus(err)
		return
	}
	var wg sync.WaitGroup
	var recvErr error
	pacer := newReplyPacer()
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer pacer.ended()
		recvErr = receiveAll(ct, st, m, desc.ServerStreams, c, cancel, clk, obs, pacer)
	}()
	interval := time.Duration(c.SendIntervalMs) * time.Millisecond
	ended := false
	for _, req := range reqs {
		if err := st.SendMsg(req); err != nil {
			break // the call ended; its status comes from the receive side
		}
		obs.Sent = append(obs.Sent, event{AtMs: clk.now()})
		if c.SendOnReply && interval > 0 {
			if ended = pacer.wait(len(obs.Sent), interval); ended {
				break
			}
		} else {
			time.Sleep(interval)
		}
	}
	// A case that cancels keeps the stream open until then (unless it cancels after the half-close);
	// the others half-close.
	if !ended && ((c.CancelAfterMs == 0 && c.CancelAfterResponses == 0) || c.HalfCloseThenCancel) {
		if err := st.CloseSend(); err == nil {
			at := clk.now()
			obs.HalfCloseAtMs = &at
		}
	}
	wg.Wait()
	obs.Status = toStatus(recvErr)
	obs.StatusDetails = statusDetails(ct, recvErr)
}

// receiveAll reads replies until the status arrives; io.EOF (or nil) means OK.
func receiveAll(ct *contract.Contract, st grpc.ClientStream, m method, serverStreams bool, c caseSpec, cancel context.CancelFunc, clk clock, obs *observation, pacer *replyPacer) (err error) {
	defer func() {
		if md, herr := st.Header(); herr == nil {
			obs.Headers = metadataJSON(md)
		}
		obs.Trailers = metadataJSON(st.Trailer())
	}()
	cancelled := false
	for {
		msg := m.resp.New().Interface()
		err := st.RecvMsg(msg)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if cancelled {
			// Already buffered when the cancel went out: read until the status, but it is not a
			// reply this client took (the TS and Python drivers stop reading at the cancel too).
			continue
		}
		obs.Responses = append(obs.Responses, record(ct, msg, c, clk))
		pacer.arrived()
		if c.CancelAfterResponses > 0 && len(obs.Responses) >= c.CancelAfterResponses {
			cancel()
			cancelled = true
		}
		if !serverStreams {
			return nil // grpc-go already checked that the stream ended after this message
		}
	}
}

// concurrentUnary makes ConcurrentCalls unary calls at once over one channel: call i sends
// reqs[i % len(reqs)], and the replies are listed in call order (each stamped at its arrival),
// so every reply can be checked against its own request.
func concurrentUnary(ctx context.Context, ct *contract.Contract, conn *grpc.ClientConn, m method, reqs []proto.Message, c caseSpec, opts []grpc.CallOption, clk clock, obs *observation) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	var firstErr error
	replies := make([]*event, c.ConcurrentCalls)
	for i := 0; i < c.ConcurrentCalls; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp := m.resp.New().Interface()
			err := conn.Invoke(ctx, m.path, reqs[i%len(reqs)], resp, opts...)
			mu.Lock()
			defer mu.Unlock()
			if err != nil && firstErr == nil {
				firstErr = err
			} else if err == nil {
				e := record(ct, resp, c, clk)
				replies[i] = &e
			}
		}()
	}
	wg.Wait()
	for _, e := range replies {
		if e != nil {
			obs.Responses = append(obs.Responses, *e)
		}
	}
	obs.Status = toStatus(firstErr)
}

func toStatus(err error) statusJSON {
	st := status.Convert(err) // nil gives OK
	return statusJSON{Code: int(st.Code()), Message: st.Message()}
}
