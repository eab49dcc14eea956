// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

/** A lint block per core folder: no UI, extension or server, no lit, and not the core folders named. */
function coreLayers(layers) {
  return Object.entries(layers).map(([files, forbidden]) => {
    const top = !files.includes("/**");
    return {
      files: [files],
      rules: {
        "no-restricted-imports": [
          "error",
          {
            patterns: [
              { regex: top ? "^\\.\\./(components|extension|server)(/|$)" : "^(\\.\\./){2,}(components|extension|server)(/|$)", message: "the core imports no UI, extension or server code" },
              { group: ["lit", "lit/*"], message: "the core does not use Lit" },
              ...forbidden.map((folder) => ({ regex: top ? `^\\./${folder}/` : `^\\.\\./${folder}/`, message: `this part of the core does not use src/${folder}` })),
            ],
          },
        ],
      },
    };
  });
}

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", ".data/**", "coverage/**", "bench/.work/**", "custom-elements.json", "packages/*/dist/**", "test/hosts/react/**", "test/hosts/vue/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": "off",
    },
  },
  // The framework-free core runs in pages, workers and Node: it must not import the UI, the
  // extension or the server. Within it, each audience's folder imports only what it may.
  ...coreLayers({
    "src/*.ts": [],
    "src/codecs/**/*.ts": ["rules", "player", "calls", "extension"],
    // The rules and dataset the server applies know nothing of playing.
    "src/rules/**/*.ts": ["player", "calls", "extension"],
    "src/player/**/*.ts": ["rules", "calls", "extension"],
    "src/calls/**/*.ts": ["rules", "extension"],
    // The extension's contract may use any of the core.
    "src/extension/**/*.ts": [],
  }),
  {
    files: ["server/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["../components/*", "../extension/*", "**/components/*", "**/extension/*"] }],
    },
  },
);
