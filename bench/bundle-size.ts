/**
 * What a host page downloads: both of our elements with Lit, against media-chrome's basic
 * audio player set, Plyr (with its CSS) and wavesurfer.js, each bundled the same way (Vite,
 * minified, one module) and gzipped at level 9.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "vite";
import type { Figure } from "./report.js";

const root = resolve(import.meta.dirname, "..");
const work = join(root, "bench/.work/bundles");

const candidates: Record<string, { entry: string; css?: string }> = {
  ours: { entry: `export * from ${JSON.stringify(join(root, "components/index.ts"))};` },
  "media-chrome basic audio set": {
    entry: ["media-controller", "media-control-bar", "media-play-button", "media-time-range", "media-time-display", "media-mute-button", "media-volume-range", "media-playback-rate-button", "media-seek-backward-button", "media-seek-forward-button"]
      .map((m) => `import "media-chrome/dist/${m}.js";`)
      .join("\n"),
  },
  Plyr: { entry: `import Plyr from "plyr"; window.Plyr = Plyr;`, css: "node_modules/plyr/dist/plyr.css" },
  "wavesurfer.js": { entry: `import WaveSurfer from "wavesurfer.js"; window.WaveSurfer = WaveSurfer;` },
};

async function gzippedSize(name: string, entry: string, css?: string): Promise<number> {
  const dir = join(work, name.replace(/\W+/g, "-"));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "entry.ts");
  writeFileSync(file, entry);
  await build({
    configFile: false,
    root,
    logLevel: "silent",
    publicDir: false,
    build: {
      outDir: join(dir, "out"),
      emptyOutDir: true,
      target: "es2022",
      minify: true,
      modulePreload: false,
      rollupOptions: { input: file, preserveEntrySignatures: "strict", output: { entryFileNames: "bundle.js", format: "es", inlineDynamicImports: true } },
    },
  });
  let size = gzipSync(readFileSync(join(dir, "out/bundle.js")), { level: 9 }).length;
  if (css) size += gzipSync(readFileSync(join(root, css)), { level: 9 }).length;
  return size / 1024;
}

export async function bundleSize(log: (s: string) => void): Promise<Figure[]> {
  const sizes: Record<string, number> = {};
  for (const [name, { entry, css }] of Object.entries(candidates)) {
    sizes[name] = await gzippedSize(name, entry, css);
    log(`  ${name}: ${sizes[name]!.toFixed(1)} KB`);
  }
  rmSync(work, { recursive: true, force: true });
  const ours = sizes.ours!;
  return Object.entries(sizes)
    .filter(([name]) => name !== "ours")
    .map(([name, size], i) => ({
      name: `both elements, Lit included, minified and gzipped, against ${name}`,
      value: ours,
      unit: "KB",
      anchor: { name, value: size },
      ratio: ours / size,
      target: "under 20 KB",
      met: ours < 20,
      note: i === 0 && ours >= 20 ? `${(ours - 20).toFixed(1)} KB over` : undefined,
    }));
}
