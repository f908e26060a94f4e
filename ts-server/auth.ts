// Guide 002's auth interceptor as a grpc-js server interceptor: "authorization" metadata, less a
// "Bearer " prefix, must be a valid token, else UNAUTHENTICATED "Invalid token". It guards
// UserService only, so the article's Greeter stays open, as on the Go and Python servers.
import { ServerInterceptingCall, status, type ServerInterceptor } from "@grpc/grpc-js";

const GUARDED = "/userservice.UserService/";
const VALID_TOKENS = new Set(["secret-token-123"]);

export const authInterceptor: ServerInterceptor = (method, call) =>
  new ServerInterceptingCall(call, {
    start: (next) =>
      next({
        onReceiveMetadata: (metadata, nextMetadata) => {
          const header = String(metadata.get("authorization")[0] ?? "");
          const token = header.startsWith("Bearer ") ? header.slice("Bearer ".length) : header;
          if (method.path.startsWith(GUARDED) && !VALID_TOKENS.has(token)) {
            call.sendStatus({ code: status.UNAUTHENTICATED, details: "Invalid token" });
            return;
          }
          nextMetadata(metadata);
        },
      }),
  });
