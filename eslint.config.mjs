// @ts-check
import tseslint from "typescript-eslint";
import importX from "eslint-plugin-import-x";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";

const botFrameworkAtTheEdge = {
  "no-restricted-imports": [
    "error",
    {
      patterns: [
        {
          group: ["botbuilder", "botbuilder-*", "botframework-*"],
          message:
            "The Bot Framework SDK stays at the edge (src/bot and src/dialogs), so moving to the Agents SDK touches adapters only.",
        },
      ],
    },
  ],
};

// Every error src/ throws carries a code from the catalogue in src/kernel/errors.ts, so a leader can
// quote it and an operator can find it (after Agents-for-js's errorHelper and its lint rule).
const errorsFromTheCatalogue = {
  "no-restricted-syntax": [
    "error",
    {
      selector: "NewExpression[callee.name=/^(Error|TypeError|RangeError)$/], CallExpression[callee.name=/^(Error|TypeError|RangeError)$/]",
      message: "Throw an AppError with an entry of ErrorCodes (src/kernel/errors.ts), or a subclass of AppError.",
    },
    {
      selector: "ClassDeclaration[superClass.name='Error'], ClassExpression[superClass.name='Error']",
      message: "Errors extend AppError (src/kernel/errors.ts), so each carries a catalogue code.",
    },
    {
      selector: "ThrowStatement > Literal, ThrowStatement > TemplateLiteral, ThrowStatement > ObjectExpression",
      message: "Throw an AppError from src/kernel/errors.ts, not a bare value.",
    },
  ],
};

// Text becomes `Shown` (kernel/shown.ts: safe on a Markdown surface) through the escaper, our own
// texts, or the framework's loader. The two raw makers are for the escaper and the loader alone,
// so no view can vouch for a person's text by calling them.
const shownOnlyFromTheEscaper = {
  "@typescript-eslint/no-restricted-imports": [
    "error",
    {
      patterns: [
        {
          group: ["**/kernel/shown"],
          importNames: ["markdownEscaped", "editorsText"],
          message: "Escape what a person typed with escapeMarkdown (domain/cleanText.ts); our sentences are Shown already (kernel/texts.ts).",
        },
      ],
    },
  ],
};

// The layers of src/, from the bottom up. A file may import from its own layer and the layers
// below it, never from one above: what changes often (the bot edge, the handlers) leans on what
// changes rarely (the rules and their vocabulary), and not the other way round. Siblings in one
// row (views, storage, Graph) do not import each other. README's "Layout" draws the same list.
export const LAYERS = [
  ["kernel"], // errors, log, config and its schema, paths, texts: what every layer may read
  ["domain"], // pure types and rules of every feature; no I/O
  ["content"], // the framework and calendars from ../content, validated into domain types
  ["cards", "storage", "graph", "tabs"], // views (pure: data -> cards, Markdown, pages); Cosmos; Microsoft Graph; a tab's sign-in and files
  ["nudges"], // scheduler, leases, outbox and delivery: sending as infrastructure
  ["insight"], // Indsigt's counting and pages
  ["reminders"], // a leader's own reminders
  ["group"], // leader groups: meetings, agreements, Vi-pulsen
  ["sharing", "meetings"], // Til min leder: a leader's chosen reflections shared with their own leader; the meeting's side panel
  ["privacy"], // export and erasure across every feature
  ["handlers"], // personal-chat commands answered as data
  ["dialogs"], // botbuilder-dialogs
  ["bot"], // the botbuilder edge
  ["*.ts"], // composition, server and process start-up at src/'s top
];
const srcGlob = (folder) => (folder.endsWith(".ts") ? `src/${folder}` : `src/${folder}/**`);
const layerZones = LAYERS.flatMap((row, index) =>
  row.map((folder) => ({
    target: srcGlob(folder),
    from: [...LAYERS.slice(index + 1).flat(), ...row.filter((sibling) => sibling !== folder)].map(srcGlob),
    message: `src/${folder} may import only from its own layer and the layers below it (LAYERS in eslint.config.mjs): depend on something lower, or move the shared piece down.`,
  })),
).filter((zone) => zone.from.length > 0);

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "test-output/**", "manifest/build/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-empty": ["error", { allowEmptyCatch: false }],
    },
  },
  {
    files: ["src/**"],
    ignores: ["src/bot/**", "src/dialogs/**"],
    rules: botFrameworkAtTheEdge,
  },
  {
    files: ["src/**"],
    ignores: ["src/kernel/errors.ts"],
    rules: errorsFromTheCatalogue,
  },
  {
    files: ["src/**", "test/**"],
    ignores: ["src/domain/cleanText.ts", "src/content/loadContent.ts"],
    rules: shownOnlyFromTheEscaper,
  },
  {
    // No module of src/ may reach itself through its imports: a cycle hides which layer owns what.
    files: ["src/**"],
    plugins: { "import-x": importX },
    settings: { ...importX.flatConfigs.typescript.settings, "import-x/resolver-next": [createTypeScriptImportResolver({ project: "tsconfig.json" })] },
    rules: {
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      // Folders import one way only: a file-level cycle rule cannot see two folders leaning on each other.
      "import-x/no-restricted-paths": ["error", { basePath: import.meta.dirname, zones: layerZones }],
    },
  },
);
