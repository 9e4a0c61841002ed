import { AppError, ErrorCodes } from "../kernel/errors";

/** An access token for Microsoft Graph; the bot edge gets it with the bot's own identity. */
export type GraphTokenProvider = () => Promise<string>;

const TIMEOUT_MS = 5_000;
const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * A small Graph client: GET with the bot's token, a timeout that fits inside a Teams turn, and
 * a bounded answer. Every failure is an AppError (LR-1301) for the caller to decide on; the
 * caller never gets a half-read or unbounded body.
 */
export class GraphClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: GraphTokenProvider,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async get<T>(path: string): Promise<T> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        headers: { authorization: `Bearer ${await this.token()}`, accept: "application/json" },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new AppError(ErrorCodes.graphFailed, { cause: error, detail: `GET ${path.split("?")[0]} failed` });
    }
    const body = await response.text();
    if (!response.ok) throw new AppError(ErrorCodes.graphFailed, { detail: `GET ${path.split("?")[0]} answered ${response.status}` });
    if (body.length > MAX_RESPONSE_BYTES) throw new AppError(ErrorCodes.graphFailed, { detail: "answer too large" });
    try {
      return JSON.parse(body) as T;
    } catch (error) {
      throw new AppError(ErrorCodes.graphFailed, { cause: error, detail: "answer is not JSON" });
    }
  }
}
