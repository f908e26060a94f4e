package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
)

// These mirror go-server's, so the harness starts a stub exactly as it starts a reference server.

func listen(host string, port int) net.Listener {
	addr := net.JoinHostPort(host, fmt.Sprint(port))
	lis, err := net.Listen("tcp", addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			fail("port %d on %s is in use: stop what holds it or pass another --port (0 picks a free one)", port, host)
		}
		fail("cannot listen on %s: %v", addr, err)
	}
	return lis
}

func tlsConfig(certFile, keyFile, clientCAFile string) *tls.Config {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		fail("cannot load --tls-cert/--tls-key: %v", err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if clientCAFile != "" {
		pem, err := os.ReadFile(clientCAFile)
		pool := x509.NewCertPool()
		if err != nil || !pool.AppendCertsFromPEM(pem) {
			fail("cannot load --tls-client-ca %s", clientCAFile)
		}
		cfg.ClientCAs = pool
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	}
	return cfg
}

// fail reports bad input (flags, descriptor set, stubs file): one line, exit code 2.
func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "go-stub: "+format+"\n", args...)
	os.Exit(2)
}
