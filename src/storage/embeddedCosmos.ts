import type { AddressInfo } from "node:net";
import { createHttpServer } from "@vercel/cosmosdb-server";
import { installDocumentIndexes } from "./embeddedIndex";

export interface EmbeddedCosmos {
  readonly endpoint: string;
  /** The emulator's well-known key: the embedded server does not check signatures. */
  readonly key: string;
  /** HTTP requests served so far: each is one client round trip (benchmarks count these). */
  requestCount(): number;
  stop(): Promise<void>;
}

export const EMBEDDED_COSMOS_KEY =
  "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

/**
 * Starts the Cosmos-protocol server in this process, on 127.0.0.1 and an ephemeral port, over
 * plain HTTP with keep-alive (about four times faster than closing each connection), with
 * equality indexes for its queries (./embeddedIndex.ts).
 */
export async function startEmbeddedCosmos(): Promise<EmbeddedCosmos> {
  installDocumentIndexes();
  const server = createHttpServer({ keepAlive: true });
  let requests = 0;
  server.on("request", () => {
    requests += 1;
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    key: EMBEDDED_COSMOS_KEY,
    requestCount: () => requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
