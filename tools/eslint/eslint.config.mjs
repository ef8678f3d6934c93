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
    // The chart editor is native ES modules (no bundler), and its points have named fields:
    // a numeric subscript (p[2] for a depth) is refused; chart/points.js alone knows the
    // wire's positions, and reads them by destructuring.
    files: ["**/static/mesochart/chart-editor.js", "**/static/mesochart/chart/*.js"],
    languageOptions: { sourceType: "module" },
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[computed=true][property.type='Literal']",
          message: "Name the field (a point is {x, y, depthMm, volumeMl}; chart/points.js converts the wire's arrays).",
        },
      ],
    },
  },
  {
    files: ["**/*.mjs"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.node },
  },
];
