import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for the parts of Microsoft Graph the bot reads: team and chat members with
 * their roles. Shaped after Graph's aadUserConversationMember; answers 401 without a bearer
 * token, and can be told to fail.
 */
export class FakeGraph {
  /** Team (group id) or chat id → members with Graph's roles ("owner", "guest", or none). */
  readonly members = new Map<string, Array<{ userId: string; roles: string[] }>>();
  readonly requests: Array<{ path: string; authorization: string | undefined }> = [];
  /** User id → their automatic-replies setting, as Graph's mailboxSettings returns it. */
  readonly automaticReplies = new Map<string, Record<string, unknown>>();
  /** User id → their manager, as Graph's `GET /users/{id}/manager` returns it (none: 404, as Graph answers). */
  readonly managers = new Map<string, { id: string; displayName: string }>();
  /** User id → the user, as `GET /users/{id}` returns it. */
  readonly users = new Map<string, { id: string; displayName: string }>();
  failWith: number | undefined;
  private server: http.Server | undefined;

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/v1.0`;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://graph.local");
      this.requests.push({ path: `${url.pathname}${url.search}`, authorization: req.headers.authorization });
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (this.failWith) return answer(this.failWith, { error: { code: "serviceNotAvailable" } });
      if (!req.headers.authorization?.startsWith("Bearer ")) return answer(401, { error: { code: "InvalidAuthenticationToken" } });
      const replies = /^\/v1\.0\/users\/([^/]+)\/mailboxSettings\/automaticRepliesSetting$/.exec(url.pathname);
      if (replies) return answer(200, this.automaticReplies.get(decodeURIComponent(replies[1]!)) ?? { status: "disabled" });
      const manager = /^\/v1\.0\/users\/([^/]+)\/manager$/.exec(url.pathname);
      if (manager) {
        const found = this.managers.get(decodeURIComponent(manager[1]!));
        return found ? answer(200, { "@odata.type": "#microsoft.graph.user", ...found }) : answer(404, { error: { code: "Request_ResourceNotFound" } });
      }
      const user = /^\/v1\.0\/users\/([^/]+)$/.exec(url.pathname);
      if (user) {
        const found = this.users.get(decodeURIComponent(user[1]!));
        return found ? answer(200, found) : answer(404, { error: { code: "Request_ResourceNotFound" } });
      }
      const match = /^\/v1\.0\/(teams|chats)\/([^/]+)\/members$/.exec(url.pathname);
      if (!match) return answer(404, { error: { code: "NotFound" } });
      let members = this.members.get(decodeURIComponent(match[2]!)) ?? [];
      const filter = /userId eq '([^']+)'/.exec(url.searchParams.get("$filter") ?? "");
      if (filter) members = members.filter((m) => m.userId === filter[1]);
      return answer(200, { value: members.map((m) => ({ "@odata.type": "#microsoft.graph.aadUserConversationMember", ...m })) });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
