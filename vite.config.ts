/**
 * The components bundle: one minified ES module, Lit included, that a host page loads with one
 * script tag (`dist/components/call-recordings.js`). The extension has its own config in
 * `extension/vite.config.ts`.
 */
import { defineConfig } from "vite";

export default defineConfig({
  publicDir: false,
  build: {
    outDir: "dist/components",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    minify: true,
    modulePreload: false,
    rollupOptions: {
      input: "components/index.ts",
      // Keep the module's exports: hosts import the classes and types from it.
      preserveEntrySignatures: "strict",
      output: { entryFileNames: "call-recordings.js", format: "es", inlineDynamicImports: true },
    },
  },
});
