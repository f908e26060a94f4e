package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	_ "grpcinterop/gen/go/greeter" // registers the descriptors the driver looks methods up in
)

var toJSON = protojson.MarshalOptions{EmitUnpopulated: true}

// runCase performs one call of any of the four patterns the same way: requests are sent from
// this goroutine (with the case's pause after each, as the article's clients do), while a
// second goroutine receives, so a reply that arrives before the half-close is seen as such.
func runCase(addr string, c caseSpec) (*observation, error) {
	md, err := findMethod(c.Method)
	if err != nil {
		return nil, err
	}
	reqs, err := decodeRequests(md.Input(), c)
	if err != nil {
		return nil, err
	}
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, fmt.Errorf("cannot create channel to %s: %w", addr, err)
	}
	defer conn.Close()

	timeout := time.Duration(c.TimeoutMs) * time.Millisecond
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()

	obs := &observation{Client: "go", Case: c.Name, Method: c.Method, Sent: []event{}, Responses: []event{}}
	clk := clock{start: time.Now()}
	desc := &grpc.StreamDesc{ServerStreams: md.IsStreamingServer(), ClientStreams: md.IsStreamingClient()}
	stream, err := conn.NewStream(ctx, desc, "/"+c.Method)
	if err != nil {
		obs.Status = toStatus(err)
		obs.DurationMs = clk.now()
		return obs, nil
	}

	var wg sync.WaitGroup
	var recvErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		recvErr = receiveAll(stream, md, desc.ServerStreams, clk, obs)
	}()

	for _, req := range reqs {
		if err := stream.SendMsg(req); err != nil {
			break // the server ended the call; its status comes from the receive side
		}
		obs.Sent = append(obs.Sent, event{AtMs: clk.now()})
		time.Sleep(time.Duration(c.SendIntervalMs) * time.Millisecond)
	}
	if err := stream.CloseSend(); err == nil {
		at := clk.now()
		obs.HalfCloseAtMs = &at
	}
	wg.Wait()
	obs.Status = toStatus(recvErr)
	obs.DurationMs = clk.now()
	return obs, nil
}

// receiveAll reads replies until the status arrives; io.EOF (or nil) means OK.
func receiveAll(stream grpc.ClientStream, md protoreflect.MethodDescriptor, serverStreams bool, clk clock, obs *observation) error {
	out, err := protoregistry.GlobalTypes.FindMessageByName(md.Output().FullName())
	if err != nil {
		return err
	}
	for {
		msg := out.New().Interface()
		err := stream.RecvMsg(msg)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		at := clk.now()
		js, _ := toJSON.Marshal(msg)
		obs.Responses = append(obs.Responses, event{AtMs: at, Message: js})
		if !serverStreams {
			return nil // grpc-go already checked that the stream ended after this message
		}
	}
}

func findMethod(full string) (protoreflect.MethodDescriptor, error) {
	svc, name, ok := strings.Cut(full, "/")
	if !ok {
		return nil, fmt.Errorf("method %q is not of the form package.Service/Method", full)
	}
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(svc))
	if err != nil {
		return nil, fmt.Errorf("unknown service %q: %v", svc, err)
	}
	sd, ok := d.(protoreflect.ServiceDescriptor)
	if !ok {
		return nil, fmt.Errorf("%q is not a service", svc)
	}
	md := sd.Methods().ByName(protoreflect.Name(name))
	if md == nil {
		return nil, fmt.Errorf("service %q has no method %q", svc, name)
	}
	return md, nil
}

func decodeRequests(in protoreflect.MessageDescriptor, c caseSpec) ([]proto.Message, error) {
	mt, err := protoregistry.GlobalTypes.FindMessageByName(in.FullName())
	if err != nil {
		return nil, err
	}
	reqs := make([]proto.Message, 0, len(c.Requests))
	for i, raw := range c.Requests {
		m := mt.New().Interface()
		if err := protojson.Unmarshal(raw, m); err != nil {
			return nil, fmt.Errorf("request %d is not a valid %s: %v", i, in.FullName(), err)
		}
		reqs = append(reqs, m)
	}
	return reqs, nil
}

func toStatus(err error) statusJSON {
	st := status.Convert(err) // nil gives OK
	return statusJSON{Code: int(st.Code()), Message: st.Message()}
}

