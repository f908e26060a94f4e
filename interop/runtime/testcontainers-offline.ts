// testcontainers, set up for a machine without a container registry. Import testcontainers
// only through this module: the variables must be set before it is first used.
//  - Ryuk (the reaper container) would have to be pulled, so it is off; the harness removes
//    its own containers instead (see container-cleanup.ts).
//  - Peers use host networking, so the host is plain localhost: no port mapping, no socat.
process.env.TESTCONTAINERS_RYUK_DISABLED = "true";
process.env.TESTCONTAINERS_HOST_OVERRIDE = "localhost";

export { GenericContainer, Wait, getContainerRuntimeClient, type WaitStrategy } from "testcontainers";
