// reflectcheck asks a server, through server reflection v1, for its services and the files that
// define them, and builds those descriptors with protodesc, which is strict (grpcurl uses it too:
// a misnamed map entry is an error here). Prints one JSON line: {"services": [...], "files": [...]}
// or {"error": "..."}; exit 0 either way, 2 on bad flags.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	rpb "google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/types/descriptorpb"
)

type result struct {
	Services []string `json:"services,omitempty"`
	Files    []string `json:"files,omitempty"`
	Error    string   `json:"error,omitempty"`
}

func check(addr string) (result, error) {
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return result{}, err
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	stream, err := rpb.NewServerReflectionClient(conn).ServerReflectionInfo(ctx)
	if err != nil {
		return result{}, err
	}
	ask := func(req *rpb.ServerReflectionRequest) (*rpb.ServerReflectionResponse, error) {
		if err := stream.Send(req); err != nil {
			return nil, err
		}
		res, err := stream.Recv()
		if err != nil {
			return nil, err
		}
		if e := res.GetErrorResponse(); e != nil {
			return nil, fmt.Errorf("reflection error %d: %s", e.GetErrorCode(), e.GetErrorMessage())
		}
		return res, nil
	}
	res, err := ask(&rpb.ServerReflectionRequest{MessageRequest: &rpb.ServerReflectionRequest_ListServices{ListServices: "*"}})
	if err != nil {
		return result{}, err
	}
	var out result
	files := map[string]*descriptorpb.FileDescriptorProto{}
	for _, s := range res.GetListServicesResponse().GetService() {
		out.Services = append(out.Services, s.GetName())
		r, err := ask(&rpb.ServerReflectionRequest{MessageRequest: &rpb.ServerReflectionRequest_FileContainingSymbol{FileContainingSymbol: s.GetName()}})
		if err != nil {
			return result{}, fmt.Errorf("file containing %s: %w", s.GetName(), err)
		}
		for _, raw := range r.GetFileDescriptorResponse().GetFileDescriptorProto() {
			fd := &descriptorpb.FileDescriptorProto{}
			if err := proto.Unmarshal(raw, fd); err != nil {
				return result{}, fmt.Errorf("file containing %s: %w", s.GetName(), err)
			}
			files[fd.GetName()] = fd
		}
	}
	set := &descriptorpb.FileDescriptorSet{}
	for name, fd := range files {
		out.Files = append(out.Files, name)
		set.File = append(set.File, fd)
	}
	sort.Strings(out.Services)
	sort.Strings(out.Files)
	if _, err := protodesc.NewFiles(set); err != nil {
		return result{}, fmt.Errorf("protodesc: %w", err)
	}
	return out, nil
}

func main() {
	addr := flag.String("addr", "", "server host:port")
	flag.Parse()
	if *addr == "" {
		fmt.Fprintln(os.Stderr, "reflectcheck: --addr HOST:PORT is required")
		os.Exit(2)
	}
	out, err := check(*addr)
	if err != nil {
		out = result{Error: err.Error()}
	}
	_ = json.NewEncoder(os.Stdout).Encode(out)
}
