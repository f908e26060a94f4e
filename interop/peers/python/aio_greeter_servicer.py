"""The article's Greeter semantics on the grpc.aio server: async handlers, async generators."""

import asyncio
import logging
import random

from greeter_servicer import greeter_pb2, greeter_pb2_grpc

log = logging.getLogger("python-aio-server")


class AioGreeterServicer(greeter_pb2_grpc.GreeterServicer):
    def __init__(self, tick_seconds: float):
        self.tick_seconds = tick_seconds

    async def SayHello(self, request, context):
        return greeter_pb2.HelloReply(message="Hello " + request.name)

    async def GetStockPrice(self, request, context):
        log.info("Received subscription: %s", request.symbol)
        for _ in range(5):
            price = 500.0 + random.random() * 100
            yield greeter_pb2.StockReply(symbol=request.symbol, price=price)
            await asyncio.sleep(self.tick_seconds)

    async def RecordMetrics(self, request_iterator, context):
        total, count = 0.0, 0
        async for metric in request_iterator:
            total += metric.value
            count += 1
            log.info("Received data: %.2f", metric.value)
        average = total / count if count > 0 else 0.0
        return greeter_pb2.MetricSummary(count=count, average=average)

    async def Chat(self, request_iterator, context):
        async for msg in request_iterator:
            log.info("Received message [%s]: %s", msg.user, msg.message)
            yield greeter_pb2.ChatMessage(user="Server", message="Server received: " + msg.message)
