/**
 * The extension build: `vite build --config extension/vite.config.ts --mode chrome|firefox`
 * makes a loadable Manifest V3 extension in dist/chrome or dist/firefox (npm run build runs
 * both, then packs them: see extension/package.ts).
 *
 * The two content scripts are standalone files (no loader, nothing fetched at run time): both
 * must run at document_start, before any page script. The components for a page's world are a
 * script of their own that the background injects (background/components.ts, an `?iife`
 * import). The offscreen document is not named by the manifest, so it is an input of its own.
 */
import { crx } from "@crxjs/vite-plugin";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { CONTENT_SCRIPTS, MANAGED_SCHEMA, manifest, type TargetBrowser } from "./manifest.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { version } = JSON.parse(readFileSync(resolve(root, "package.json"), "utf8")) as { version: string };

export default defineConfig(({ mode }) => {
  if (mode !== "chrome" && mode !== "firefox") throw new Error(`--mode must be chrome or firefox, not "${mode}"`);
  const browser: TargetBrowser = mode;
  return {
    root,
    publicDir: false,
    logLevel: "warn",
    define: { __TARGET_BROWSER__: JSON.stringify(browser) },
    build: {
      outDir: resolve(root, "dist", browser),
      emptyOutDir: true,
      target: browser === "chrome" ? "chrome116" : "firefox128",
      sourcemap: false,
      // Readable code for the add-on reviewers; Chrome gets the smaller files.
      minify: browser === "chrome",
      rollupOptions: {
        input: browser === "chrome" ? { offscreen: resolve(root, "extension/offscreen/offscreen.html") } : ({} as Record<string, string>),
      },
    },
    plugins: [
      crx({
        // crxjs' manifest type is narrower than what browsers accept (world, Firefox keys).
        manifest: manifest(browser, version) as unknown as Parameters<typeof crx>[0]["manifest"],
        browser,
        contentScripts: { standaloneFiles: [CONTENT_SCRIPTS.page, CONTENT_SCRIPTS.isolated] },
        liveReload: false,
      }),
      // crxjs makes every script the background injects web accessible, to every site: the
      // background's executeScript needs no such thing, and a file any page can load tells every
      // site the extension is installed. The manifest keeps none (test/extension/manifest.test.ts).
      {
        name: "crec-no-web-accessible-injected-scripts",
        enforce: "post" as const,
        // Once the bundle is on disk: whichever of crxjs' hooks wrote the manifest has run.
        writeBundle(options: { dir?: string }) {
          const file = resolve(options.dir ?? resolve(root, "dist", browser), "manifest.json");
          const json = JSON.parse(readFileSync(file, "utf8")) as { web_accessible_resources?: { resources: string[] }[] };
          const kept = (json.web_accessible_resources ?? []).map((entry) => ({ ...entry, resources: entry.resources.filter((r) => !r.startsWith("extension/content/main-world/")) })).filter((entry) => entry.resources.length > 0);
          if (kept.length > 0) json.web_accessible_resources = kept;
          else delete json.web_accessible_resources;
          writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
        },
      },
      // crxjs does not copy the policy schema the Chrome manifest names (storage.managed_schema).
      browser === "chrome" && {
        name: "crec-managed-schema",
        generateBundle() {
          this.emitFile({ type: "asset", fileName: MANAGED_SCHEMA, source: readFileSync(resolve(root, MANAGED_SCHEMA), "utf8") });
        },
      },
    ],
  };
});
