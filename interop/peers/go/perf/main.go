// go-perf: the Go column of `npm run perf` for what ghz cannot measure. ghz times whole calls,
// so it gives the unary latencies; messages per second inside one stream and ping-pong round
// trips need a loop that counts messages, which is this program. Every loop stops when its
// budget is spent (and every call has a deadline), so a run is bounded whatever the server does.
//
//	go-perf --addr HOST:PORT --budget-ms 500 --payload 256 --stream-batch 1000
//
// prints one JSON line (interop/perf/contract.ts).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	pb "grpcinterop/gen/go/interop"
)

type rate struct {
	Messages int     `json:"messages"`
	PerSec   float64 `json:"perSec"`
}

type result struct {
	ServerStreaming *rate  `json:"serverStreaming"`
	ClientStreaming *rate  `json:"clientStreaming"`
	Bidi            *rate  `json:"bidi"`
	Error           string `json:"error,omitempty"`
}

func main() {
	addr := flag.String("addr", "", "server host:port")
	budgetMs := flag.Int("budget-ms", 500, "time spent on each measurement")
	payload := flag.Int("payload", 256, "bytes of payload in every message")
	batch := flag.Int("stream-batch", 1000, "responses asked for per server-streaming call")
	flag.Parse()
	if *addr == "" {
		fmt.Fprintln(os.Stderr, "go-perf: --addr is required")
		os.Exit(2)
	}
	conn, err := grpc.NewClient(*addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		fmt.Fprintf(os.Stderr, "go-perf: %v\n", err)
		os.Exit(2)
	}
	defer conn.Close()
	m := measurer{client: pb.NewInteropTestClient(conn), budget: time.Duration(*budgetMs) * time.Millisecond, payload: make([]byte, *payload), batch: int32(*batch)}
	out := result{}
	if out.ServerStreaming, err = m.serverStreaming(); err == nil {
		if out.ClientStreaming, err = m.clientStreaming(); err == nil {
			out.Bidi, err = m.bidi()
		}
	}
	if err != nil {
		out.Error = err.Error()
	}
	line, _ := json.Marshal(out)
	fmt.Println(string(line))
}

type measurer struct {
	client  pb.InteropTestClient
	budget  time.Duration
	payload []byte
	batch   int32
}

// ctx bounds one measurement: its budget plus a margin for the call in flight when it ends.
func (m measurer) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), m.budget+5*time.Second)
}

func perSec(n int, d time.Duration) *rate {
	return &rate{Messages: n, PerSec: float64(n) / d.Seconds()}
}

// serverStreaming asks for batches of responses until the budget is spent, counting messages.
func (m measurer) serverStreaming() (*rate, error) {
	ctx, cancel := m.ctx()
	defer cancel()
	start, n := time.Now(), 0
	for time.Since(start) < m.budget {
		stream, err := m.client.StreamOutput(ctx, &pb.StreamOutputRequest{ResponseCount: m.batch, ResponseSize: int32(len(m.payload))})
		if err != nil {
			return nil, fmt.Errorf("server streaming: %v", err)
		}
		for {
			if _, err := stream.Recv(); err != nil {
				break
			}
			n++
		}
	}
	return perSec(n, time.Since(start)), nil
}

// clientStreaming sends requests on one call until the budget is spent; the server's count must
// match what was sent, or the figure would measure lost messages.
func (m measurer) clientStreaming() (*rate, error) {
	ctx, cancel := m.ctx()
	defer cancel()
	stream, err := m.client.StreamInput(ctx)
	if err != nil {
		return nil, fmt.Errorf("client streaming: %v", err)
	}
	start, n := time.Now(), 0
	for time.Since(start) < m.budget {
		if err := stream.Send(&pb.EchoRequest{Payload: m.payload, Index: int64(n)}); err != nil {
			return nil, fmt.Errorf("client streaming: send: %v", err)
		}
		n++
	}
	summary, err := stream.CloseAndRecv()
	elapsed := time.Since(start)
	if err != nil {
		return nil, fmt.Errorf("client streaming: %v", err)
	}
	if summary.Count != int64(n) {
		return nil, fmt.Errorf("client streaming: sent %d requests, the server counted %d", n, summary.Count)
	}
	return perSec(n, elapsed), nil
}

// bidi is ping-pong: one request, wait for its reply, next; a round trip per reply.
func (m measurer) bidi() (*rate, error) {
	ctx, cancel := m.ctx()
	defer cancel()
	stream, err := m.client.FullDuplex(ctx)
	if err != nil {
		return nil, fmt.Errorf("bidi: %v", err)
	}
	start, n := time.Now(), 0
	for time.Since(start) < m.budget {
		if err := stream.Send(&pb.EchoRequest{Payload: m.payload, Index: int64(n)}); err != nil {
			return nil, fmt.Errorf("bidi: send: %v", err)
		}
		if _, err := stream.Recv(); err != nil {
			return nil, fmt.Errorf("bidi: receive: %v", err)
		}
		n++
	}
	elapsed := time.Since(start)
	_ = stream.CloseSend()
	return perSec(n, elapsed), nil
}
