export interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** A plain HTTP call to the app under test, over loopback. */
export async function httpCall(
  port: number,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: keep the raw text for the assertion message.
  }
  return { status: response.status, body: parsed };
}
