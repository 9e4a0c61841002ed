import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AUDIENCES } from "../../src/domain/framework";
import { ContentError, loadFramework } from "../../src/content/loadContent";
import { asRoleId, asThemeId } from "../../src/domain/ids";
import { projectRoot } from "../../src/kernel/paths";

const CONTENT_FILE = path.join(projectRoot, "content", "ledelsesgrundlag.da.json");
const MINI_FILE = path.join(projectRoot, "test", "fixtures", "content", "mini-framework.json");
const expected = JSON.parse(
  fs.readFileSync(path.join(projectRoot, "test", "fixtures", "content", "expected-texts.json"), "utf8"),
) as { statements: Record<string, string>; questions: Record<string, string> };

const framework = loadFramework(CONTENT_FILE);
const all = (themeId: string) =>
  framework.roles.flatMap((role) => framework.statements(asThemeId(themeId), role.id));
const allStatements = framework.themes.flatMap((t) => all(t.id));
const sourceQuestions = framework.themes.flatMap((t) =>
  framework.individualRoles.flatMap((r) => AUDIENCES.flatMap((a) => framework.questions(t.id, r.id, a))).filter((q) => !q.isFallback),
);

describe("the ledelsesgrundlag content", () => {
  it("has the four themes in the framework's order", () => {
    assert.deepEqual(
      framework.themes.map((t) => t.title),
      [
        "Sammen sikrer vi driften",
        "Sammen styrker vi resultaterne",
        "Sammen skaber vi løsninger",
        "Sammen udvikler vi en bæredygtig organisation",
      ],
    );
  });

  it("has the six columns: Fælles and the five roles", () => {
    assert.deepEqual(
      framework.roles.map((r) => `${r.id}:${r.kind}`),
      ["faelles:shared", "medarbejder:individual", "leder-af-medarbejder:individual", "leder-af-leder:individual", "chef:individual", "direktoer:individual"],
    );
  });

  it("has 84 statements: 23, 22, 19 and 20 by theme", () => {
    assert.equal(allStatements.length, 84);
    assert.deepEqual(framework.themes.map((t) => all(t.id).length), [23, 22, 19, 20]);
  });

  const perRole: Record<string, number[]> = {
    // theme:        drift, resultater, loesninger, baeredygtig
    faelles: [3, 3, 2, 3],
    medarbejder: [4, 4, 3, 3],
    "leder-af-medarbejder": [4, 4, 4, 3],
    "leder-af-leder": [4, 4, 4, 3],
    chef: [4, 3, 3, 4],
    direktoer: [4, 4, 3, 4],
  };
  for (const [role, counts] of Object.entries(perRole)) {
    it(`has the content-mapping counts for ${role}: ${counts.join("/")}`, () => {
      assert.deepEqual(framework.themes.map((t) => framework.statements(t.id, asRoleId(role)).length), counts);
    });
  }

  it("has 24 source questions: 3 to the leader and 3 to the group, per theme, for leder-af-leder", () => {
    assert.equal(sourceQuestions.length, 24);
    for (const theme of framework.themes) {
      for (const audience of AUDIENCES) {
        const questions = framework.questions(theme.id, asRoleId("leder-af-leder"), audience);
        assert.equal(questions.length, 3, `${theme.id}/${audience}`);
        assert.ok(questions.every((q) => !q.isFallback));
      }
    }
  });

  it("gives every other role the general fallback prompts, so each can reflect fully", () => {
    for (const role of framework.individualRoles.filter((r) => r.id !== "leder-af-leder")) {
      for (const theme of framework.themes) {
        const questions = framework.questions(theme.id, role.id, "lederen");
        assert.ok(questions.length >= 1 && questions.every((q) => q.isFallback), `${role.id}/${theme.id}`);
      }
    }
    assert.equal(framework.questions(asThemeId("drift"), asRoleId("chef"), "lederen")[0]?.text, "Hvor lykkes du med temaet i dag? Giv et konkret eksempel.");
  });

  it("keeps every text equal to the reviewed copy in test/fixtures", () => {
    assert.deepEqual(Object.fromEntries(allStatements.map((s) => [s.id, s.text])), expected.statements);
    assert.deepEqual(Object.fromEntries(sourceQuestions.map((q) => [q.id, q.text])), expected.questions);
  });

  it("keeps no PDF hyphenation artefact or double space in any text", () => {
    for (const { id, text } of [...allStatements, ...sourceQuestions]) {
      assert.doesNotMatch(text, /\p{L}- \p{Ll}/u, `${id}: "- " inside a word`);
      assert.doesNotMatch(text, /\s{2,}|^\s|\s$/, `${id}: extra whitespace`);
      assert.doesNotMatch(text, /\n/, `${id}: line break`);
    }
  });

  it("records a version and a hash of the file", () => {
    assert.match(framework.contentVersion, /^2026\.11-1#[0-9a-f]{12}$/);
  });

  describe("against the source documents in ../shared/seeds", () => {
    const seedsDir = path.resolve(projectRoot, "..", "shared", "seeds");
    const seeds = fs.existsSync(seedsDir)
      ? fs.readdirSync(seedsDir).filter((f) => f.endsWith(".txt")).map((f) => fs.readFileSync(path.join(seedsDir, f), "utf8"))
      : [];

    before(function () {
      if (seeds.length === 0) {
        console.log(`      (skipped: no seed documents at ${seedsDir}; the copy in test/fixtures is checked instead)`);
        this.skip();
      }
    });

    /** Re-joins words the PDF broke at a line end, then drops all whitespace so line breaks cannot matter. */
    const compact = (text: string): string =>
      text.replace(/(\p{L})-[ \t]*\r?\n\s*(\p{Ll})/gu, "$1$2").replace(/\s+/g, "");
    const corpus = seeds.map(compact).join("\n");

    it("finds every statement's exact wording in the framework document", () => {
      const missing = allStatements.filter((s) => !corpus.includes(compact(s.text))).map((s) => s.id);
      assert.deepEqual(missing, []);
    });

    it("finds every question's exact wording in the dialogue tool", () => {
      const missing = sourceQuestions.filter((q) => !corpus.includes(compact(q.text))).map((q) => q.id);
      assert.deepEqual(missing, []);
    });
  });
});

describe("loading a framework file", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "content-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Writes a broken copy of the real content and returns the ContentError it gets. */
  // The document is deliberately untyped here: each test breaks it in its own way.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type LooseJson = any;
  function rejectionOf(breakIt: (doc: LooseJson) => void): ContentError {
    const doc = JSON.parse(fs.readFileSync(CONTENT_FILE, "utf8")) as LooseJson;
    breakIt(doc);
    const file = path.join(dir, "broken.json");
    fs.writeFileSync(file, JSON.stringify(doc));
    try {
      loadFramework(file);
    } catch (error) {
      assert.ok(error instanceof ContentError, String(error));
      assert.equal(error.file, file);
      return error;
    }
    assert.fail("the broken file was accepted");
  }

  it("rejects a theme that lacks a role, naming the theme's path and the role", () => {
    const error = rejectionOf((doc) => delete doc.themes[2].statements.chef);
    assert.equal(error.jsonPath, "$.themes[2].statements");
    assert.match(error.reason, /missing role "chef" in theme "loesninger"/);
  });

  it("rejects a duplicate statement id, naming both places", () => {
    const error = rejectionOf((doc) => (doc.themes[1].statements.chef.items[1].id = "resultater.chef.1"));
    assert.equal(error.jsonPath, "$.themes[1].statements.chef.items[1].id");
    assert.match(error.reason, /duplicate id "resultater.chef.1" \(first used at \$\.themes\[1\]\.statements\.chef\.items\[0\]\.id\)/);
  });

  it("rejects an empty text", () => {
    const error = rejectionOf((doc) => (doc.themes[0].statements.faelles.items[0].text = ""));
    assert.equal(error.jsonPath, "$.themes[0].statements.faelles.items[0].text");
    assert.match(error.reason, /must not be empty/);
  });

  it("rejects a question that points at an unknown theme", () => {
    const error = rejectionOf((doc) => (doc.questions[4].theme = "okonomi"));
    assert.equal(error.jsonPath, "$.questions[4].theme");
    assert.match(error.reason, /unknown theme "okonomi"/);
  });

  it("rejects a question for the shared column", () => {
    const error = rejectionOf((doc) => (doc.questions[0].role = "faelles"));
    assert.match(error.reason, /shared/);
  });

  it("rejects a follow-up prompt that does not name the statement, or names a placeholder it cannot fill", () => {
    const missing = rejectionOf((doc) => (doc.focusPrompts.deeper = "Du gav {rating}. Hvorfor?"));
    assert.equal(missing.jsonPath, "$.focusPrompts.deeper");
    const unknown = rejectionOf((doc) => (doc.focusPrompts.strength = "Du gav {rating} på {statement}, {navn}."));
    assert.equal(unknown.jsonPath, "$.focusPrompts.strength");
    assert.match(unknown.reason, /unknown placeholder "\{navn\}"/);
  });

  it("rejects an unknown property, so typos do not pass silently", () => {
    const error = rejectionOf((doc) => (doc.themes[0].titel = "Sammen"));
    assert.equal(error.jsonPath, "$.themes[0]");
    assert.match(error.reason, /unknown property "titel"/);
  });

  it("rejects a file that is not JSON, with the parser's position", () => {
    const file = path.join(dir, "bad.json");
    fs.writeFileSync(file, '{ "format": ');
    assert.throws(() => loadFramework(file), (e: unknown) => e instanceof ContentError && e.jsonPath === "$" && /not valid JSON/.test(e.reason));
  });

  it("rejects a missing file with the reason", () => {
    assert.throws(() => loadFramework(path.join(dir, "none.json")), (e: unknown) => e instanceof ContentError && /ENOENT/.test(e.reason));
  });

  it("loads another organisation's framework with other themes, roles and questions for every role", () => {
    const mini = loadFramework(MINI_FILE);
    assert.deepEqual(mini.themes.map((t) => t.id), ["tillid", "mod"]);
    assert.deepEqual(mini.individualRoles.map((r) => r.id), ["teamleder", "afdelingsleder"]);
    const q = mini.questions(asThemeId("mod"), asRoleId("afdelingsleder"), "lederen");
    assert.deepEqual(q.map((x) => [x.text, x.isFallback]), [["Hvilken beslutning har du udskudt?", false]]);
    assert.equal(mini.ratingScale.levels.length, 3);
  });

  it("returns read-only content", () => {
    assert.ok(Object.isFrozen(framework.themes));
    assert.throws(() => {
      (framework.themes as Array<unknown>).push({});
    }, TypeError);
  });
});
