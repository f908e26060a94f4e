package main

import (
	"context"
	"io"
	"log"
	"math/rand"
	"time"

	pb "grpcinterop/gen/go/greeter"
)

// greeterServer is the article's Go server, method for method. The only change is that the
// pause between stock ticks is a setting (the article hard-codes 500 ms) so the matrix can run
// fast while the demo keeps the article's timing.
type greeterServer struct {
	pb.UnimplementedGreeterServer
	tick time.Duration
}

func (s *greeterServer) SayHello(ctx context.Context, req *pb.HelloRequest) (*pb.HelloReply, error) {
	return &pb.HelloReply{Message: "Hello " + req.GetName()}, nil
}

func (s *greeterServer) GetStockPrice(req *pb.StockRequest, stream pb.Greeter_GetStockPriceServer) error {
	log.Printf("Received subscription: %v", req.GetSymbol())
	// Simulate pushing data 5 times
	for i := 0; i < 5; i++ {
		price := 500.0 + rand.Float64()*100
		if err := stream.Send(&pb.StockReply{Symbol: req.GetSymbol(), Price: price}); err != nil {
			return err
		}
		time.Sleep(s.tick)
	}
	return nil
}

func (s *greeterServer) RecordMetrics(stream pb.Greeter_RecordMetricsServer) error {
	var sum float64
	var count int32
	for {
		req, err := stream.Recv()
		if err == io.EOF {
			average := 0.0
			if count > 0 {
				average = sum / float64(count)
			}
			return stream.SendAndClose(&pb.MetricSummary{Count: count, Average: average})
		}
		if err != nil {
			return err
		}
		sum += req.GetValue()
		count++
		log.Printf("Received data: %.2f", req.GetValue())
	}
}

func (s *greeterServer) Chat(stream pb.Greeter_ChatServer) error {
	for {
		in, err := stream.Recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		log.Printf("Received message [%s]: %s", in.GetUser(), in.GetMessage())
		reply := "Server received: " + in.GetMessage()
		if err := stream.Send(&pb.ChatMessage{User: "Server", Message: reply}); err != nil {
			return err
		}
	}
}
