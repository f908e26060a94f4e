package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	upb "grpcinterop/gen/go/userservice"
)

// userServer is guide 002's UserService, in Go: an in-memory store kept in insertion order,
// seeded with three users so that GetUser and ListUsers have something to find.
type userServer struct {
	upb.UnimplementedUserServiceServer
	mu    sync.Mutex
	order []string
	users map[string]*upb.User
}

func newUserServer() *userServer {
	s := &userServer{users: map[string]*upb.User{}}
	for i, name := range []string{"ada", "grace", "linus"} {
		roles := []string{"user"}
		if i == 0 {
			roles = []string{"admin"}
		}
		s.add(&upb.User{Id: fmt.Sprintf("u-%d", i+1), Username: name, Email: name + "@example.com", CreatedAt: 1700000000 + int64(i), Roles: roles})
	}
	return s
}

func (s *userServer) add(u *upb.User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[u.Id] = u
	s.order = append(s.order, u.Id)
}

func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func (s *userServer) GetUser(ctx context.Context, req *upb.GetUserRequest) (*upb.User, error) {
	s.mu.Lock()
	u, ok := s.users[req.GetId()]
	s.mu.Unlock()
	if !ok {
		return nil, status.Errorf(codes.NotFound, "User %s not found", req.GetId())
	}
	roles := u.Roles
	if len(roles) == 0 {
		roles = []string{"user"}
	}
	return &upb.User{Id: u.Id, Username: u.Username, Email: u.Email, CreatedAt: u.CreatedAt, Roles: roles}, nil
}

func (s *userServer) CreateUser(ctx context.Context, req *upb.CreateUserRequest) (*upb.User, error) {
	u := &upb.User{Id: newID(), Username: req.GetUsername(), Email: req.GetEmail(), CreatedAt: time.Now().Unix(), Roles: []string{"user"}}
	s.add(u)
	return &upb.User{Id: u.Id, Username: u.Username, Email: u.Email}, nil
}

func (s *userServer) ListUsers(req *upb.ListUsersRequest, stream grpc.ServerStreamingServer[upb.User]) error {
	// proto/interop_test.proto's request rules: a negative page size is a bad request.
	if err := outOfRange("page_size", int64(req.GetPageSize()), 1<<31-1); err != nil {
		return err
	}
	pageSize := int(req.GetPageSize())
	if pageSize == 0 {
		pageSize = 10
	}
	s.mu.Lock()
	var page []*upb.User
	for _, id := range s.order {
		if len(page) >= pageSize {
			break
		}
		u := s.users[id]
		page = append(page, &upb.User{Id: u.Id, Username: u.Username, Email: u.Email, CreatedAt: u.CreatedAt})
	}
	s.mu.Unlock()
	for _, u := range page {
		if err := stream.Send(u); err != nil {
			return err
		}
	}
	return nil
}

func (s *userServer) BatchCreateUsers(stream grpc.ClientStreamingServer[upb.CreateUserRequest, upb.BatchResult]) error {
	result := &upb.BatchResult{}
	for {
		req, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(result)
		}
		if err != nil {
			return err
		}
		s.add(&upb.User{Id: newID(), Username: req.GetUsername(), Email: req.GetEmail(), CreatedAt: time.Now().Unix()})
		result.Created++
	}
}

func (s *userServer) Chat(stream grpc.BidiStreamingServer[upb.ChatMessage, upb.ChatMessage]) error {
	for {
		msg, err := stream.Recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		reply := &upb.ChatMessage{UserId: "server", Text: "Echo: " + msg.GetText(), Timestamp: time.Now().UnixMilli()}
		if err := stream.Send(reply); err != nil {
			return err
		}
	}
}
