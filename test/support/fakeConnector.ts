import { startApp, type RunningApp } from "../../src/app";
import { silentLogger } from "../../src/kernel/log";
import { testConfig } from "./testConfig";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ConnectorCall {
  readonly method: string;
  readonly path: string;
  readonly conversationId: string;
  readonly activityId: string | undefined;
  readonly body: Record<string, unknown>;
  /** The request's headers (names in lower case), e.g. its Authorization. */
  readonly headers: http.IncomingHttpHeaders;
}

/**
 * A stand-in for the Bot Connector service (the outside world): it records what the bot sends to
 * its serviceUrl and answers as the Connector does. `respond` lets a test script failures.
 */
export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  /** How the Connector answers a call; `reset` drops the connection instead, as a failing network does. */
  respond: (call: ConnectorCall) => { status: number; body?: unknown; headers?: Record<string, string>; reset?: boolean } = () => ({
    status: 200,
  });
  private readonly server = http.createServer((req, res) => this.handle(req, res));
  private waiters: Array<() => void> = [];
  private nextId = 1;
  private port = 0;

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(this.port, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this.serviceUrl;
  }

  get serviceUrl(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  async stop(): Promise<void> {
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The Connector unreachable: its port refuses connections (ECONNREFUSED) until `start` listens on it again. */
  async refuseConnections(): Promise<void> {
    await this.stop();
  }

  /** Messages sent to conversations (new posts and replies), in order. */
  sentActivities(): Array<Record<string, unknown>> {
    return this.calls.filter((c) => c.method === "POST").map((c) => c.body);
  }

  async waitForCalls(count: number, timeoutMs = 5000): Promise<ConnectorCall[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.calls.length < count) {
      if (Date.now() > deadline) {
        throw new Error(`Expected ${count} connector calls, got ${this.calls.length}`);
      }
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.calls;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const match = /\/v3\/conversations\/([^/]+)(?:\/activities(?:\/([^/?]+))?)?/.exec(req.url ?? "");
      const call: ConnectorCall = {
        method: req.method ?? "",
        path: req.url ?? "",
        conversationId: decodeURIComponent(match?.[1] ?? ""),
        activityId: match?.[2] ? decodeURIComponent(match[2]) : undefined,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
        headers: req.headers,
      };
      this.calls.push(call);
      const answer = this.respond(call);
      if (answer.reset) {
        req.socket.destroy();
        return;
      }
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      res.end(JSON.stringify(answer.body ?? { id: `sent-${this.nextId++}` }));
      for (const wake of this.waiters.splice(0)) wake();
    });
  }
}

/**
 * The real app (anonymous, loopback) and a fake Bot Connector, fresh for every test of the
 * calling `describe`. Read `running.app` and `running.connector` inside the tests.
 */
export function appWithConnector(): { readonly app: RunningApp; readonly connector: FakeConnector } {
  const running = {} as { app: RunningApp; connector: FakeConnector };
  beforeEach(async () => {
    running.connector = new FakeConnector();
    await running.connector.start();
    running.app = await startApp(testConfig(), silentLogger);
  });
  afterEach(async () => {
    await running.app.stop();
    await running.connector.stop();
  });
  return running;
}
