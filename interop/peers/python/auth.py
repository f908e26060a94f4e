"""Guide 002's bearer-token interceptor, for the sync and the asyncio server.

It guards userservice.UserService only; the Greeter and InteropTest stay open. Unlike the
guide's sketch (which always answers with a unary handler), the refusal is a handler of the
same kind as the method, so streaming methods are refused cleanly too.
"""

import grpc
from grpc import aio

GUARDED_PREFIX = "/userservice.UserService/"
VALID_AUTHORIZATION = "Bearer secret-token-123"
REFUSAL = (grpc.StatusCode.UNAUTHENTICATED, "Invalid token")


def _needs_refusal(handler_call_details):
    if not handler_call_details.method.startswith(GUARDED_PREFIX):
        return False
    values = [v for k, v in handler_call_details.invocation_metadata or () if k == "authorization"]
    return values != [VALID_AUTHORIZATION]


def _refusing_handler(handler, refuse):
    """A handler with the arity of `handler` whose behaviour is `refuse`."""
    kind = (handler.request_streaming, handler.response_streaming)
    make = {
        (False, False): grpc.unary_unary_rpc_method_handler,
        (False, True): grpc.unary_stream_rpc_method_handler,
        (True, False): grpc.stream_unary_rpc_method_handler,
        (True, True): grpc.stream_stream_rpc_method_handler,
    }[kind]
    return make(refuse, request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer)


class AuthInterceptor(grpc.ServerInterceptor):
    def intercept_service(self, continuation, handler_call_details):
        handler = continuation(handler_call_details)
        # An unknown method stays UNIMPLEMENTED, whatever the token.
        if handler is None or not _needs_refusal(handler_call_details):
            return handler

        def refuse(request_or_iterator, context):
            context.abort(*REFUSAL)

        return _refusing_handler(handler, refuse)


class AioAuthInterceptor(aio.ServerInterceptor):
    async def intercept_service(self, continuation, handler_call_details):
        handler = await continuation(handler_call_details)
        if handler is None or not _needs_refusal(handler_call_details):
            return handler

        async def refuse(request_or_iterator, context):
            await context.abort(*REFUSAL)

        return _refusing_handler(handler, refuse)
