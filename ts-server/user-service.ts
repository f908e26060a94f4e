// Guide 002's UserService in TypeScript: an in-memory store in insertion order, seeded with the
// same three users as the Go and Python servers so GetUser and ListUsers have something to find.
import { randomUUID } from "node:crypto";
import { status, type sendUnaryData, type ServerDuplexStream, type ServerReadableStream, type ServerUnaryCall, type ServerWritableStream } from "@grpc/grpc-js";
import type { BatchResult, ChatMessage, CreateUserRequest, GetUserRequest, ListUsersRequest, User, UserServiceServer } from "../gen/ts/user_service.js";

const SEED: User[] = [
  { id: "u-1", username: "ada", email: "ada@example.com", createdAt: "1700000000", roles: ["admin"] },
  { id: "u-2", username: "grace", email: "grace@example.com", createdAt: "1700000001", roles: ["user"] },
  { id: "u-3", username: "linus", email: "linus@example.com", createdAt: "1700000002", roles: ["user"] },
];

export function userService(): UserServiceServer {
  const users = new Map<string, User>(SEED.map((u) => [u.id, { ...u }]));
  const add = (req: CreateUserRequest): User => {
    const user: User = { id: randomUUID(), username: req.username, email: req.email, createdAt: String(Math.floor(Date.now() / 1000)), roles: ["user"] };
    users.set(user.id, user);
    return user;
  };
  return {
    getUser(call: ServerUnaryCall<GetUserRequest, User>, callback: sendUnaryData<User>) {
      const u = users.get(call.request.id);
      if (!u) return callback({ code: status.NOT_FOUND, details: `User ${call.request.id} not found` });
      callback(null, { ...u, roles: u.roles.length ? u.roles : ["user"] });
    },
    createUser(call: ServerUnaryCall<CreateUserRequest, User>, callback: sendUnaryData<User>) {
      const u = add(call.request);
      callback(null, { id: u.id, username: u.username, email: u.email, createdAt: "0", roles: [] });
    },
    listUsers(call: ServerWritableStream<ListUsersRequest, User>) {
      // proto/interop_test.proto's request rules: a negative page size is a bad request.
      if (call.request.pageSize < 0) return call.emit("error", { code: status.INVALID_ARGUMENT, details: `page_size ${call.request.pageSize} is out of range [0, 2147483647]` });
      const pageSize = call.request.pageSize || 10;
      for (const u of [...users.values()].slice(0, pageSize)) call.write({ id: u.id, username: u.username, email: u.email, createdAt: u.createdAt, roles: [] });
      call.end();
    },
    batchCreateUsers(call: ServerReadableStream<CreateUserRequest, BatchResult>, callback: sendUnaryData<BatchResult>) {
      let created = 0;
      call.on("data", (req: CreateUserRequest) => {
        add(req);
        created++;
      });
      call.on("end", () => callback(null, { created, errors: [] }));
    },
    chat(call: ServerDuplexStream<ChatMessage, ChatMessage>) {
      call.on("data", (msg: ChatMessage) => call.write({ userId: "server", text: `Echo: ${msg.text}`, timestamp: String(Date.now()) }));
      call.on("end", () => call.end());
    },
  };
}
