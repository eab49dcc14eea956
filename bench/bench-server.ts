/**
 * The reference reporting server for the browser benchmarks, run as a child process of
 * `npm run bench` (so that serving audio never waits on the process that drives the browser):
 * the real app (`createApp`, the JSON API, range-served generated audio, the legacy pages,
 * `/embed-demo` and the built components) on a free port, with a generated dataset, plus a few
 * pages of the benchmark's own under `/__bench/` on the same origin (the anchors: a bare
 * `<audio>` element and wavesurfer.js, which fetches the audio and so must be same-origin).
 *
 *   tsx bench/bench-server.ts --calls N --db PATH
 *
 * Prints one line of JSON, `{"url": ...}`, once it listens; stops on SIGTERM.
 */
import { serve } from "@hono/node-server";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { createApp } from "../server/app.js";
import { openDatabase } from "../server/db.js";
import { importDataset } from "../server/import.js";
import { benchDataset } from "./bench-dataset.js";

const root = resolve(import.meta.dirname, "..");
const { values } = parseArgs({ options: { calls: { type: "string" }, db: { type: "string" } }, strict: true });
const db = openDatabase(values.db ?? ":memory:");
await importDataset(db, benchDataset(Number(values.calls ?? 10_000)), "bench dataset");
const app = createApp({ db, componentsDir: resolve(root, "dist/components") });

/** A bare page: a strip standing for the recording's timeline, and what the anchor needs. */
const page = (title: string, head: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font:15px system-ui,sans-serif;margin:2rem}#timeline{width:600px;height:32px;background:#c7d2fe;cursor:pointer}#waveform{width:600px}</style>
${head}</head><body><h1>${title}</h1><div id="timeline" role="presentation"></div>${body}</body></html>`;

/**
 * The anchors. Each plays `src` (the same signed URL our player gets) when its timeline strip is
 * clicked, from the point clicked, the way a page would with that player; the first click loads
 * it (nothing of it is fetched before), later clicks seek:
 * - bare: an `<audio>` element; set `src` (once), `currentTime`, `play()`.
 * - wavesurfer: wavesurfer.js 8 with its defaults (it fetches the whole file, decodes it and
 *   draws its waveform before it can play); `load(src)` (once), `setTime()`, `play()`.
 */
const SCRIPTS: Record<string, string> = {
  bare: `
const q = new URLSearchParams(location.search);
const audio = document.querySelector("audio");
const src = q.get("src");
const duration = Number(q.get("duration"));
document.getElementById("timeline").addEventListener("click", (e) => {
  if (audio.getAttribute("src") !== src) audio.src = src;
  audio.currentTime = (e.offsetX / e.currentTarget.clientWidth) * duration;
  audio.play();
});
window.benchReady = true;`,
  wavesurfer: `
import WaveSurfer from "/__bench/wavesurfer.esm.js";
const q = new URLSearchParams(location.search);
const src = q.get("src");
const ws = WaveSurfer.create({ container: "#waveform" });
let loaded = null;
document.getElementById("timeline").addEventListener("click", async (e) => {
  const fraction = e.offsetX / e.currentTarget.clientWidth;
  await (loaded ??= ws.load(src));
  ws.setTime(fraction * ws.getDuration());
  await ws.play();
});
window.benchReady = true;`,
};

const benchPages: Record<string, () => Response> = {
  "/__bench/bare": () => html(page("Bare audio element", "", `<audio preload="metadata"></audio><script type="module">${SCRIPTS.bare}</script>`)),
  "/__bench/wavesurfer": () => html(page("wavesurfer.js", "", `<div id="waveform"></div><script type="module">${SCRIPTS.wavesurfer}</script>`)),
  "/__bench/blank": () => html(page("Blank", "", "")),
  "/__bench/wavesurfer.esm.js": () =>
    new Response(readFileSync(resolve(root, "node_modules/wavesurfer.js/dist/wavesurfer.esm.js")), { headers: { "content-type": "text/javascript; charset=utf-8" } }),
};

function html(body: string): Response {
  return new Response(body, { headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
}

const server = serve(
  {
    fetch: (request: Request) => {
      const bench = benchPages[new URL(request.url).pathname];
      return bench ? bench() : app.fetch(request);
    },
    port: 0,
    hostname: "127.0.0.1",
  },
  () => {
    const { port } = server.address() as AddressInfo;
    console.log(JSON.stringify({ url: `http://127.0.0.1:${port}` }));
  },
);

process.on("SIGTERM", () => {
  if ("closeAllConnections" in server) server.closeAllConnections();
  server.close(() => {
    db.close();
    process.exit(0);
  });
});
