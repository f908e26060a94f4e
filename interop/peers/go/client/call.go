package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/encoding/gzip"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	_ "grpcinterop/gen/go/greeter" // register the descriptors the driver looks methods up in
	ipb "grpcinterop/gen/go/interop"
	_ "grpcinterop/gen/go/userservice"
)

var toJSON = protojson.MarshalOptions{EmitUnpopulated: true}

// method is a case's RPC, resolved from the generated descriptors.
type method struct {
	desc        protoreflect.MethodDescriptor
	path        string
	input, resp protoreflect.MessageType
}

// runCase performs one case. Requests are sent from this goroutine (pausing after each, as the
// article's clients do) while another receives, so a reply that arrives before the half-close
// is seen as such.
func runCase(defaultAddr string, c caseSpec) (*observation, error) {
	m, err := resolve(c)
	if err != nil {
		return nil, err
	}
	reqs, err := decodeRequests(m, c)
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
		concurrentUnary(ctx, conn, m, reqs, c, opts, clk, obs)
	} else {
		stream(ctx, cancel, conn, m, reqs, c, opts, clk, obs)
	}
	obs.DurationMs = clk.now()
	if c.CallReport != nil {
		obs.CallReport = callReport(conn, c)
	}
	return obs, nil
}

// stream runs one call of any pattern through the streaming API, which is what grpc-go's
// generated unary stubs do underneath too.
func stream(ctx context.Context, cancel context.CancelFunc, conn *grpc.ClientConn, m method, reqs []proto.Message, c caseSpec, opts []grpc.CallOption, clk clock, obs *observation) {
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
	wg.Add(1)
	go func() {
		defer wg.Done()
		recvErr = receiveAll(st, m, desc.ServerStreams, c, cancel, clk, obs)
	}()
	for _, req := range reqs {
		if err := st.SendMsg(req); err != nil {
			break // the call ended; its status comes from the receive side
		}
		obs.Sent = append(obs.Sent, event{AtMs: clk.now()})
		time.Sleep(time.Duration(c.SendIntervalMs) * time.Millisecond)
	}
	// A case that cancels keeps the stream open until then; the others half-close.
	if c.CancelAfterMs == 0 && c.CancelAfterResponses == 0 {
		if err := st.CloseSend(); err == nil {
			at := clk.now()
			obs.HalfCloseAtMs = &at
		}
	}
	wg.Wait()
	obs.Status = toStatus(recvErr)
}

// receiveAll reads replies until the status arrives; io.EOF (or nil) means OK.
func receiveAll(st grpc.ClientStream, m method, serverStreams bool, c caseSpec, cancel context.CancelFunc, clk clock, obs *observation) (err error) {
	defer func() {
		if md, herr := st.Header(); herr == nil {
			obs.Headers = metadataJSON(md)
		}
		obs.Trailers = metadataJSON(st.Trailer())
	}()
	for {
		msg := m.resp.New().Interface()
		err := st.RecvMsg(msg)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		obs.Responses = append(obs.Responses, record(msg, c, clk))
		if c.CancelAfterResponses > 0 && len(obs.Responses) >= c.CancelAfterResponses {
			cancel()
		}
		if !serverStreams {
			return nil // grpc-go already checked that the stream ended after this message
		}
	}
}

// concurrentUnary makes ConcurrentCalls unary calls at once over one channel. Call i sends
// reqs[i % len(reqs)] (with repeatRequests: index i), so each reply can be checked against its own
// request; replies are recorded in call order, not arrival order.
func concurrentUnary(ctx context.Context, conn *grpc.ClientConn, m method, reqs []proto.Message, c caseSpec, opts []grpc.CallOption, clk clock, obs *observation) {
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
				e := record(resp, c, clk)
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

func record(msg proto.Message, c caseSpec, clk clock) event {
	at := clk.now()
	if c.RecordSizesOnly {
		n := proto.Size(msg)
		return event{AtMs: at, SizeBytes: &n}
	}
	js, _ := toJSON.Marshal(msg)
	return event{AtMs: at, Message: js}
}

// callReport asks the server what it saw of the tagged call.
func callReport(conn *grpc.ClientConn, c caseSpec) json.RawMessage {
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(c.CallReport.WaitMs)*time.Millisecond+5*time.Second)
	defer cancel()
	report := &ipb.CallReport{}
	req := &ipb.CallReportRequest{Tag: c.CallReport.Tag, WaitMs: int32(c.CallReport.WaitMs)}
	if err := conn.Invoke(ctx, ipb.InteropTest_GetCallReport_FullMethodName, req, report); err != nil {
		js, _ := json.Marshal(map[string]string{"error": err.Error()})
		return js
	}
	js, _ := toJSON.Marshal(report)
	return js
}

func resolve(c caseSpec) (method, error) {
	svc, name, ok := strings.Cut(c.Method, "/")
	if !ok {
		return method{}, fmt.Errorf("method %q is not of the form package.Service/Method", c.Method)
	}
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(svc))
	sd, isService := d.(protoreflect.ServiceDescriptor)
	if err != nil || !isService {
		return method{}, fmt.Errorf("unknown service %q", svc)
	}
	md := sd.Methods().ByName(protoreflect.Name(name))
	if md == nil {
		return method{}, fmt.Errorf("service %q has no method %q", svc, name)
	}
	in, err1 := protoregistry.GlobalTypes.FindMessageByName(md.Input().FullName())
	out, err2 := protoregistry.GlobalTypes.FindMessageByName(md.Output().FullName())
	if err1 != nil || err2 != nil {
		return method{}, fmt.Errorf("types of %s are not registered", c.Method)
	}
	path := c.Path
	if path == "" {
		path = "/" + c.Method
	}
	return method{desc: md, path: path, input: in, resp: out}, nil
}

// decodeRequests parses the case's requests; with repeatRequests, requests[0] is sent that many
// times with its "index" field counting up (large streams stay small in fixtures/).
func decodeRequests(m method, c caseSpec) ([]proto.Message, error) {
	var reqs []proto.Message
	for i, raw := range c.Requests {
		msg := m.input.New().Interface()
		if err := protojson.Unmarshal(raw, msg); err != nil {
			return nil, fmt.Errorf("request %d is not a valid %s: %v", i, m.input.Descriptor().FullName(), err)
		}
		reqs = append(reqs, msg)
	}
	if payload := m.input.Descriptor().Fields().ByName("payload"); c.RequestPayloadBytes > 0 && payload != nil {
		for _, r := range reqs {
			r.ProtoReflect().Set(payload, protoreflect.ValueOfBytes(make([]byte, c.RequestPayloadBytes)))
		}
	}
	if c.RepeatRequests > 0 && len(reqs) > 0 {
		index := m.input.Descriptor().Fields().ByName("index")
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
	// A unary call sends one request; concurrent calls send one each (call i sends reqs[i]).
	if !m.desc.IsStreamingClient() && len(reqs) != 1 && c.ConcurrentCalls == 0 {
		return nil, fmt.Errorf("%s takes exactly one request, the case has %d", c.Method, len(reqs))
	}
	return reqs, nil
}

func toStatus(err error) statusJSON {
	st := status.Convert(err) // nil gives OK
	return statusJSON{Code: int(st.Code()), Message: st.Message()}
}
