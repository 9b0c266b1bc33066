import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "dist-bench/", "node_modules/", "coverage/", "bin/", "*.config.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-restricted-syntax": [
        "error",
        { selector: "ExportDefaultDeclaration", message: "Use named exports." },
      ],
    },
  },
  {
    files: ["src/plan/**/*.ts", "src/render/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["node:*", "fs", "path", "child_process", "net", "tls", "http", "https"],
              message: "The planner and renderers are pure: no I/O.",
            },
            {
              group: [
                "**/directory/ad/*",
                "**/directory/entra/*",
                "ldapts",
                "@microsoft/*",
                "@azure/*",
                "simple-git",
              ],
              message: "The planner and renderers take plain data, never clients.",
            },
          ],
        },
      ],
    },
  },
);
