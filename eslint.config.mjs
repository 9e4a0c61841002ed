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

// Every error src/ throws carries a code from the catalogue in src/errors.ts, so a leader can
// quote it and an operator can find it (after Agents-for-js's errorHelper and its lint rule).
const errorsFromTheCatalogue = {
  "no-restricted-syntax": [
    "error",
    {
      selector: "NewExpression[callee.name=/^(Error|TypeError|RangeError)$/], CallExpression[callee.name=/^(Error|TypeError|RangeError)$/]",
      message: "Throw an AppError with an entry of ErrorCodes (src/errors.ts), or a subclass of AppError.",
    },
    {
      selector: "ClassDeclaration[superClass.name='Error'], ClassExpression[superClass.name='Error']",
      message: "Errors extend AppError (src/errors.ts), so each carries a catalogue code.",
    },
    {
      selector: "ThrowStatement > Literal, ThrowStatement > TemplateLiteral, ThrowStatement > ObjectExpression",
      message: "Throw an AppError from src/errors.ts, not a bare value.",
    },
  ],
};

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
    ignores: ["src/errors.ts"],
    rules: errorsFromTheCatalogue,
  },
  {
    // No module of src/ may reach itself through its imports: a cycle hides which layer owns what.
    files: ["src/**"],
    plugins: { "import-x": importX },
    settings: { ...importX.flatConfigs.typescript.settings, "import-x/resolver-next": [createTypeScriptImportResolver({ project: "tsconfig.json" })] },
    rules: { "import-x/no-cycle": ["error", { ignoreExternal: true }] },
  },
);
