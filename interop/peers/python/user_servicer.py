"""Guide 002's UserService on the sync server."""

import grpc

from interop_rules import check_page_size
from peer_common import import_generated
from user_store import (UserStore, chat_reply, created_user, full_user, listed_user, not_found_message,
                        page_size, user_service_pb2)

user_service_pb2_grpc = import_generated("user_service_pb2_grpc")


class UserServicer(user_service_pb2_grpc.UserServiceServicer):
    def __init__(self, store: UserStore):
        self.store = store

    def GetUser(self, request, context):
        user = self.store.get(request.id)
        if user is None:
            context.abort(grpc.StatusCode.NOT_FOUND, not_found_message(request.id))
        return full_user(user)

    def CreateUser(self, request, context):
        return created_user(self.store.create(request.username, request.email))

    def ListUsers(self, request, context):
        bad = check_page_size(request)  # proto/interop_test.proto's request rules
        if bad:
            context.abort(*bad)
        for user in self.store.first(page_size(request)):
            yield listed_user(user)

    def BatchCreateUsers(self, request_iterator, context):
        created, errors = 0, []
        for request in request_iterator:
            try:
                # As the guide: batch-created users get no roles (GetUser then shows ["user"]).
                self.store.create(request.username, request.email, roles=None)
                created += 1
            except Exception as e:  # the guide collects per-user errors instead of failing
                errors.append(str(e))
        return user_service_pb2.BatchResult(created=created, errors=errors)

    def Chat(self, request_iterator, context):
        for message in request_iterator:
            yield chat_reply(message)
