package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"os"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	_ "google.golang.org/grpc/encoding/gzip" // registers the gzip compressor for UseCompressor
	"google.golang.org/grpc/metadata"
)

// dial opens a channel for one case: plaintext, TLS, or TLS with a client certificate.
func dial(addr string, t *tlsSpec) (*grpc.ClientConn, error) {
	creds := insecure.NewCredentials()
	if t != nil {
		pem, err := os.ReadFile(t.CAFile)
		pool := x509.NewCertPool()
		if err != nil || !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("cannot load CA %s", t.CAFile)
		}
		cfg := &tls.Config{RootCAs: pool, ServerName: t.ServerNameOverride, MinVersion: tls.VersionTLS12}
		if t.CertFile != "" {
			cert, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
			if err != nil {
				return nil, fmt.Errorf("cannot load client certificate: %v", err)
			}
			cfg.Certificates = []tls.Certificate{cert}
		}
		creds = credentials.NewTLS(cfg)
	}
	return grpc.NewClient(addr, grpc.WithTransportCredentials(creds))
}

// outgoing attaches the case's request metadata; "-bin" values arrive base64 in the JSON.
func outgoing(ctx context.Context, c caseSpec) (context.Context, error) {
	md := metadata.MD{}
	for k, vs := range c.Metadata {
		for _, v := range vs {
			if strings.HasSuffix(k, "-bin") {
				raw, err := base64.StdEncoding.DecodeString(v)
				if err != nil {
					return nil, fmt.Errorf("metadata %s: value is not base64: %v", k, err)
				}
				v = string(raw)
			}
			md.Append(k, v)
		}
	}
	if c.CallReport != nil {
		md.Append("x-interop-tag", c.CallReport.Tag)
	}
	return metadata.NewOutgoingContext(ctx, md), nil
}

// metadataJSON renders received metadata for the observation, "-bin" values as base64.
func metadataJSON(md metadata.MD) map[string][]string {
	out := map[string][]string{}
	for k, vs := range md {
		for _, v := range vs {
			if strings.HasSuffix(k, "-bin") {
				v = base64.StdEncoding.EncodeToString([]byte(v))
			}
			out[k] = append(out[k], v)
		}
	}
	return out
}
