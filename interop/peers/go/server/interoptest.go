package main

import (
	"context"
	"io"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/protoadapt"

	ipb "grpcinterop/gen/go/interop"
)

// interopServer implements interop.InteropTest as proto/interop_test.proto specifies.
type interopServer struct {
	ipb.UnimplementedInteropTestServer
	calls *callLog
}

// echoMetadata splits the request metadata to echo: "x-initial-*" keys go back as headers,
// "x-trailing-*" keys as trailers, every value kept.
func echoMetadata(ctx context.Context) (header, trailer metadata.MD) {
	header, trailer = metadata.MD{}, metadata.MD{}
	md, _ := metadata.FromIncomingContext(ctx)
	for k, vs := range md {
		switch {
		case strings.HasPrefix(k, "x-initial-"):
			header[k] = vs
		case strings.HasPrefix(k, "x-trailing-"):
			trailer[k] = vs
		}
	}
	return header, trailer
}

// work sleeps for ms, or less if the call ends first (cancelled, deadline).
func work(ctx context.Context, ms int32) error {
	if ms <= 0 {
		return nil
	}
	select {
	case <-time.After(time.Duration(ms) * time.Millisecond):
		return nil
	case <-ctx.Done():
		return status.FromContextError(ctx.Err()).Err()
	}
}

// statusRequest is a request that may ask for the status the call ends with (Echo, StreamOutput).
type statusRequest interface {
	protoadapt.MessageV1
	GetResponseStatus() *ipb.Status
	GetStatusDetails() bool
}

func requestedStatus(req statusRequest) error {
	if st := req.GetResponseStatus(); st != nil && st.GetCode() != 0 {
		s := status.New(codes.Code(st.GetCode()), st.GetMessage())
		if req.GetStatusDetails() { // grpc-status-details-bin: the request, echoed as an Any
			if withDetails, err := s.WithDetails(req); err == nil {
				s = withDetails
			}
		}
		return s.Err()
	}
	return nil
}

func reply(req *ipb.EchoRequest) *ipb.EchoResponse {
	payload := req.GetPayload()
	if req.GetResponseSize() > 0 {
		payload = make([]byte, req.GetResponseSize())
	}
	return &ipb.EchoResponse{Payload: payload, Index: req.GetIndex()}
}

// compressResponses asks grpc-go to gzip this call's responses (the client must accept gzip,
// which every client here advertises in grpc-accept-encoding).
func compressResponses(ctx context.Context, on bool) error {
	if !on {
		return nil
	}
	if err := grpc.SetSendCompressor(ctx, "gzip"); err != nil {
		return status.Errorf(codes.FailedPrecondition, "cannot compress responses: %v", err)
	}
	return nil
}

func (s *interopServer) Echo(ctx context.Context, req *ipb.EchoRequest) (*ipb.EchoResponse, error) {
	defer s.calls.start(ctx)()
	header, trailer := echoMetadata(ctx)
	_ = grpc.SetTrailer(ctx, trailer)
	if err := checkEcho(req); err != nil {
		return nil, err
	}
	if err := compressResponses(ctx, req.GetCompressResponse()); err != nil {
		return nil, err
	}
	if err := work(ctx, req.GetSleepMs()); err != nil {
		return nil, err
	}
	if err := requestedStatus(req); err != nil {
		if req.GetHeadersFirst() {
			_ = grpc.SendHeader(ctx, header) // headers now, the status later in trailers
		}
		return nil, err // otherwise nothing was sent: a trailers-only response
	}
	_ = grpc.SetHeader(ctx, header)
	return reply(req), nil
}

func (s *interopServer) StreamOutput(req *ipb.StreamOutputRequest, stream grpc.ServerStreamingServer[ipb.EchoResponse]) error {
	ctx := stream.Context()
	defer s.calls.start(ctx)()
	header, trailer := echoMetadata(ctx)
	stream.SetTrailer(trailer)
	if err := checkStreamOutput(req); err != nil {
		return err
	}
	if err := compressResponses(ctx, req.GetCompressResponse()); err != nil {
		return err
	}
	if err := stream.SendHeader(header); err != nil {
		return err
	}
	if err := work(ctx, req.GetInitialDelayMs()); err != nil {
		return err
	}
	for i := int32(0); i < req.GetResponseCount(); i++ {
		if i > 0 {
			if err := work(ctx, req.GetIntervalMs()); err != nil {
				return err
			}
		}
		if err := stream.Send(&ipb.EchoResponse{Payload: make([]byte, streamResponseSize(req, i)), Index: int64(i)}); err != nil {
			return err
		}
	}
	return requestedStatus(req)
}

// streamResponseSize is response i's payload size: response_sizes[i] where given, else response_size.
func streamResponseSize(req *ipb.StreamOutputRequest, i int32) int32 {
	if sizes := req.GetResponseSizes(); int(i) < len(sizes) {
		return sizes[i]
	}
	return req.GetResponseSize()
}

func (s *interopServer) StreamInput(stream grpc.ClientStreamingServer[ipb.EchoRequest, ipb.StreamInputSummary]) error {
	ctx := stream.Context()
	defer s.calls.start(ctx)()
	header, trailer := echoMetadata(ctx)
	stream.SetTrailer(trailer)
	_ = stream.SetHeader(header)
	sum := &ipb.StreamInputSummary{InOrder: true}
	for {
		req, err := stream.Recv()
		if err == io.EOF {
			if err := awaitLateCancel(ctx); err != nil {
				return status.FromContextError(err).Err()
			}
			return stream.SendAndClose(sum)
		}
		if err != nil {
			return err
		}
		if err := checkStreamInput(req); err != nil {
			return err
		}
		if err := work(ctx, req.GetSleepMs()); err != nil {
			return err
		}
		if err := requestedStatus(req); err != nil {
			return err // as soon as the request asking for it arrives
		}
		sum.InOrder = sum.InOrder && req.GetIndex() == sum.Count
		sum.Count++
		sum.PayloadBytes += int64(len(req.GetPayload()))
	}
}

func (s *interopServer) FullDuplex(stream grpc.BidiStreamingServer[ipb.EchoRequest, ipb.EchoResponse]) error {
	ctx := stream.Context()
	defer s.calls.start(ctx)()
	header, trailer := echoMetadata(ctx)
	stream.SetTrailer(trailer)
	_ = stream.SetHeader(header) // sent with the first reply, or with the status
	var held []*ipb.EchoResponse // half-duplex: replies kept until the half-close
	holding := false
	for {
		req, err := stream.Recv()
		if err == io.EOF {
			if err := awaitLateCancel(ctx); err != nil {
				return status.FromContextError(err).Err()
			}
			for _, r := range held {
				if err := stream.Send(r); err != nil {
					return err
				}
			}
			return nil
		}
		if err != nil {
			return err
		}
		if err := checkEcho(req); err != nil {
			return err
		}
		if err := work(ctx, req.GetSleepMs()); err != nil {
			return err
		}
		if err := requestedStatus(req); err != nil {
			if req.GetHeadersFirst() {
				_ = stream.SendHeader(header)
			}
			return err
		}
		if holding = holding || req.GetHoldUntilHalfClose(); holding {
			held = append(held, reply(req))
			continue
		}
		if err := stream.Send(reply(req)); err != nil {
			return err
		}
	}
}

func (s *interopServer) GetCallReport(ctx context.Context, req *ipb.CallReportRequest) (*ipb.CallReport, error) {
	if err := outOfRange("wait_ms", int64(req.GetWaitMs()), maxMs); err != nil {
		return nil, err
	}
	return s.calls.report(req.GetTag(), time.Duration(req.GetWaitMs())*time.Millisecond), nil
}
