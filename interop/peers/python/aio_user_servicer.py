"""Guide 002's UserService on the grpc.aio server (the guide's "Async gRPC Server")."""

import grpc

from interop_rules import check_page_size
from user_servicer import user_service_pb2_grpc
from user_store import (UserStore, chat_reply, created_user, full_user, listed_user, not_found_message,
                        page_size, user_service_pb2)


class AioUserServicer(user_service_pb2_grpc.UserServiceServicer):
    def __init__(self, store: UserStore):
        self.store = store

    async def GetUser(self, request, context):
        user = self.store.get(request.id)
        if user is None:
            await context.abort(grpc.StatusCode.NOT_FOUND, not_found_message(request.id))
        return full_user(user)

    async def CreateUser(self, request, context):
        return created_user(self.store.create(request.username, request.email))

    async def ListUsers(self, request, context):
        bad = check_page_size(request)  # proto/interop_test.proto's request rules
        if bad:
            await context.abort(*bad)
        for user in self.store.first(page_size(request)):
            yield listed_user(user)

    async def BatchCreateUsers(self, request_iterator, context):
        created, errors = 0, []
        async for request in request_iterator:
            try:
                self.store.create(request.username, request.email, roles=None)
                created += 1
            except Exception as e:
                errors.append(str(e))
        return user_service_pb2.BatchResult(created=created, errors=errors)

    async def Chat(self, request_iterator, context):
        async for message in request_iterator:
            yield chat_reply(message)
