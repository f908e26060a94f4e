// Command go-stub serves EVERY service of the contract's descriptor set through one generic
// handler, answering from stub blocks (README: Any contract): a case's "stub" block says which responses,
// status (with details), headers and trailers to send, and how fast. The harness names the
// block per call with the "x-interop-stub: <case name>" header. A call tagged "x-interop-tag" is
// recorded (requests as canonical proto3 JSON, metadata, deadline, cancellation), and
// interop.InteropTest/GetCallReport answers from that record, so a client's encoding is judged
// by grpc-go's decoder for any message of the contract, with no generated code.
//
// Flags and ready lines are go-server's: --port, --watch-stdin, --tls-cert/--tls-key
// (LISTENING-TLS), --tls-client-ca (LISTENING-MTLS), then "LISTENING host:port".
package main

import (
	"flag"
	"fmt"
	"log"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	_ "google.golang.org/grpc/encoding/gzip" // accept gzip-compressed requests

	"grpcinterop/interop/peers/go/internal/contract"
	"grpcinterop/interop/peers/go/internal/peerflag"
)

func main() {
	host := flag.String("host", "127.0.0.1", "address to listen on")
	port := flag.Int("port", 0, "port to listen on (0 picks a free one)")
	_ = flag.Int("tick-ms", 0, "ignored: taken so the harness starts every server alike")
	watchStdin := flag.Bool("watch-stdin", false, "exit when stdin closes (the harness holds it open)")
	tlsCert := flag.String("tls-cert", "", "PEM server certificate: also serve TLS on another port")
	tlsKey := flag.String("tls-key", "", "PEM key of --tls-cert")
	tlsClientCA := flag.String("tls-client-ca", "", "PEM CA of client certificates: also serve mTLS on a third port")
	descSet := flag.String("descriptor-set", "", "the contract's FileDescriptorSet (default: $"+contract.EnvVar+", else .build/contract/descriptors.binpb)")
	stubsFile := flag.String("stubs", "", `JSON object {"<case name>": <stub block>, ...}`)
	flag.Parse()

	ct, err := contract.Load(*descSet)
	if err != nil {
		fail("%v", err)
	}
	cases, err := loadStubs(ct, *stubsFile)
	if err != nil {
		fail("%v", err)
	}
	stub := &stubServer{ct: ct, cases: cases, calls: newCallLog()}
	h := stub.newHealth()
	var servers []*grpc.Server
	serve := func(label string, p int, creds credentials.TransportCredentials) {
		lis := listen(*host, p)
		var opts []grpc.ServerOption
		if creds != nil {
			opts = append(opts, grpc.Creds(creds))
		}
		s := grpc.NewServer(opts...)
		stub.register(s, h)
		servers = append(servers, s)
		go func() {
			if err := s.Serve(lis); err != nil {
				log.Fatalf("go-stub: serve: %v", err)
			}
		}()
		log.Printf("go-stub: %d stub case(s) from %s, contract %s, at %s (%s)", len(cases), *stubsFile, ct.Path, lis.Addr(), label)
		fmt.Printf("%s %s\n", label, lis.Addr())
	}
	if *tlsCert != "" {
		serve("LISTENING-TLS", 0, credentials.NewTLS(tlsConfig(*tlsCert, *tlsKey, "")))
		if *tlsClientCA != "" {
			serve("LISTENING-MTLS", 0, credentials.NewTLS(tlsConfig(*tlsCert, *tlsKey, *tlsClientCA)))
		}
	}
	if *watchStdin {
		peerflag.ExitWhenStdinCloses(func() {
			for _, s := range servers {
				s.Stop()
			}
		})
	}
	serve("LISTENING", *port, nil) // last: this line means "ready"
	select {}
}
