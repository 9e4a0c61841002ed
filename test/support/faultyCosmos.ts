import http from "node:http";
import type { AddressInfo } from "node:net";
import { sharedCosmos } from "./rootHooks";
import { createHarness, type Harness } from "./teamsChat";

export type Fault = { readonly kind: "none" } | { readonly kind: "hang" } | { readonly kind: "status"; readonly status: 429 | 408 | 503; readonly retryAfterMs?: number };

/**
 * A Cosmos-protocol proxy on loopback in front of the embedded server that fails the way real
 * Cosmos does at its worst: it hangs, throttles (429 with x-ms-retry-after-ms) or is
 * unavailable, until told to stop. Requests pass through untouched otherwise.
 */
export class FaultyCosmos {
  fault: Fault = { kind: "none" };
  requests = 0;
  /** Delay before each request is passed on, in ms: a network's jitter, so races interleave. */
  latencyMs: () => number = () => 0;
  private server: http.Server | undefined;
  private readonly hanging = new Set<http.ServerResponse>();

  constructor(private readonly target: string) {}

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<void> {
    const target = new URL(this.target);
    this.server = http.createServer((req, res) => {
      this.requests += 1;
      const fault = this.fault;
      if (fault.kind === "hang") {
        this.hanging.add(res);
        res.on("close", () => this.hanging.delete(res));
        return;
      }
      if (fault.kind === "status") {
        res.writeHead(fault.status, { "content-type": "application/json", "x-ms-retry-after-ms": String(fault.retryAfterMs ?? 100) });
        res.end(JSON.stringify({ code: fault.status === 429 ? "TooManyRequests" : "ServiceUnavailable", message: "injected" }));
        return;
      }
      const pass = () => {
      const upstream = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on("error", () => res.destroy());
      req.pipe(upstream);
      };
      const delay = this.latencyMs();
      if (delay > 0) {
        req.pause();
        setTimeout(() => {
          req.resume();
          pass();
        }, delay);
      } else pass();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }
}

/** The real bot on a TestAdapter whose Cosmos requests pass through a FaultyCosmos; close() stops both. */
export async function harnessBehindFaultyCosmos(options: { requestTimeoutMs?: number } = {}): Promise<{ h: Harness; cosmos: FaultyCosmos; close(): Promise<void> }> {
  const cosmos = new FaultyCosmos(sharedCosmos().endpoint);
  await cosmos.start();
  const h = await createHarness({ cosmosEndpoint: cosmos.endpoint, ...(options.requestTimeoutMs ? { cosmosRequestTimeoutMs: options.requestTimeoutMs } : {}) });
  return {
    h,
    cosmos,
    close: async () => {
      await h.close();
      await cosmos.stop();
    },
  };
}
