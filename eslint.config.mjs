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
            "Domain, content, storage and nudges stay free of the Bot Framework SDK; put SDK code in src/bot or src/dialogs.",
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
    files: ["src/domain/**", "src/content/**", "src/storage/**", "src/nudges/**"],
    rules: botFrameworkAtTheEdge,
  },
);
