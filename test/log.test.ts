import assert from "node:assert/strict";
import { AppError, ErrorCodes } from "../src/kernel/errors";
import { createLogger } from "../src/kernel/log";

const SECRET = "Min hemmelige refleksion om Jonas";

function logged(write: (log: ReturnType<typeof createLogger>) => void): string {
  const lines: string[] = [];
  write(createLogger("info", { write: (line: string) => void lines.push(line) }));
  return lines.join("");
}

describe("the log never carries reflection text", () => {
  it("drops the body of a Connector error that echoes the message, keeping status and code", () => {
    const connectorError = Object.assign(new Error(`{"error":{"code":"BadArgument","message":"Activity text '${SECRET}' too long"}}`), {
      name: "RestError",
      code: "BadArgument",
      statusCode: 400,
      request: { method: "POST", url: "https://smba.example/v3/conversations/a/activities?x=1", body: JSON.stringify({ text: SECRET }) },
      response: { status: 400, bodyAsText: `{"message":"${SECRET}"}` },
    });
    const line = logged((log) => log.warn({ err: connectorError }, "Send failed"));
    assert.doesNotMatch(line, /hemmelige/);
    assert.match(line, /HTTP 400 BadArgument/);
    assert.match(line, /smba\.example\/v3\/conversations\/a\/activities"/);
  });

  it("redacts text, values and answers nested in what is logged", () => {
    const line = logged((log) =>
      log.info({ activity: { text: SECRET, value: { answer: SECRET } }, turn: { draft: { answers: { q1: { answer: SECRET } } } } }, "Turn"),
    );
    assert.doesNotMatch(line, /hemmelige/);
    assert.match(line, /\[redacted\]/);
  });

  it("keeps our own coded errors whole, with the cause", () => {
    const line = logged((log) => log.error({ err: new AppError(ErrorCodes.graphFailed, { cause: new Error("socket hang up"), detail: "GET /teams failed" }) }, "x"));
    assert.match(line, /Microsoft Graph did not answer as expected: GET \/teams failed/);
    assert.match(line, /socket hang up/);
  });
});
