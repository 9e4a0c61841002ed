// @ts-check
import tseslint from "typescript-eslint";

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
);
