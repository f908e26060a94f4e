"""The article's Python client (client/python_client.py), section for section: Unary, Server
Streaming, Client Streaming and Chat, with the article's values and print lines.

Differences from the article, none of which changes a line it prints:
  - the address comes from --addr (the harness always uses 127.0.0.1), not "localhost:50051";
  - the generated modules are found through peer_common (gen/python), as the article puts its
    proto folder on sys.path;
  - the article's `symbol="TSMC')` is a typo for `symbol="TSMC"`.
"""

import argparse
import time

import grpc

from peer_common import import_generated

greeter_pb2 = import_generated("greeter_pb2")
greeter_pb2_grpc = import_generated("greeter_pb2_grpc")


def run(addr):
    with grpc.insecure_channel(addr) as channel:
        stub = greeter_pb2_grpc.GreeterStub(channel)

        print("\n[Unary]")
        res = stub.SayHello(greeter_pb2.HelloRequest(name="Python"))
        print(f"Response: {res.message}")

        print("\n[Server Streaming]")
        for stock in stub.GetStockPrice(greeter_pb2.StockRequest(symbol="TSMC")):
            print(f"Stock: {stock.symbol}, Price: {stock.price:.2f}")

        print("\n[Client Streaming]")

        def generate_metrics():
            for v in [30.5, 31.0, 30.8]:
                print(f"Uploading: {v}")
                yield greeter_pb2.Metric(value=v)
                time.sleep(0.1)

        summary = stub.RecordMetrics(generate_metrics())
        print(f"Statistics: Count {summary.count}, Average {summary.average:.2f}")

        print("\n[Chat]")

        def chat_generator():
            msgs = ["Hi from Python", "Streaming is cool"]
            for m in msgs:
                print(f"(Send) {m}")
                yield greeter_pb2.ChatMessage(user="Python", message=m)
                time.sleep(0.5)

        responses = stub.Chat(chat_generator())
        for res in responses:
            print(f"(Receive) {res.user}: {res.message}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="The article's Python demo client")
    parser.add_argument("--addr", required=True, help="server address, host:port")
    run(parser.parse_args().addr)
