/**
 * The components bundle: one minified ES module, Lit included, that a host page loads with one
 * script tag (`dist/components/call-recordings.js`). The extension has its own config in
 * `extension/vite.config.ts`.
 *
 * What a host page downloads is measured by `npm run bench` (bench/bundle-size.ts). Besides
 * Vite's minifier, the HTML and CSS inside Lit's `html` and `css` templates are minified (the Lit
 * team's plugin: html-minifier-next and lightningcss; whitespace collapsed conservatively, to one
 * space and never removed, so text reads the same): about 1.1 KB of the gzipped bundle. terser
 * instead of Vite's minifier (oxc), even in three passes, saves nothing more.
 */
import minifyHTMLLiterals from "@lit-labs/rollup-plugin-minify-html-literals";
import { fileURLToPath } from "node:url";
import { defineConfig, type PluginOption } from "vite";

export const minifyTemplates = (): PluginOption =>
  minifyHTMLLiterals({
    failOnError: true,
    // keepClosingSlash: html-minifier keeps an SVG shape's `/>` only inside an `<svg>` tag it
    // sees, and Lit's `svg` fragments (the player's icons) have none. Without the slash the
    // browser, parsing SVG, opens each shape inside the one before: the pause icon drew one bar
    // (test/e2e/components-bundle.test.ts). It also keeps the few `/>` of HTML void elements,
    // which cost nothing. caseSensitive (the plugin's default) keeps viewBox and the like.
    options: { minifyOptions: { caseSensitive: true, keepClosingSlash: true, conservativeCollapse: true, removeEmptyAttributes: false } },
  }) as PluginOption;

export default defineConfig({
  publicDir: false,
  plugins: [minifyTemplates()],
  resolve: {
    // Lit's Node-safe builds ("node" condition, not "browser"): the same code in a browser, and
    // importing the bundle in Node (a host's server-side rendering) does not throw. Their DOM shim
    // is reduced to the base class Lit extends (57 bytes more gzipped, measured 4 December 2026).
    conditions: ["module", "node", "production"],
    alias: { "@lit-labs/ssr-dom-shim": fileURLToPath(new URL("components/shared/bundle-dom-shim.ts", import.meta.url)) },
  },
  build: {
    outDir: "dist/components",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    minify: true,
    modulePreload: false,
    rollupOptions: {
      input: "components/index.ts",
      // Keep the module's exports (hosts import the classes and types from it), and let the
      // chunk loaded on demand import what it shares with it from it, so the page loads one file.
      preserveEntrySignatures: "allow-extension",
      // One module, but for the audio decoders (src/player/decoding-engine.ts and src/codecs/),
      // a chunk beside it that loads only when a recording needs them.
      output: { entryFileNames: "call-recordings.js", chunkFileNames: "call-recordings-[name]-[hash].js", format: "es" },
    },
  },
});
