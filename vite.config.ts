/**
 * The components bundle: one ES module, Lit included, that a host page loads with one script
 * tag (`dist/components/call-recordings.js`). The extension has its own config in
 * `extension/vite.config.ts`.
 */
import { defineConfig } from "vite";

export default defineConfig({
  build: {
    outDir: "dist/components",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    lib: {
      entry: "components/index.ts",
      formats: ["es"],
      fileName: () => "call-recordings.js",
    },
  },
});
