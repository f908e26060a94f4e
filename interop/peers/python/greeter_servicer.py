"""The article's Greeter semantics, in Python (the Go server is the specification)."""

import logging
import random
import time

from peer_common import import_generated

greeter_pb2 = import_generated("greeter_pb2")
greeter_pb2_grpc = import_generated("greeter_pb2_grpc")

log = logging.getLogger("python-server")


class GreeterServicer(greeter_pb2_grpc.GreeterServicer):
    def __init__(self, tick_seconds: float):
        # The article pauses 500 ms after each stock tick; the matrix uses a shorter pause.
        self.tick_seconds = tick_seconds

    def SayHello(self, request, context):
        return greeter_pb2.HelloReply(message="Hello " + request.name)

    def GetStockPrice(self, request, context):
        log.info("Received subscription: %s", request.symbol)
        for _ in range(5):
            price = 500.0 + random.random() * 100
            yield greeter_pb2.StockReply(symbol=request.symbol, price=price)
            time.sleep(self.tick_seconds)

    def RecordMetrics(self, request_iterator, context):
        total, count = 0.0, 0
        for metric in request_iterator:
            total += metric.value
            count += 1
            log.info("Received data: %.2f", metric.value)
        average = total / count if count > 0 else 0.0
        return greeter_pb2.MetricSummary(count=count, average=average)

    def Chat(self, request_iterator, context):
        for msg in request_iterator:
            log.info("Received message [%s]: %s", msg.user, msg.message)
            # Reply at once, before reading the next message: replies interleave with requests.
            yield greeter_pb2.ChatMessage(user="Server", message="Server received: " + msg.message)
