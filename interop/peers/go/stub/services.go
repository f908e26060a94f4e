package main

import (
	"encoding/json"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"
	v1reflectiongrpc "google.golang.org/grpc/reflection/grpc_reflection_v1"
	v1alphareflectiongrpc "google.golang.org/grpc/reflection/grpc_reflection_v1alpha"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"grpcinterop/interop/peers/go/internal/contract"
)

// builtIn are served by grpc-go's own implementations, not by stub blocks: health says SERVING
// for every service, reflection describes the descriptor set.
var builtIn = map[protoreflect.FullName]bool{
	"grpc.health.v1.Health":                    true,
	"grpc.reflection.v1.ServerReflection":      true,
	"grpc.reflection.v1alpha.ServerReflection": true,
}

// callReportMethod answers from the stub's record instead of from a stub block.
const callReportMethod protoreflect.FullName = "interop.InteropTest.GetCallReport"

// serviceDescs builds a grpc.ServiceDesc for every service of the set, each method a stream
// handler, so GetServiceInfo (and reflection's list) names every service the stub answers.
func (s *stubServer) serviceDescs() []*grpc.ServiceDesc {
	var descs []*grpc.ServiceDesc
	s.ct.Files.RangeFiles(func(fd protoreflect.FileDescriptor) bool {
		for i := 0; i < fd.Services().Len(); i++ {
			sd := fd.Services().Get(i)
			if builtIn[sd.FullName()] {
				continue
			}
			desc := &grpc.ServiceDesc{ServiceName: string(sd.FullName()), HandlerType: (*any)(nil), Metadata: fd.Path()}
			for j := 0; j < sd.Methods().Len(); j++ {
				md := sd.Methods().Get(j)
				h := s.handler(md)
				if md.FullName() == callReportMethod {
					h = s.callReport(md)
				}
				desc.Streams = append(desc.Streams, grpc.StreamDesc{
					StreamName: string(md.Name()), Handler: h,
					ServerStreams: md.IsStreamingServer(), ClientStreams: md.IsStreamingClient(),
				})
			}
			descs = append(descs, desc)
		}
		return true
	})
	return descs
}

// register puts every service, health and reflection on one grpc.Server.
func (s *stubServer) register(srv *grpc.Server, h *health.Server) {
	for _, d := range s.serviceDescs() {
		srv.RegisterService(d, struct{}{})
	}
	healthpb.RegisterHealthServer(srv, h)
	opts := reflection.ServerOptions{Services: srv, DescriptorResolver: resolver{s.ct.Files}, ExtensionResolver: s.ct.Types}
	v1reflectiongrpc.RegisterServerReflectionServer(srv, reflection.NewServerV1(opts))
	v1alphareflectiongrpc.RegisterServerReflectionServer(srv, reflection.NewServer(opts))
}

// newHealth says SERVING for the server as a whole and for each service it answers.
func (s *stubServer) newHealth() *health.Server {
	h := health.NewServer()
	h.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	for _, d := range s.serviceDescs() {
		h.SetServingStatus(d.ServiceName, healthpb.HealthCheckResponse_SERVING)
	}
	return h
}

// resolver finds reflection's files in the descriptor set first, then in grpc-go's own
// registrations, so health and reflection stay describable even when the set lacks them.
type resolver struct{ set *protoregistry.Files }

func (r resolver) FindFileByPath(p string) (protoreflect.FileDescriptor, error) {
	if fd, err := r.set.FindFileByPath(p); err == nil {
		return fd, nil
	}
	return protoregistry.GlobalFiles.FindFileByPath(p)
}

func (r resolver) FindDescriptorByName(n protoreflect.FullName) (protoreflect.Descriptor, error) {
	if d, err := r.set.FindDescriptorByName(n); err == nil {
		return d, nil
	}
	return protoregistry.GlobalFiles.FindDescriptorByName(n)
}

// callReport answers interop.InteropTest/GetCallReport from the record of the tagged call:
// the reference servers' fields, plus received_json = {"requests":[...],"metadata":{...}}.
func (s *stubServer) callReport(md protoreflect.MethodDescriptor) grpc.StreamHandler {
	return guarded(func(_ any, ss grpc.ServerStream) error {
		req := contract.New(md.Input())
		if err := ss.RecvMsg(req); err != nil {
			return err
		}
		var ask struct {
			Tag    string `json:"tag"`
			WaitMs int    `json:"waitMs"`
		}
		if js, err := s.ct.JSON(req); err != nil || json.Unmarshal(js, &ask) != nil {
			return status.Errorf(codes.InvalidArgument, "GetCallReport takes {tag, wait_ms}")
		}
		wait := time.Duration(ask.WaitMs) * time.Millisecond
		reply := contract.New(md.Output())
		if rec := s.calls.report(ask.Tag, wait); rec != nil {
			received, err := json.Marshal(map[string]any{"requests": rec.Requests, "metadata": rec.Metadata})
			if err != nil {
				return status.Errorf(codes.Internal, "cannot encode the record: %v", err)
			}
			contract.SetIfPresent(reply, "found", protoreflect.ValueOfBool(true))
			contract.SetIfPresent(reply, "has_deadline", protoreflect.ValueOfBool(rec.HasDeadline))
			contract.SetIfPresent(reply, "deadline_ms", protoreflect.ValueOfInt64(rec.DeadlineMs))
			contract.SetIfPresent(reply, "cancelled", protoreflect.ValueOfBool(rec.Cancelled))
			contract.SetIfPresent(reply, "finished", protoreflect.ValueOfBool(rec.Finished))
			contract.SetIfPresent(reply, "received_json", protoreflect.ValueOfString(string(received)))
		}
		return ss.SendMsg(reply)
	})
}
