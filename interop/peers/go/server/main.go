// Command go-server is the Go reference server: the article's Greeter, the harness's
// InteropTest and guide 002's UserService, with health checking and reflection, on 127.0.0.1.
//
// It prints "LISTENING <host:port>" on stdout once it accepts connections; the harness waits
// for that line instead of sleeping. With --tls-cert/--tls-key it also serves TLS on a second
// port (and mTLS on a third with --tls-client-ca), announced by LISTENING-TLS / LISTENING-MTLS
// lines printed before the LISTENING line. Port 0 (the default) lets the kernel pick.
package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	_ "google.golang.org/grpc/encoding/gzip" // accept gzip-compressed requests (grpc-go needs the codec registered)
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"

	pb "grpcinterop/gen/go/greeter"
	ipb "grpcinterop/gen/go/interop"
	upb "grpcinterop/gen/go/userservice"
	"grpcinterop/interop/peers/go/internal/peerflag"
)

func main() {
	host := flag.String("host", "127.0.0.1", "address to listen on")
	port := flag.Int("port", 0, "port to listen on (0 picks a free one)")
	tickMs := flag.Int("tick-ms", 500, "pause after each GetStockPrice reply (the article uses 500)")
	watchStdin := flag.Bool("watch-stdin", false, "exit when stdin closes (the harness holds it open)")
	tlsCert := flag.String("tls-cert", "", "PEM server certificate: also serve TLS on another port")
	tlsKey := flag.String("tls-key", "", "PEM key of --tls-cert")
	tlsClientCA := flag.String("tls-client-ca", "", "PEM CA of client certificates: also serve mTLS on a third port")
	flag.Parse()

	services := newServices(time.Duration(*tickMs) * time.Millisecond)
	var servers []*grpc.Server
	serve := func(label string, p int, creds credentials.TransportCredentials) {
		lis := listen(*host, p)
		opts := []grpc.ServerOption{grpc.ChainUnaryInterceptor(authUnary), grpc.ChainStreamInterceptor(authStream)}
		if creds != nil {
			opts = append(opts, grpc.Creds(creds))
		}
		s := grpc.NewServer(opts...)
		services.register(s)
		servers = append(servers, s)
		go func() {
			if err := s.Serve(lis); err != nil {
				log.Fatalf("Failed to serve: %v", err)
			}
		}()
		log.Printf("gRPC Server started at %s (%s)", lis.Addr(), label)
		fmt.Printf("%s %s\n", label, lis.Addr())
	}
	if *tlsCert != "" {
		serve("LISTENING-TLS", 0, credentials.NewTLS(tlsConfig(*tlsCert, *tlsKey, "")))
		if *tlsClientCA != "" {
			serve("LISTENING-MTLS", 0, credentials.NewTLS(tlsConfig(*tlsCert, *tlsKey, *tlsClientCA)))
		}
	}
	stopAll := func() {
		for _, s := range servers {
			s.Stop()
		}
	}
	if *watchStdin {
		peerflag.ExitWhenStdinCloses(stopAll)
	}
	serve("LISTENING", *port, nil) // last: this line means "ready"
	select {}
}

// services holds one instance of each service, shared by the plaintext, TLS and mTLS servers.
type services struct {
	greeter *greeterServer
	interop *interopServer
	users   *userServer
	health  *health.Server
}

func newServices(tick time.Duration) *services {
	h := health.NewServer()
	for _, name := range []string{"", "greeter.Greeter", "interop.InteropTest", "userservice.UserService"} {
		h.SetServingStatus(name, healthpb.HealthCheckResponse_SERVING)
	}
	return &services{greeter: &greeterServer{tick: tick}, interop: &interopServer{calls: newCallLog()}, users: newUserServer(), health: h}
}

func (sv *services) register(s *grpc.Server) {
	pb.RegisterGreeterServer(s, sv.greeter)
	ipb.RegisterInteropTestServer(s, sv.interop)
	upb.RegisterUserServiceServer(s, sv.users)
	healthpb.RegisterHealthServer(s, sv.health)
	reflection.Register(s)
}

func listen(host string, port int) net.Listener {
	addr := net.JoinHostPort(host, fmt.Sprint(port))
	lis, err := net.Listen("tcp", addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			fmt.Fprintf(os.Stderr, "go-server: port %d on %s is in use: stop what holds it or pass another --port (0 picks a free one)\n", port, host)
		} else {
			fmt.Fprintf(os.Stderr, "go-server: cannot listen on %s: %v\n", addr, err)
		}
		os.Exit(2)
	}
	return lis
}

func tlsConfig(certFile, keyFile, clientCAFile string) *tls.Config {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		fmt.Fprintf(os.Stderr, "go-server: cannot load --tls-cert/--tls-key: %v\n", err)
		os.Exit(2)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if clientCAFile != "" {
		pem, err := os.ReadFile(clientCAFile)
		pool := x509.NewCertPool()
		if err != nil || !pool.AppendCertsFromPEM(pem) {
			fmt.Fprintf(os.Stderr, "go-server: cannot load --tls-client-ca %s\n", clientCAFile)
			os.Exit(2)
		}
		cfg.ClientCAs = pool
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	}
	return cfg
}
