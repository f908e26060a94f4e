// Command go-server is the Go reference server: the article's Greeter on 127.0.0.1.
//
// It prints "LISTENING <host:port>" on stdout once it accepts connections; the harness waits
// for that line instead of sleeping. With --port 0 (the default) the kernel picks a free port.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"syscall"
	"time"

	"google.golang.org/grpc"

	pb "grpcinterop/gen/go/greeter"
	"grpcinterop/interop/peers/go/internal/peerflag"
)

func main() {
	host := flag.String("host", "127.0.0.1", "address to listen on")
	port := flag.Int("port", 0, "port to listen on (0 picks a free one)")
	tickMs := flag.Int("tick-ms", 500, "pause after each GetStockPrice reply (the article uses 500)")
	watchStdin := flag.Bool("watch-stdin", false, "exit when stdin closes (the harness holds it open)")
	flag.Parse()

	addr := net.JoinHostPort(*host, fmt.Sprint(*port))
	lis, err := net.Listen("tcp", addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			fmt.Fprintf(os.Stderr, "go-server: port %d on %s is in use: stop what holds it or pass another --port (0 picks a free one)\n", *port, *host)
		} else {
			fmt.Fprintf(os.Stderr, "go-server: cannot listen on %s: %v\n", addr, err)
		}
		os.Exit(2)
	}
	s := grpc.NewServer()
	pb.RegisterGreeterServer(s, &greeterServer{tick: time.Duration(*tickMs) * time.Millisecond})

	if *watchStdin {
		peerflag.ExitWhenStdinCloses(s.Stop)
	}
	log.Printf("gRPC Server started at %s", lis.Addr())
	fmt.Printf("LISTENING %s\n", lis.Addr())
	if err := s.Serve(lis); err != nil {
		log.Fatalf("Failed to serve: %v", err)
	}
}
