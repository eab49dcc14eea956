/**
 * Packs the built extension for the stores, into dist/packages/:
 * - call-recordings-chrome-VERSION.zip for the Chrome Web Store (the manifest's `key`, which
 *   only pins the id of unpacked development builds, is left out: the store refuses it);
 * - call-recordings-firefox-VERSION.zip for addons.mozilla.org, made by web-ext.
 * Run by `npm run build` after both builds; on its own: `npx tsx extension/package.ts`.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const out = join(dist, "packages");
const webExt = join(root, "node_modules", ".bin", "web-ext");

function webExtBuild(sourceDir: string, filename: string): void {
  const result = spawnSync(webExt, ["build", "--source-dir", sourceDir, "--artifacts-dir", out, "--filename", filename, "--overwrite-dest"], {
    encoding: "utf8",
  });
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error(`web-ext build failed for ${sourceDir}`);
  }
}

for (const browser of ["chrome", "firefox"]) {
  if (!existsSync(join(dist, browser, "manifest.json"))) throw new Error(`dist/${browser} is not built: run npm run build`);
}
mkdirSync(out, { recursive: true });
const { version } = JSON.parse(readFileSync(join(dist, "chrome", "manifest.json"), "utf8")) as { version: string };

const staging = join(dist, ".chrome-store");
rmSync(staging, { recursive: true, force: true });
cpSync(join(dist, "chrome"), staging, { recursive: true });
const manifestPath = join(staging, "manifest.json");
const { key: _key, ...storeManifest } = JSON.parse(readFileSync(manifestPath, "utf8")) as Record<string, unknown>;
writeFileSync(manifestPath, `${JSON.stringify(storeManifest, null, 2)}\n`);
try {
  webExtBuild(staging, `call-recordings-chrome-${version}.zip`);
} finally {
  rmSync(staging, { recursive: true, force: true });
}
webExtBuild(join(dist, "firefox"), `call-recordings-firefox-${version}.zip`);
console.log(`dist/packages/call-recordings-chrome-${version}.zip, dist/packages/call-recordings-firefox-${version}.zip`);
