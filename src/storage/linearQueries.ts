import { createRequire } from "node:module";

/**
 * The embedded server's query compiler (`@zeit/cosmosdb-query`) turns `FROM c` into
 * `collection.reduce(($, c) => [...$, { c }], [])`: each row copies every row before it, so one
 * query over 20,000 documents takes about 6 s, where Azure Cosmos DB answers it from an index in
 * milliseconds. This rewrites those accumulators to push in place (`($.push({ c }), $)`), which
 * returns the same rows in the same order: the array is the reduce's own, made fresh by its `[]`.
 * Only the local, embedded path runs it; production never loads the embedded server.
 */
export function makeEmbeddedQueriesLinear(): void {
  let transformer: { default: Transform & { linear?: true } };
  try {
    transformer = createRequire(require.resolve("@vercel/cosmosdb-server"))("@zeit/cosmosdb-query/lib/transformer") as typeof transformer;
  } catch {
    // A later version laid out differently: local runs are slower at size, not wrong
    // (test/storage/embeddedQueries.test.ts says so in CI).
    return;
  }
  if (transformer.default.linear) return;
  const original = transformer.default;
  transformer.default = Object.assign((ast: unknown) => pushInPlace(original(ast)), { linear: true as const });
}

type Transform = (ast: unknown) => unknown;
type Node = { type?: string; [key: string]: unknown };

const isNode = (value: unknown): value is Node => typeof value === "object" && value !== null && typeof (value as Node).type === "string";
const isIdentifier = (value: unknown, name: string) => isNode(value) && value.type === "Identifier" && value.name === name;

/** Rewrites, in place, every `reduce(($, …) => […$, rows], [])` of the tree to push its rows. */
function pushInPlace<T>(tree: T): T {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isNode(node)) return;
    if (isAccumulatingReduce(node)) {
      const reducer = (node.arguments as Node[])[0]!;
      reducer.body = rewriteBody(reducer.body as Node);
    }
    for (const [key, value] of Object.entries(node)) if (key !== "type" && typeof value === "object") visit(value);
  };
  visit(tree);
  return tree;
}

/** `x.reduce(($, …) => …, [])`: the accumulator `$` starts as an array of the reduce's own. */
function isAccumulatingReduce(node: Node): boolean {
  if (node.type !== "CallExpression") return false;
  const callee = node.callee as Node;
  const args = node.arguments as Node[];
  return (
    callee?.type === "MemberExpression" &&
    isIdentifier(callee.property, "reduce") &&
    args.length === 2 &&
    args[0]?.type === "ArrowFunctionExpression" &&
    isIdentifier((args[0].params as Node[])[0], "$") &&
    args[1]?.type === "ArrayExpression" &&
    (args[1].elements as unknown[]).length === 0
  );
}

/** `[...$, a, ...b]` becomes `($.push(a, ...b), $)`; a conditional's branches are rewritten alike. */
function rewriteBody(body: Node): Node {
  if (body.type === "ConditionalExpression") return { ...body, consequent: rewriteBody(body.consequent as Node), alternate: rewriteBody(body.alternate as Node) };
  const elements = body.type === "ArrayExpression" ? (body.elements as Node[]) : [];
  const [first, ...rest] = elements;
  if (!first || first.type !== "SpreadElement" || !isIdentifier(first.argument, "$")) return body;
  const accumulator: Node = { type: "Identifier", name: "$" };
  const push: Node = { type: "CallExpression", callee: { type: "MemberExpression", object: accumulator, property: { type: "Identifier", name: "push" }, computed: false }, arguments: rest };
  return { type: "SequenceExpression", expressions: [push, { type: "Identifier", name: "$" }] };
}
