/**
 * Peaks (issue 16) over real HTTP against the real server: the bytes of a 2-hour recording's
 * peaks over the wire, the time to serve them once kept, and how long other requests wait while
 * they are first computed. One generated 2-hour recording (the demo's audio) and one 2-hour
 * two-channel µ-law WAV on disk (the fixture call's speech on each party's channel in turn).
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { createApp } from "../server/app.js";
import { openDatabase } from "../server/db.js";
import { importDataset } from "../server/import.js";
import { PeaksStore } from "../server/peaks.js";
import { Client } from "../test/support/server.js";
import { median, quantile, type Figure } from "./report.js";

const root = resolve(import.meta.dirname, "..");
const ROUNDS = Number(process.env.BENCH_PEAKS_ROUNDS ?? 50);
const HOURS = 2;

/** A two-channel µ-law WAV of `hours`: the fixture call on the left, then on the right, in turn. */
function writeTwoChannel(path: string, hours: number): void {
  const mono = readFileSync(join(root, "test/fixtures/recordings/call-mulaw.wav"));
  const at = mono.indexOf("data", 12, "ascii");
  const speech = mono.subarray(at + 8, at + 8 + mono.readUInt32LE(at + 4));
  const silence = 0xff; // µ-law zero
  const turn = (left: boolean) => {
    const out = Buffer.alloc(speech.length * 2, silence);
    for (let i = 0; i < speech.length; i++) out[2 * i + (left ? 0 : 1)] = speech[i]!;
    return out;
  };
  const pair = Buffer.concat([turn(true), turn(false)]);
  const times = Math.ceil((hours * 3600 * 8000 * 2) / pair.length);
  const dataBytes = pair.length * times;
  const header = Buffer.alloc(58);
  header.write("RIFF", 0, "ascii");
  header.writeUInt32LE(50 + dataBytes, 4);
  header.write("WAVEfmt ", 8, "ascii");
  header.writeUInt32LE(18, 16);
  header.writeUInt16LE(7, 20); // µ-law
  header.writeUInt16LE(2, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(16000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(8, 34);
  header.writeUInt16LE(0, 36);
  header.write("fact", 38, "ascii");
  header.writeUInt32LE(4, 42);
  header.writeUInt32LE(dataBytes / 2, 46);
  header.write("data", 50, "ascii");
  header.writeUInt32LE(dataBytes, 54);
  const fd = openSync(path, "w");
  try {
    writeSync(fd, header);
    const block = Buffer.concat(Array<Buffer>(50).fill(pair));
    for (let left = times; left > 0; left -= 50) writeSync(fd, left >= 50 ? block : block.subarray(0, pair.length * left));
  } finally {
    closeSync(fd);
  }
}

function dataset() {
  const start = "2026-12-01T09:00:00Z";
  const end = new Date(Date.parse(start) + HOURS * 3_600_000).toISOString();
  const call = (id: string, extra: Record<string, unknown>) => ({
    id,
    start,
    direction: "inbound",
    from: "+441632960001",
    to: "+441632960100",
    segments: [{ start, end, device: "ext-1", ...extra }],
  });
  return {
    customer: { name: "Bench Ltd", recording: "on" },
    groups: [],
    users: [{ id: "u1", name: "Bench User", password: "u1-pass", playback: "all" }],
    devices: [{ id: "ext-1", name: "Extension 1", user: "u1" }],
    calls: [call("generated-2h", {}), call("stereo-2h", { file: "stereo-2h.wav", channels: [{ party: "agent" }, { party: "caller" }] })],
  };
}

/** GET over node:http, counting the bytes that cross the wire (no decompression). */
function wireGet(url: string, acceptEncoding: string): Promise<{ status: number; encoding: string | undefined; bytes: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const req = request(url, { headers: { "accept-encoding": acceptEncoding } }, (res) => {
      let bytes = 0;
      res.on("data", (c: Buffer) => (bytes += c.length));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, encoding: res.headers["content-encoding"], bytes, ms: performance.now() - t }));
    });
    req.on("error", reject);
    req.end();
  });
}

export async function peaks(log: (s: string) => void): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), "crec-bench-peaks-"));
  writeTwoChannel(join(dir, "stereo-2h.wav"), HOURS);
  const db = openDatabase(join(dir, "bench.sqlite"));
  await importDataset(db, dataset(), "peaks bench", "", { recordingsDir: dir });
  const store = new PeaksStore(db);
  const app = createApp({ db, peaks: store });
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
    s.once("error", reject);
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const figures: Figure[] = [];
  try {
    const client = new Client(base);
    await client.signIn("u1");
    const peaksUrl = async (callId: string) => {
      const call = (await (await client.fetch(`/api/calls/${callId}`)).json()) as { recordings: { peaksUrl: string | null }[] };
      const url = call.recordings[0]?.peaksUrl;
      if (!url) throw new Error(`${callId}: no peaksUrl`);
      return url;
    };

    // What the same requests wait with nothing computed, for as many as ran during a computation below.
    const idle: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const t = performance.now();
      await (await client.fetch("/api/me")).arrayBuffer();
      idle.push(performance.now() - t);
    }
    log(`  with nothing computed: ${idle.length} requests, median ${median(idle).toFixed(2)} ms, longest ${Math.max(...idle).toFixed(0)} ms`);

    for (const [callId, label] of [["generated-2h", "a 2-hour recording (generated speech, 8 kHz mono)"], ["stereo-2h", "a 2-hour two-channel µ-law WAV file"]] as const) {
      const url = await peaksUrl(callId);
      // The first request computes them; meanwhile another client asks for something small, again and again.
      let computing = true;
      const waits: number[] = [];
      const pinger = (async () => {
        while (computing) {
          const t = performance.now();
          await (await client.fetch("/api/me")).arrayBuffer();
          waits.push(performance.now() - t);
        }
      })();
      const first = await wireGet(url, "gzip, deflate");
      computing = false;
      await pinger;
      if (first.status !== 200) throw new Error(`${callId}: peaks answered ${first.status}`);
      log(`  ${callId}: computed in ${(first.ms / 1000).toFixed(1)} s; ${waits.length} other requests meanwhile, longest ${Math.max(...waits).toFixed(0)} ms`);
      const identity = await wireGet(url, "identity");
      const br = await wireGet(url, "gzip, deflate, br");
      figures.push({
        name: `peaks of ${label} over the wire, gzip (as Chromium asks over http:); br: ${(br.bytes / 1024).toFixed(1)} KB`,
        value: Math.round((first.bytes / 1024) * 10) / 10,
        unit: "KB",
        anchor: { name: "the same JSON uncompressed", value: Math.round((identity.bytes / 1024) * 10) / 10 },
        ratio: first.bytes / identity.bytes,
        target: "under 100 KB",
        met: first.bytes < 100 * 1024 && first.encoding === "gzip",
      });
      const p99 = quantile(waits, 0.99);
      const idleP99 = quantile(idle, 0.99);
      figures.push({
        name: `99th percentile wait of another request (GET /api/me, ${waits.length} in a row; median ${median(waits).toFixed(2)} ms, longest ${Math.max(...waits).toFixed(0)} ms) while the peaks of ${label} are first computed (${(first.ms / 1000).toFixed(1)} s)`,
        value: Math.round(p99 * 100) / 100,
        unit: "ms",
        anchor: { name: `the same requests with nothing computed (median ${median(idle).toFixed(2)} ms, longest ${Math.max(...idle).toFixed(0)} ms)`, value: Math.round(idleP99 * 100) / 100 },
        ratio: p99 / idleP99,
        target: "under 100 ms",
        met: p99 < 100,
      });
      // Kept: served from the store.
      const before = store.computations;
      const times: number[] = [];
      for (let i = 0; i < ROUNDS; i++) times.push((await wireGet(url, "gzip, deflate")).ms);
      if (store.computations !== before) throw new Error(`${callId}: peaks computed again`);
      figures.push({
        name: `serving the kept peaks of ${label}, gzip, over HTTP (median of ${ROUNDS}; p95 ${quantile(times, 0.95).toFixed(1)} ms)`,
        value: Math.round(median(times) * 100) / 100,
        unit: "ms",
        target: "under 50 ms",
        met: median(times) < 50,
      });
    }
  } finally {
    await new Promise<void>((resolve) => {
      if ("closeAllConnections" in server) server.closeAllConnections();
      server.close(() => resolve());
    });
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}
