// Command go-democlient is the article's Go client (client/main.go), section for section:
// Unary, Server Streaming, Client Streaming and Chat, with the article's values and log lines.
//
// Differences from the article, none of which changes a line it prints on success:
//   - the address comes from --addr (the harness always uses 127.0.0.1), not "localhost:50051";
//   - log writes to stdout, so a transcript is one stream (log's date/time prefix is kept);
//   - an error ends the program with a line on stderr and exit 1: the article ignores errors,
//     and its chat receiver would spin forever on a broken stream.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	pb "grpcinterop/gen/go/greeter"
)

func main() {
	addr := flag.String("addr", "", "server address, host:port")
	flag.Parse()
	log.SetOutput(os.Stdout)
	if *addr == "" {
		fmt.Fprintln(os.Stderr, "usage: go-democlient --addr HOST:PORT")
		os.Exit(2)
	}

	conn, err := grpc.NewClient(*addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	check(err)
	defer conn.Close()
	c := pb.NewGreeterClient(conn)

	// 1. Unary
	log.Println("--- 1. Unary ---")
	r, err := c.SayHello(context.Background(), &pb.HelloRequest{Name: "Go Client"})
	check(err)
	log.Printf("Response: %s", r.GetMessage())

	// 2. Server Streaming
	log.Println("\n--- 2. Server Streaming ---")
	stream, err := c.GetStockPrice(context.Background(), &pb.StockRequest{Symbol: "TSMC"})
	check(err)
	for {
		res, err := stream.Recv()
		if err == io.EOF {
			break
		}
		check(err)
		log.Printf("Stock: %s, Price: %.2f", res.GetSymbol(), res.GetPrice())
	}

	// 3. Client Streaming
	log.Println("\n--- 3. Client Streaming ---")
	mStream, err := c.RecordMetrics(context.Background())
	check(err)
	for _, v := range []float64{25.5, 26.8, 27.1} {
		check(mStream.Send(&pb.Metric{Value: v}))
		time.Sleep(100 * time.Millisecond)
	}
	summary, err := mStream.CloseAndRecv()
	check(err)
	log.Printf("Statistics: Count %d, Average %.2f", summary.GetCount(), summary.GetAverage())

	// 4. Bidirectional Streaming
	log.Println("\n--- 4. Chat ---")
	chatStream, err := c.Chat(context.Background())
	check(err)
	waitc := make(chan struct{})
	go func() {
		for {
			in, err := chatStream.Recv()
			if err == io.EOF {
				close(waitc)
				return
			}
			check(err)
			log.Printf("(Receive) %s: %s", in.GetUser(), in.GetMessage())
		}
	}()
	check(chatStream.Send(&pb.ChatMessage{User: "Go", Message: "Hello"}))
	check(chatStream.Send(&pb.ChatMessage{User: "Go", Message: "Bye"}))
	check(chatStream.CloseSend())
	<-waitc
}

func check(err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "go-democlient: %v\n", err)
		os.Exit(1)
	}
}
