// The app's own JavaScript: browser scripts without a bundler, no inline handlers (the CSP
// forbids them), vendored libraries left as their authors wrote them.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["**/vendor/**"] },
  js.configs.recommended,
  {
    files: ["**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: {
        ...globals.browser,
        htmx: "readonly",
        uPlot: "readonly",
        gettext: "readonly",
        ngettext: "readonly",
        interpolate: "readonly",
      },
    },
    rules: {
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-var": "error",
      "prefer-const": "error",
      "no-implied-eval": "error",
      "no-eval": "error",
      "no-unused-vars": ["error", { args: "after-used" }],
    },
  },
  {
    files: ["**/*.mjs"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.node },
  },
];
