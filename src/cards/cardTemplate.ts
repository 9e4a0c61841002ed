/**
 * Adaptive Card templates compiled once into plain functions of their view model.
 *
 * adaptivecards-templating parses a template's expressions once, but evaluates every one of them
 * through adaptive-expressions on each expansion: a memory object per expression and a
 * case-insensitive search of the view model's keys for each property read. That was a quarter of
 * a reflection turn's CPU, and every reminder renders a card too. This compiles the subset of
 * the template language that ../cards uses into closures, with the same output: a test expands
 * every card with both and compares them (test/cards/cardTemplate.test.ts).
 *
 * The subset, checked when a template is compiled (anything else is refused with its path):
 * - `${path}` and text around it ("• ${text}"); a path is `name`, `$root.name`, `$data`,
 *   `$index`, or dotted (`a.b`);
 * - `$data` (an array repeats the element, with `$index`) and `$when`;
 * - in expressions: 'strings', numbers, true/false/null, `!`, `==`, `!=`, `<`, `<=`, `>`, `>=`,
 *   `&&`, `||`, parentheses and `count(…)`.
 * Semantics follow adaptivecards-templating 2.3 with adaptive-expressions: property names match
 * case-insensitively, an undefined value is shown as its own `${path}` (never in `$when`), a
 * `$when` that is not exactly true drops its element, and an element repeated over nothing is
 * left out.
 */
import { AppError, ErrorCodes } from "../kernel/errors";

/** Where an expression is evaluated: the view model, the current `$data`, and `$index` in a repetition. */
interface Scope {
  readonly root: unknown;
  readonly data: unknown;
  readonly index: number | undefined;
}

type Evaluated = { readonly value: unknown } | { readonly error: string };
type Expression = { readonly text: string; evaluate(scope: Scope, substitute: boolean): Evaluated };
type Renderer = (scope: Scope) => unknown;

const RESERVED = new Set(["$data", "$when", "$root", "$index", "$host", "$_acTemplateVersion"]);

function refuse(where: string, detail: string): never {
  throw new AppError(ErrorCodes.invariantBroken, { detail: `card template ${where}: ${detail}` });
}

/** Compiles a template (the parsed JSON of a cards/*.json file); the result expands it for a view model. */
export function compileTemplate(template: unknown, name = "template"): (viewModel: unknown) => unknown {
  const render = compileNode(template, name);
  return (viewModel) => render({ root: viewModel, data: undefined, index: undefined });
}

function compileNode(node: unknown, where: string): Renderer {
  if (typeof node === "string") return compileString(node, where);
  if (Array.isArray(node)) return compileArray(node, where);
  if (typeof node === "object" && node !== null) return compileObject(node as Record<string, unknown>, where);
  return () => node;
}

function compileArray(items: readonly unknown[], where: string): Renderer {
  const renderers = items.map((item, i) => compileNode(item, `${where}[${i}]`));
  return (scope) => {
    const out: unknown[] = [];
    for (const render of renderers) {
      const value = render(scope);
      // An element left out is null; one repeated over an array comes back as an array, spliced in.
      if (value === null) continue;
      if (Array.isArray(value)) out.push(...(value as unknown[]));
      else out.push(value);
    }
    return out;
  };
}

function compileObject(node: Record<string, unknown>, where: string): Renderer {
  const when = node.$when === undefined ? undefined : typeof node.$when === "string" ? compileExpression(node.$when, `${where}.$when`) : refuse(where, "$when must be an expression");
  if (when === "constant") refuse(where, "$when must be an expression");
  const data = node.$data === undefined ? undefined : typeof node.$data === "string" ? compileExpression(node.$data, `${where}.$data`) : refuse(where, "$data must be an expression");
  if (data === "constant") refuse(where, "$data must be an expression");
  const properties = Object.entries(node)
    .filter(([key]) => !RESERVED.has(key))
    .map(([key, value]) => [key, compileNode(value, `${where}.${key}`)] as const);
  const expand = (scope: Scope) => {
    const out: Record<string, unknown> = {};
    for (const [key, render] of properties) {
      const value = render(scope);
      if (value !== undefined) out[key] = value;
    }
    return out;
  };
  return (scope) => {
    let contexts: readonly unknown[] = [undefined];
    let repeated = false;
    if (data) {
      const found = data.evaluate(scope, true);
      if ("error" in found) refuse(where, found.error);
      repeated = Array.isArray(found.value);
      contexts = repeated ? (found.value as unknown[]) : [found.value];
    }
    const out: unknown[] = [];
    // As the reference engine does, an undefined element keeps the $data before it.
    let current = scope.data;
    for (let i = 0; i < contexts.length; i += 1) {
      if (contexts[i] !== undefined) current = contexts[i];
      const inner: Scope = { root: scope.root, data: current, index: repeated ? i : scope.index };
      if (when) {
        const kept = when.evaluate(inner, false);
        if (!("value" in kept) || kept.value !== true) continue;
      }
      out.push(expand(inner));
    }
    return out.length === 0 ? null : out.length === 1 ? out[0] : out;
  };
}

/** A string: as it is, one expression (its value, of any type), or text with expressions in it (a string). */
function compileString(text: string, where: string): Renderer {
  if (!text.includes("${")) return () => text;
  const parts = splitInterpolation(text, where);
  const expressions = parts.filter((p): p is Expression => typeof p !== "string");
  if (parts.length === 1 && expressions.length === 1) {
    const only = expressions[0]!;
    return (scope) => {
      const found = only.evaluate(scope, true);
      if ("error" in found) refuse(where, found.error);
      return found.value;
    };
  }
  return (scope) => {
    let out = "";
    for (const part of parts) {
      if (typeof part === "string") {
        out += part;
        continue;
      }
      const found = part.evaluate(scope, true);
      if ("error" in found) out += `\${${part.text}}`;
      else if (found.value === null || found.value === undefined) refuse(where, `${part.text} is null`);
      else out += String(found.value);
    }
    return out;
  };
}

/** Text and `${…}` parts, in order. */
function splitInterpolation(text: string, where: string): Array<string | Expression> {
  if (/[\\`]/.test(text)) refuse(where, "a backslash or backtick in templated text is not supported");
  const parts: Array<string | Expression> = [];
  let at = 0;
  while (at < text.length) {
    const start = text.indexOf("${", at);
    if (start < 0) {
      parts.push(text.slice(at));
      break;
    }
    if (start > at) parts.push(text.slice(at, start));
    const end = closingBrace(text, start + 2, where);
    parts.push(parseExpression(text.slice(start + 2, end), where));
    at = end + 1;
  }
  return parts;
}

function closingBrace(text: string, from: number, where: string): number {
  let quote: string | undefined;
  for (let i = from; i < text.length; i += 1) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "}") return i;
  }
  return refuse(where, `no closing brace in "${text}"`);
}

/** A `$data` or `$when` value: one expression, nothing around it. */
function compileExpression(text: string, where: string): Expression | "constant" {
  if (!text.includes("${")) return "constant";
  const parts = splitInterpolation(text, where);
  if (parts.length !== 1 || typeof parts[0] === "string") refuse(where, `"${text}" must be a single \${…}`);
  return parts[0] as Expression;
}

// ---- expressions ----------------------------------------------------------------------------

type Token = { readonly kind: "name" | "string" | "number" | "op" | "paren" | "comma"; readonly text: string };

function tokenize(source: string, where: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:(\$?[A-Za-z_][A-Za-z0-9_]*)|('[^']*'|"[^"]*")|(\d+(?:\.\d+)?)|(==|!=|<=|>=|&&|\|\||[<>!.])|([()])|(,))/y;
  let at = 0;
  while (at < source.length) {
    if (/^\s*$/.test(source.slice(at))) break;
    pattern.lastIndex = at;
    const m = pattern.exec(source);
    if (!m) refuse(where, `cannot read "${source.slice(at)}"`);
    at = pattern.lastIndex;
    if (m[1] !== undefined) tokens.push({ kind: "name", text: m[1] });
    else if (m[2] !== undefined) tokens.push({ kind: "string", text: m[2].slice(1, -1) });
    else if (m[3] !== undefined) tokens.push({ kind: "number", text: m[3] });
    else if (m[4] !== undefined) tokens.push({ kind: "op", text: m[4] });
    else if (m[5] !== undefined) tokens.push({ kind: "paren", text: m[5] });
    else tokens.push({ kind: "comma", text: "," });
  }
  return tokens;
}

const ok = (value: unknown): Evaluated => ({ value });
const failed = (error: string): Evaluated => ({ error });

/** adaptive-expressions' truth: false, null and undefined are false; everything else is true. */
const isTrue = (value: unknown) => (typeof value === "boolean" ? value : value !== null && value !== undefined);

function parseExpression(source: string, where: string): Expression {
  const tokens = tokenize(source, where);
  let at = 0;
  const peek = () => tokens[at];
  const take = (text?: string) => {
    const token = tokens[at];
    if (!token || (text !== undefined && token.text !== text)) refuse(where, `expected ${text ?? "more"} in "${source}"`);
    at += 1;
    return token;
  };
  type Node = (scope: Scope, substitute: boolean) => Evaluated;

  const binary = (next: () => Node, ops: readonly string[], apply: (op: string, a: unknown, b: unknown) => Evaluated): Node => {
    let left = next();
    for (let token = peek(); token?.kind === "op" && ops.includes(token.text); token = peek()) {
      at += 1;
      const op = token.text;
      const l = left;
      const r = next();
      left = (scope, substitute) => {
        const a = l(scope, substitute);
        if ("error" in a) return a;
        const b = r(scope, substitute);
        if ("error" in b) return b;
        return apply(op, a.value, b.value);
      };
    }
    return left;
  };
  const orExpr = (): Node => binary(andExpr, ["||"], (_op, a, b) => ok(isTrue(a) || isTrue(b)));
  const andExpr = (): Node => binary(equality, ["&&"], (_op, a, b) => ok(isTrue(a) && isTrue(b)));
  const equality = (): Node => binary(relational, ["==", "!="], (op, a, b) => ok(op === "==" ? equals(a, b) : !equals(a, b)));
  const relational = (): Node => binary(unary, ["<", "<=", ">", ">="], compare);
  const unary = (): Node => {
    if (peek()?.text === "!") {
      at += 1;
      const operand = unary();
      return (scope, substitute) => {
        const v = operand(scope, substitute);
        return "error" in v ? v : ok(!isTrue(v.value));
      };
    }
    return primary();
  };
  const primary = (): Node => {
    const token = take();
    if (token.kind === "paren" && token.text === "(") {
      const inner = orExpr();
      take(")");
      return inner;
    }
    if (token.kind === "string") return () => ok(token.text);
    if (token.kind === "number") return () => ok(Number(token.text));
    if (token.kind !== "name") return refuse(where, `unexpected "${token.text}" in "${source}"`);
    if (token.text === "true" || token.text === "false") return () => ok(token.text === "true");
    if (token.text === "null") return () => ok(null);
    if (peek()?.text === "(") {
      if (token.text !== "count") refuse(where, `the function ${token.text} is not supported`);
      take("(");
      const argument = orExpr();
      take(")");
      return (scope, substitute) => {
        const v = argument(scope, substitute);
        if ("error" in v) return v;
        if (typeof v.value === "string" || Array.isArray(v.value)) return ok(v.value.length);
        if (typeof v.value === "object" && v.value !== null) return ok(Object.keys(v.value).length);
        return failed(`count() of ${String(v.value)}`);
      };
    }
    const path = [token.text];
    while (peek()?.text === ".") {
      at += 1;
      const part = take();
      if (part.kind !== "name") refuse(where, `a path goes on with a name, not "${part.text}"`);
      path.push(part.text);
    }
    return pathReader(path, where);
  };

  const node = orExpr();
  if (at < tokens.length) refuse(where, `unexpected "${tokens[at]!.text}" in "${source}"`);
  return { text: source.trim(), evaluate: node };
}

/** Reads a path from the scope; an undefined value becomes "${path}" where substitution applies. */
function pathReader(path: readonly string[], where: string): (scope: Scope, substitute: boolean) => Evaluated {
  const [head, ...rest] = path as [string, ...string[]];
  if (head.startsWith("$") && !["$root", "$data", "$index"].includes(head.toLowerCase())) refuse(where, `${head} is not supported`);
  const text = path.join(".");
  const start = (scope: Scope): unknown => {
    switch (head.toLowerCase()) {
      case "$root":
        return scope.root;
      case "$data":
        return scope.data === undefined ? scope.root : scope.data;
      case "$index":
        return scope.index;
      default:
        return property(scope.data === undefined ? scope.root : scope.data, head);
    }
  };
  return (scope, substitute) => {
    let value = start(scope);
    for (const name of rest) value = property(value, name);
    return ok(value === undefined && substitute ? `\${${text}}` : value);
  };
}

/**
 * A property, found as adaptive-expressions finds it: by its exact name, else the first key equal
 * to it ignoring case. (For a view model with two keys that differ only in case, the reference
 * takes the first in key order even when the exact one exists; no view model has such keys, and
 * the suite's comparison of every render would show one.)
 */
function property(instance: unknown, name: string): unknown {
  if (!instance) return undefined;
  if (Array.isArray(instance) && /^\d+$/.test(name)) return instance[Number(name)];
  if (typeof instance !== "object") return undefined;
  const record = instance as Record<string, unknown>;
  if (Object.prototype.hasOwnProperty.call(record, name)) return record[name];
  const lower = name.toLowerCase();
  const key = Object.keys(record).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : record[key];
}

/** adaptive-expressions' equality: null equals only null, arrays and objects by content, numbers within epsilon. */
function equals(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a === null || a === undefined) && (b === null || b === undefined);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => equals(item, b[i]));
  if (typeof a === "object" && typeof b === "object") return JSON.stringify(a) === JSON.stringify(b);
  if (typeof a === "number" && typeof b === "number") return Math.abs(a - b) < Number.EPSILON || a === b;
  return a === b;
}

function compare(op: string, a: unknown, b: unknown): Evaluated {
  const comparable = (typeof a === "number" && typeof b === "number") || (typeof a === "string" && typeof b === "string");
  if (!comparable) return failed(`cannot compare ${String(a)} ${op} ${String(b)}`);
  const x = a as number | string;
  const y = b as number | string;
  return ok(op === "<" ? x < y : op === "<=" ? x <= y : op === ">" ? x > y : x >= y);
}
