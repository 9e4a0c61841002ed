import { createHash } from "node:crypto";
import path from "node:path";
import { asQuestionId, asRoleId, asStatementId, asThemeId, type RoleId, type ThemeId } from "../domain/ids";
import { projectRoot } from "../kernel/paths";
import { editorsText } from "../kernel/shown";
import { ContentError, readValidatedJson } from "./validatedJson";
import { AUDIENCES, type Audience, type Framework, type Question, type Role, type Statement, type Theme } from "../domain/framework";

export const SCHEMA_PATH = path.join(projectRoot, "content", "schema.json");

export { ContentError };

/** The file as the schema describes it. */
interface FrameworkFile {
  version: string;
  language: string;
  title: string;
  titleInSentence?: string;
  roles: Array<{ id: string; name: string; inSentence?: string; kind: "shared" | "individual" }>;
  ratingScale: { question: string; levels: Array<{ value: number; label: string }> };
  nextStep: { heading: string; label: string; placeholder: string };
  focusPrompts: { heading: string; deeper: string; deeperAtLowest: string; strength: string };
  themes: Array<{ id: string; title: string; statements: Record<string, { items: Array<{ id: string; text: string }> }> }>;
  questions: Array<{ id: string; theme: string; role: string; audience: Audience; text: string }>;
  fallbackQuestions: Record<Audience, Array<{ id: string; text: string }>>;
}

/** Reads, validates and indexes a framework file. Throws ContentError with file, path and reason. */
export function loadFramework(file: string): Framework {
  const { data, bytes } = readValidatedJson<FrameworkFile>(file, SCHEMA_PATH);
  const parsed = data;
  checkCrossReferences(file, parsed);
  const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 12);
  return buildFramework(parsed, hash);
}

function checkCrossReferences(file: string, data: FrameworkFile): void {
  const fail = (at: string, reason: string): never => {
    throw new ContentError(file, at, reason);
  };

  const seenIds = new Map<string, string>();
  const claim = (id: string, at: string): void => {
    const earlier = seenIds.get(id);
    if (earlier) fail(at, `duplicate id "${id}" (first used at ${earlier})`);
    seenIds.set(id, at);
  };
  const checkText = (text: string, at: string): void => {
    if (text !== text.trim() || /\s{2,}/.test(text)) fail(at, "text has leading, trailing or repeated whitespace");
  };

  data.roles.forEach((role, i) => claim(`role:${role.id}`, `$.roles[${i}].id`));
  const roleIds = new Set(data.roles.map((r) => r.id));
  const individual = new Set(data.roles.filter((r) => r.kind === "individual").map((r) => r.id));
  if (individual.size === 0) fail("$.roles", "at least one role must have kind \"individual\"");
  if (data.roles.filter((r) => r.kind === "shared").length > 1) fail("$.roles", "at most one role may have kind \"shared\"");

  // A prompt may name only what the reflection knows: the statement and the rating given.
  for (const [name, prompt] of Object.entries(data.focusPrompts)) {
    const unknown = [...prompt.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]).find((p) => p !== "statement" && p !== "rating");
    if (unknown !== undefined) fail(`$.focusPrompts.${name}`, `unknown placeholder "{${unknown}}" (use {statement} and {rating})`);
  }

  const values = data.ratingScale.levels.map((l) => l.value);
  if (values.some((v, i) => i > 0 && v <= (values[i - 1] ?? 0))) {
    fail("$.ratingScale.levels", "values must be unique and ascending");
  }

  data.themes.forEach((theme, t) => {
    claim(`theme:${theme.id}`, `$.themes[${t}].id`);
    for (const roleId of roleIds) {
      if (!(roleId in theme.statements)) fail(`$.themes[${t}].statements`, `missing role "${roleId}" in theme "${theme.id}"`);
    }
    for (const [roleId, column] of Object.entries(theme.statements)) {
      const at = `$.themes[${t}].statements.${roleId}`;
      if (!roleIds.has(roleId)) fail(at, `unknown role "${roleId}" (roles are ${[...roleIds].join(", ")})`);
      if (individual.has(roleId) && column.items.length === 0) {
        fail(`${at}.items`, `role "${roleId}" has no statements in theme "${theme.id}"; a reflection needs at least one`);
      }
      column.items.forEach((item, i) => {
        claim(item.id, `${at}.items[${i}].id`);
        checkText(item.text, `${at}.items[${i}].text`);
      });
    }
  });

  const themeIds = new Set(data.themes.map((t) => t.id));
  data.questions.forEach((question, q) => {
    const at = `$.questions[${q}]`;
    claim(question.id, `${at}.id`);
    checkText(question.text, `${at}.text`);
    if (!themeIds.has(question.theme)) fail(`${at}.theme`, `unknown theme "${question.theme}"`);
    if (!roleIds.has(question.role)) fail(`${at}.role`, `unknown role "${question.role}"`);
    if (!individual.has(question.role)) fail(`${at}.role`, `role "${question.role}" is shared; questions belong to individual roles`);
  });

  for (const audience of AUDIENCES) {
    data.fallbackQuestions[audience].forEach((item, i) => {
      claim(item.id, `$.fallbackQuestions.${audience}[${i}].id`);
      checkText(item.text, `$.fallbackQuestions.${audience}[${i}].text`);
    });
  }
}

function buildFramework(data: FrameworkFile, hash: string): Framework {
  // The editors' texts become Shown here, once (kernel/shown.ts): checked above, shown as written.
  const roles: Role[] = data.roles.map((r) => ({ id: asRoleId(r.id), name: editorsText(r.name), inSentence: editorsText(r.inSentence ?? r.name.toLocaleLowerCase("da-DK")), kind: r.kind }));
  const themes: Theme[] = data.themes.map((t) => ({ id: asThemeId(t.id), title: editorsText(t.title) }));

  const statements = new Map<string, readonly Statement[]>();
  for (const theme of data.themes) {
    for (const [roleId, column] of Object.entries(theme.statements)) {
      statements.set(key(theme.id, roleId), column.items.map((s) => ({ id: asStatementId(s.id), text: editorsText(s.text) })));
    }
  }

  const questions = new Map<string, Question[]>();
  for (const q of data.questions) {
    const k = key(q.theme, q.role, q.audience);
    questions.set(k, [...(questions.get(k) ?? []), { id: asQuestionId(q.id), text: editorsText(q.text), audience: q.audience, isFallback: false }]);
  }
  const fallbackFor = (audience: Audience): readonly Question[] =>
    data.fallbackQuestions[audience].map((q) => ({ id: asQuestionId(q.id), text: editorsText(q.text), audience, isFallback: true }));
  const fallback: Record<Audience, readonly Question[]> = {
    lederen: fallbackFor("lederen"),
    ledergruppen: fallbackFor("ledergruppen"),
  };

  const framework: Framework = {
    title: editorsText(data.title),
    titleInSentence: editorsText(data.titleInSentence ?? data.title.toLocaleLowerCase("da-DK")),
    language: data.language,
    version: data.version,
    hash,
    contentVersion: `${data.version}#${hash}`,
    roles,
    individualRoles: roles.filter((r) => r.kind === "individual"),
    sharedRole: roles.find((r) => r.kind === "shared"),
    themes,
    ratingScale: { question: editorsText(data.ratingScale.question), levels: data.ratingScale.levels.map((l) => ({ value: l.value, label: editorsText(l.label) })) },
    nextStep: { heading: editorsText(data.nextStep.heading), label: editorsText(data.nextStep.label), placeholder: editorsText(data.nextStep.placeholder) },
    focusPrompts: { heading: editorsText(data.focusPrompts.heading), deeper: editorsText(data.focusPrompts.deeper), deeperAtLowest: editorsText(data.focusPrompts.deeperAtLowest), strength: editorsText(data.focusPrompts.strength) },
    theme: (id) => themes.find((t) => t.id === id),
    role: (id) => roles.find((r) => r.id === id),
    statements: (themeId: ThemeId, roleId: RoleId) => statements.get(key(themeId, roleId)) ?? [],
    questions: (themeId: ThemeId, roleId: RoleId, audience: Audience) =>
      questions.get(key(themeId, roleId, audience)) ?? fallback[audience],
  };
  return deepFreeze(framework);
}

const key = (...parts: string[]): string => parts.join("\u0000");

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
