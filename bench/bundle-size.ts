/**
 * What a host page downloads: both of our elements with Lit, against media-chrome's basic
 * audio player set, Plyr (with its CSS) and wavesurfer.js, each bundled the same way (Vite,
 * minified, one module) and gzipped at level 9. Ours is built with the project's own build
 * config (vite.config.ts: its templates' HTML and CSS minified too), as dist/components ships
 * it; what that adds over Vite's defaults, and what Lit, idb and the player alone weigh, are in
 * the note.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "vite";
import type { Figure } from "./report.js";

const root = resolve(import.meta.dirname, "..");
const work = join(root, "bench/.work/bundles");

const ourEntry = `export * from ${JSON.stringify(join(root, "components/index.ts"))};`;
const candidates: Record<string, { entry: string; css?: string; projectConfig?: boolean }> = {
  ours: { entry: ourEntry, projectConfig: true },
  "media-chrome basic audio set": {
    entry: ["media-controller", "media-control-bar", "media-play-button", "media-time-range", "media-time-display", "media-mute-button", "media-volume-range", "media-playback-rate-button", "media-seek-backward-button", "media-seek-forward-button"]
      .map((m) => `import "media-chrome/dist/${m}.js";`)
      .join("\n"),
  },
  Plyr: { entry: `import Plyr from "plyr"; window.Plyr = Plyr;`, css: "node_modules/plyr/dist/plyr.css" },
  "wavesurfer.js": { entry: `import WaveSurfer from "wavesurfer.js"; window.WaveSurfer = WaveSurfer;` },
};

/** For the note: the same without the project's build config, and the libraries alone. */
const parts: Record<string, { entry: string; projectConfig?: boolean }> = {
  "ours with Vite's defaults only": { entry: ourEntry },
  "<recording-player> alone": { entry: `export * from ${JSON.stringify(join(root, "components/recording-player/recording-player.ts"))};`, projectConfig: true },
  "Lit alone": { entry: `export * from "lit"; export * from "lit/decorators.js"; export * from "lit/directives/style-map.js";` },
  "idb alone": { entry: `export * from "idb";` },
};

async function gzippedSize(name: string, entry: string, css?: string, projectConfig = false): Promise<number> {
  const dir = join(work, name.replace(/\W+/g, "-"));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "entry.ts");
  writeFileSync(file, entry);
  await build({
    configFile: projectConfig ? join(root, "vite.config.ts") : false,
    root,
    logLevel: "silent",
    publicDir: false,
    build: {
      outDir: join(dir, "out"),
      emptyOutDir: true,
      target: "es2022",
      minify: true,
      modulePreload: false,
      sourcemap: false,
      // What a page loads always is the entry: what it imports on demand (our audio decoders) is a
      // chunk beside it, not counted here.
      rollupOptions: { input: file, preserveEntrySignatures: "allow-extension", output: { entryFileNames: "bundle.js", format: "es" } },
    },
  });
  let size = gzipSync(readFileSync(join(dir, "out/bundle.js")), { level: 9 }).length;
  if (css) size += gzipSync(readFileSync(join(root, css)), { level: 9 }).length;
  return size / 1024;
}

export async function bundleSize(log: (s: string) => void): Promise<Figure[]> {
  const sizes: Record<string, number> = {};
  for (const [name, { entry, css, projectConfig }] of Object.entries(candidates)) {
    sizes[name] = await gzippedSize(name, entry, css, projectConfig);
    log(`  ${name}: ${sizes[name]!.toFixed(1)} KB`);
  }
  const part: Record<string, number> = {};
  for (const [name, { entry, projectConfig }] of Object.entries(parts)) {
    part[name] = await gzippedSize(name, entry, undefined, projectConfig);
    log(`  ${name}: ${part[name]!.toFixed(1)} KB`);
  }
  rmSync(work, { recursive: true, force: true });
  const ours = sizes.ours!;
  const lit = part["Lit alone"]!;
  const idb = part["idb alone"]!;
  const player = part["<recording-player> alone"]!;
  const cause =
    `${(ours - 20).toFixed(1)} KB over. Of ${ours.toFixed(1)} KB, Lit (the parts we import) is ${lit.toFixed(1)} KB and idb ${idb.toFixed(1)} KB; ` +
    `<recording-player> alone, with them, is ${player.toFixed(1)} KB (every control and key, a sequence of segments, Media Session, retries and renewal of expired links, ` +
    `preferences and resume across page loads in IndexedDB, one player at a time across tabs, its styles), and <call-session-recordings> adds ${(ours - player).toFixed(1)} KB ` +
    `(the API client and the validation of its answers, the call's timeline and its accessible list, its styles). ` +
    `Minifying the templates' HTML and CSS took it from ${part["ours with Vite's defaults only"]!.toFixed(1)} KB. ` +
    `Under 20 KB would need ${Math.round((100 * (ours - 20)) / (ours - lit - idb))} % of the elements' own code gone: features cut, or loaded only when used`;
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
      note: i === 0 && ours >= 20 ? cause : undefined,
    }));
}
