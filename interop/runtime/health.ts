// After a server says it is ready, the harness asks it grpc.health.v1.Health/Check("") where it
// serves health: a server that answers NOT_SERVING, or does not answer, failed to start, and the
// message says which. (A ready line alone can come before the service is registered.)
import { credentials, loadPackageDefinition, type Client, type ServiceError } from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { protoPath } from "grpc-health-check";

type HealthClient = Client & { check(req: { service: string }, opts: { deadline: number }, cb: (err: ServiceError | null, res?: { status: string }) => void): void };
let ctor: (new (addr: string, creds: ReturnType<typeof credentials.createInsecure>) => HealthClient) | undefined;

function healthClient(address: string): HealthClient {
  if (!ctor) {
    const pkg = loadPackageDefinition(loadSync(protoPath, { enums: String })) as any;
    ctor = pkg.grpc.health.v1.Health;
  }
  return new ctor!(address, credentials.createInsecure());
}

/** undefined when SERVING; otherwise why not, in words. */
export async function checkServing(name: string, address: string, timeoutMs: number): Promise<string | undefined> {
  const client = healthClient(address);
  try {
    const status = await new Promise<string>((resolve, reject) =>
      client.check({ service: "" }, { deadline: Date.now() + timeoutMs }, (err, res) => (err ? reject(err) : resolve(String(res?.status)))),
    );
    return status === "SERVING" ? undefined : `${name} server answers ${status} to grpc.health.v1.Health/Check at ${address}`;
  } catch (e) {
    const err = e as ServiceError;
    return `${name} server did not answer grpc.health.v1.Health/Check at ${address} within ${timeoutMs} ms: ${err.code ?? ""} ${err.details ?? err.message}`.replace(/\s+/g, " ");
  } finally {
    client.close();
  }
}
