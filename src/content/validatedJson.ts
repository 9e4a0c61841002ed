import fs from "node:fs";
import Ajv, { type ErrorObject } from "ajv";
import { jsonPath } from "../kernel/jsonPath";
import { AppError, ErrorCodes } from "../kernel/errors";

/** A data file that cannot be served (the framework, the closed days). index.ts turns it into exit code 2. */
export class ContentError extends AppError {
  constructor(
    readonly file: string,
    readonly jsonPath: string,
    readonly reason: string,
  ) {
    super(ErrorCodes.contentInvalid, { message: `Invalid content file ${file} at ${jsonPath}: ${reason}` });
    this.name = "ContentError";
  }
}

const validators = new Map<string, ReturnType<Ajv["compile"]>>();

/**
 * Reads a JSON data file and checks it against its JSON Schema. Every way it can be wrong (no
 * file, not JSON, off the schema) is a ContentError naming the file, the JSON path and why.
 */
export function readValidatedJson<T>(file: string, schemaPath: string): { data: T; bytes: Buffer } {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw new ContentError(file, "$", `cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw new ContentError(file, "$", `not valid JSON: ${(error as Error).message}`);
  }
  let validate = validators.get(schemaPath);
  if (!validate) {
    validate = new Ajv({ allErrors: false, strict: true }).compile(JSON.parse(fs.readFileSync(schemaPath, "utf8")) as object);
    validators.set(schemaPath, validate);
  }
  if (!validate(data)) {
    const first = validate.errors?.[0];
    throw new ContentError(file, first ? jsonPath(first.instancePath) : "$", first ? describe(first) : "does not match the schema");
  }
  return { data: data as T, bytes };
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return `missing property "${String(params.missingProperty)}"`;
    case "additionalProperties":
      return `unknown property "${String(params.additionalProperty)}"`;
    case "minLength":
    case "pattern":
      return error.instancePath.endsWith("/text") || error.instancePath.endsWith("/title") || error.instancePath.endsWith("/name")
        ? "text must not be empty"
        : `${error.message ?? "invalid"}`;
    case "enum":
      return `must be one of ${JSON.stringify(params.allowedValues)}`;
    default:
      return error.message ?? "does not match the schema";
  }
}
