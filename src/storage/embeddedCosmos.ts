import type http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { createHttpServer } from "@vercel/cosmosdb-server";
import { installDocumentIndexes } from "./embeddedIndex";

/** A request the embedded server answered in this process (headers named in lower case, as Node's http gives them). */
export interface ServedRequest {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface EmbeddedCosmos {
  readonly endpoint: string;
  /** The emulator's well-known key: the embedded server does not check signatures. */
  readonly key: string;
  /** HTTP requests served so far: each is one client round trip (benchmarks count these). */
  requestCount(): number;
  /**
   * Serves one request in this process, without a socket or HTTP, by the same handler as the
   * endpoint (not counted in requestCount). The strict double in front of the server
   * (test/support/strictCosmos.ts) passes its requests on so: a second loopback hop per request
   * was half of what the double cost a reminder slot, and the app still speaks HTTP to the double.
   */
  serve(method: string, path: string, headers: http.OutgoingHttpHeaders, body: Buffer): Promise<ServedRequest>;
  stop(): Promise<void>;
}

export const EMBEDDED_COSMOS_KEY =
  "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/**
 * Starts the Cosmos-protocol server in this process, on 127.0.0.1 and an ephemeral port, over
 * plain HTTP with keep-alive (about four times faster than closing each connection), with
 * equality indexes for its queries (./embeddedIndex.ts).
 */
export async function startEmbeddedCosmos(): Promise<EmbeddedCosmos> {
  installDocumentIndexes();
  const server = createHttpServer({ keepAlive: true });
  // The package's own handler, taken before the counter below is added beside it.
  const handler = server.listeners("request")[0] as RequestHandler;
  let requests = 0;
  server.on("request", () => {
    requests += 1;
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;
  return {
    endpoint: `http://${host}`,
    key: EMBEDDED_COSMOS_KEY,
    requestCount: () => requests,
    serve: (method, path, headers, body) => serveInProcess(handler, method, path, { ...headers, host }, body),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The handler with a request stream and a response that keep only what it uses: method, url,
 * headers and the body read as a stream; a status, headers and the text it ends with.
 */
function serveInProcess(handler: RequestHandler, method: string, path: string, headers: http.OutgoingHttpHeaders, body: Buffer): Promise<ServedRequest> {
  return new Promise((resolve) => {
    const request = new Readable({ read() {} });
    const lowerHeaders: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) if (value !== undefined) lowerHeaders[name.toLowerCase()] = String(value);
    Object.assign(request, { method, url: path, headers: lowerHeaders });
    if (body.length > 0) request.push(body);
    request.push(null);
    const answerHeaders: Record<string, string> = {};
    const response = {
      statusCode: 200,
      finished: false,
      headersSent: false,
      setHeader(name: string, value: unknown) {
        answerHeaders[name.toLowerCase()] = String(value);
        return response;
      },
      getHeader: (name: string) => answerHeaders[name.toLowerCase()],
      end(text?: string | Buffer) {
        response.finished = true;
        response.headersSent = true;
        resolve({ status: response.statusCode, headers: answerHeaders, body: text === undefined ? "" : String(text) });
        return response;
      },
    };
    handler(request as unknown as http.IncomingMessage, response as unknown as http.ServerResponse);
  });
}
