package main

import (
	"context"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// Guide 002's auth interceptor: the "authorization" metadata, less a "Bearer " prefix, must be a
// valid token. Applied to UserService only, so the article's Greeter stays open as it was.
const guardedPrefix = "/userservice.UserService/"

var validTokens = map[string]bool{"secret-token-123": true}

func authorized(ctx context.Context) bool {
	md, _ := metadata.FromIncomingContext(ctx)
	token := ""
	if v := md.Get("authorization"); len(v) > 0 {
		token = strings.TrimPrefix(v[0], "Bearer ")
	}
	return validTokens[token]
}

var errInvalidToken = status.Error(codes.Unauthenticated, "Invalid token")

func authUnary(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	if strings.HasPrefix(info.FullMethod, guardedPrefix) && !authorized(ctx) {
		return nil, errInvalidToken
	}
	return handler(ctx, req)
}

func authStream(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	if strings.HasPrefix(info.FullMethod, guardedPrefix) && !authorized(ss.Context()) {
		return errInvalidToken
	}
	return handler(srv, ss)
}
