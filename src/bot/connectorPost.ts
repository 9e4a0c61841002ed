import http from "node:http";
import https from "node:https";
import type { ConnectorClient } from "botframework-connector";

/** What the Connector answered a request it refused: the parts toDeliveryError reads. */
export interface ConnectorRefusal {
  readonly statusCode: number;
  readonly message: string;
  readonly response: { readonly status: number; readonly bodyAsText: string; readonly headers: { get(name: string): string | undefined } };
}

// One keep-alive agent per scheme for every service URL, as the Connector client's HTTP client keeps.
const agents = { "http:": new http.Agent({ keepAlive: true }), "https:": new https.Agent({ keepAlive: true }) } as const;

/**
 * Posts an activity to a conversation the bot is in: the request ConnectorClient's
 * conversations.sendToConversation makes (POST {serviceUrl}v3/conversations/{id}/activities,
 * the activity as JSON, the client's credentials signing it), and its answer's id.
 *
 * Why not through the client: its generic pipeline (an operation spec, a serializer that walks
 * the Activity's mapper over every field of the card, a deserializer, a request converted
 * between two HTTP libraries and signed once per layer, a tracing span) cost about 1 ms of CPU
 * a message, four times the HTTP request itself; a reminder slot's instances spent a third of
 * their CPU there (bench:fanout). The JSON is the same, and so is the token: `credentials` is the
 * client's own, which gets and renews it.
 *
 * A refusal (any status but 2xx) rejects with the status, the body and the headers, as the
 * client's RestError carries them; a failed connection rejects with node's error (its code,
 * ECONNREFUSED or ECONNRESET, as the client's error carried it). What the client's pipeline
 * added and this does not: its User-Agent and request-id headers, and an HTTPS_PROXY from the
 * environment (the app is not configured for one: App Service reaches the Connector directly).
 */
export async function postActivity(client: Pick<ConnectorClient, "credentials">, serviceUrl: string, conversationId: string, activity: object): Promise<string | undefined> {
  const url = new URL(`v3/conversations/${encodeURIComponent(conversationId)}/activities`, serviceUrl.endsWith("/") ? serviceUrl : `${serviceUrl}/`);
  const body = JSON.stringify(activity);
  const headers: Record<string, string | number> = { "content-type": "application/json; charset=utf-8", accept: "application/json", "content-length": Buffer.byteLength(body) };
  // The credentials add the Authorization header when the app has an id (an anonymous local run has none).
  await client.credentials.signRequest({ headers: { set: (name: string, value: string) => void (headers[name.toLowerCase()] = value) } } as unknown as Parameters<ConnectorClient["credentials"]["signRequest"]>[0]);
  const { status, text, header } = await request(url, body, headers);
  if (status >= 200 && status < 300) {
    if (!text) return undefined;
    return (JSON.parse(text) as { id?: string }).id;
  }
  const refusal: ConnectorRefusal = { statusCode: status, message: errorMessageOf(text) ?? (text || `the Connector answered ${status}`), response: { status, bodyAsText: text, headers: { get: header } } };
  throw refusal;
}

/** The message of the Connector's error body ({"error":{"code","message"}}), as the client's RestError took it. */
function errorMessageOf(text: string): string | undefined {
  try {
    return (JSON.parse(text) as { error?: { message?: string } } | undefined)?.error?.message;
  } catch {
    return undefined;
  }
}

function request(url: URL, body: string, headers: Record<string, string | number>): Promise<{ status: number; text: string; header: (name: string) => string | undefined }> {
  const secure = url.protocol === "https:";
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(url, { method: "POST", headers, agent: agents[secure ? "https:" : "http:"] }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const value = (name: string) => {
          const v = res.headers[name.toLowerCase()];
          return Array.isArray(v) ? v.join(", ") : v;
        };
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), header: value });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}
