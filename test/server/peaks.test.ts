/**
 * Issue 16, peaks from the server: each recording's `peaksUrl` answers audiowaveform's JSON,
 * computed from the recording's own decoded audio (checked here against samples decoded
 * independently), kept once computed, and refused to anyone who may not play the audio.
 */
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { serve, type ServerType } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import WaveformData from "waveform-data";
import { createApp } from "../../server/app.js";
import { linearToMulaw, sampleAt, type AudioSpec } from "../../server/audio.js";
import { openDatabase, type Db } from "../../server/db.js";
import { importDataset } from "../../server/import.js";
import { PeaksStore } from "../../server/peaks.js";
import { signingSecret, signQuery } from "../../server/signing.js";
import { decodeG722 } from "../../src/codecs/g722.js";
import { decodeGsm610 } from "../../src/codecs/gsm610.js";
import { InProcessClient } from "../support/in-process.js";
import { Client } from "../support/server.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/recordings/", import.meta.url));

interface Recording {
  id: string;
  contentType: string;
  durationSeconds: number;
  audioUrl: string;
  peaksUrl: string | null;
}

interface Peaks {
  version: number;
  channels: number;
  sample_rate: number;
  samples_per_pixel: number;
  bits: number;
  length: number;
  data: number[];
}

// ---- Independent decoding, from the definitions (not the server's code) ----

/** G.711 µ-law as the Recommendation defines it: ((2m + 33) << e) - 33, in 14 bits, then to 16. */
function mulaw(code: number): number {
  const u = ~code & 0xff;
  const magnitude = (((2 * (u & 0x0f) + 33) << ((u >> 4) & 7)) - 33) * 4;
  return u & 0x80 ? -magnitude : magnitude;
}

/** G.711 A-law: even bits inverted, (2m + 1) for the first segment, else (2m + 33) << (e - 1), in 13 bits, then to 16. */
function alaw(code: number): number {
  const a = code ^ 0x55;
  const m = a & 0x0f;
  const e = (a >> 4) & 7;
  const magnitude = (e === 0 ? 2 * m + 1 : (2 * m + 33) << (e - 1)) * 8;
  return a & 0x80 ? magnitude : -magnitude;
}

/** The `data` chunk of a WAV file, and its `fmt ` fields. */
function wavData(bytes: Buffer): { data: Buffer; channels: number; rate: number; bits: number; tag: number; fact: number | null } {
  let at = 12;
  let fmt: { channels: number; rate: number; bits: number; tag: number } | null = null;
  let fact: number | null = null;
  while (at + 8 <= bytes.length) {
    const id = bytes.toString("ascii", at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    if (id === "fmt ") fmt = { tag: bytes.readUInt16LE(at + 8), channels: bytes.readUInt16LE(at + 10), rate: bytes.readUInt32LE(at + 12), bits: bytes.readUInt16LE(at + 22) };
    if (id === "fact") fact = bytes.readUInt32LE(at + 8);
    if (id === "data") return { ...fmt!, fact, data: bytes.subarray(at + 8, Math.min(bytes.length, at + 8 + size)) };
    at += 8 + size + (size & 1);
  }
  throw new Error("no data chunk");
}

/** Min and max of each pixel's span, per channel, to 8 bits as audiowaveform does (>> 8). */
function expectedPeaks(samples: ArrayLike<number>, channels: number, perPixel: number): number[] {
  const out: number[] = [];
  const frames = Math.floor(samples.length / channels);
  for (let start = 0; start < frames; start += perPixel) {
    for (let c = 0; c < channels; c++) {
      let min = Infinity;
      let max = -Infinity;
      for (let f = start; f < Math.min(frames, start + perPixel); f++) {
        const s = samples[f * channels + c]!;
        min = Math.min(min, s);
        max = Math.max(max, s);
      }
      out.push(Math.floor(min / 256), Math.floor(max / 256));
    }
  }
  return out;
}

/** A two-channel 16-bit WAV: the agent speaks 0-2 s, the caller 2-3 s, then 3 s of silence. */
function turnsWav(): Buffer {
  const rate = 8000;
  const frames = rate * 6;
  const out = Buffer.alloc(44 + frames * 4);
  out.write("RIFF", 0, "ascii");
  out.writeUInt32LE(36 + frames * 4, 4);
  out.write("WAVEfmt ", 8, "ascii");
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(2, 22);
  out.writeUInt32LE(rate, 24);
  out.writeUInt32LE(rate * 4, 28);
  out.writeUInt16LE(4, 32);
  out.writeUInt16LE(16, 34);
  out.write("data", 36, "ascii");
  out.writeUInt32LE(frames * 4, 40);
  for (let n = 0; n < frames; n++) {
    const t = n / rate;
    const left = t < 2 ? Math.round(16000 * Math.sin(2 * Math.PI * 180 * t)) : 0;
    const right = t >= 2 && t < 3 ? Math.round(12000 * Math.sin(2 * Math.PI * 240 * t)) : 0;
    out.writeInt16LE(left, 44 + n * 4);
    out.writeInt16LE(right, 46 + n * 4);
  }
  return out;
}

// ---- The server ----

const FILES = ["call-gsm.wav", "call.gsm", "call-g722.wav", "call-mulaw.wav", "call-alaw.wav", "call-stereo.wav", "call.mp3", "call.amr"];
let dir: string;
let db: Db;
let store: PeaksStore;
let server: ServerType;
let base: string;

function dataset() {
  const call = (id: string, minute: number, seconds: number, device: string, extra: Record<string, unknown> = {}) => ({
    id,
    start: `2026-11-20T09:${String(minute).padStart(2, "0")}:00Z`,
    direction: "inbound",
    from: "+441632960001",
    to: "+441632960100",
    segments: [{ start: `2026-11-20T09:${String(minute).padStart(2, "0")}:00Z`, end: `2026-11-20T09:${String(minute).padStart(2, "0")}:${String(seconds).padStart(2, "0")}Z`, device, ...extra }],
  });
  const twoChannels = { channels: [{ party: "agent" }, { party: "caller" }] };
  return {
    customer: { name: "Example Ltd", recording: "on" },
    groups: [],
    users: [
      { id: "alice", name: "Alice Jones", password: "alice-pass", playback: "own" },
      { id: "bob", name: "Bob Smith", password: "bob-pass", playback: "own" },
    ],
    devices: [
      { id: "ext-201", name: "Extension 201", user: "alice" },
      { id: "ext-202", name: "Extension 202", user: "bob" },
    ],
    calls: [
      call("c-gen-1", 1, 40, "ext-201"),
      call("c-gen-2", 2, 40, "ext-201"),
      call("c-gen-3", 3, 40, "ext-201"),
      call("c-bob", 4, 20, "ext-202"),
      ...FILES.map((file, i) => call(`c-${file}`, 10 + i, 6, "ext-201", { file, ...(file === "call-stereo.wav" ? twoChannels : {}) })),
      call("c-turns", 30, 6, "ext-201", { file: "turns.wav", ...twoChannels }),
      // Asked for by the cache's test alone.
      call("c-cache", 31, 6, "ext-201", { file: "call-g722.wav" }),
    ],
  };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "crec-peaks-"));
  for (const name of FILES) copyFileSync(join(FIXTURES, name), join(dir, name));
  writeFileSync(join(dir, "turns.wav"), turnsWav());
  db = openDatabase(join(dir, "peaks.sqlite"));
  await importDataset(db, dataset(), "peaks.json", "", { recordingsDir: dir });
  store = new PeaksStore(db);
  const app = createApp({ db, peaks: store });
  server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
    s.once("error", reject);
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise<void>((resolve) => {
    if ("closeAllConnections" in server) server.closeAllConnections();
    server.close(() => resolve());
  });
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function signedIn(user: string): Promise<Client> {
  const client = new Client(base);
  assert.equal((await client.signIn(user)).status, 200);
  return client;
}

async function recordingOf(client: Client, callId: string): Promise<Recording> {
  const { status, body } = await client.json<{ recordings: Recording[] }>(`/api/calls/${encodeURIComponent(callId)}`);
  assert.equal(status, 200, callId);
  assert.equal(body.recordings.length, 1, callId);
  return body.recordings[0]!;
}

async function peaksAt(url: string, headers: Record<string, string> = {}): Promise<{ res: Response; peaks: Peaks }> {
  const res = await fetch(url, { headers });
  assert.equal(res.status, 200, `${url}: ${res.status}`);
  return { res, peaks: (await res.json()) as Peaks };
}

/** Fields of the format, and that waveform-data reads it as a recording of `seconds`. */
function checkFormat(peaks: Peaks, channels: number, seconds: number): void {
  assert.equal(peaks.version, 2);
  assert.equal(peaks.bits, 8);
  assert.equal(peaks.channels, channels);
  assert.equal(peaks.data.length, peaks.length * 2 * channels);
  assert.ok(peaks.data.every((v) => Number.isInteger(v) && v >= -128 && v <= 127));
  const waveform = WaveformData.create(peaks);
  assert.equal(waveform.channels, channels);
  assert.ok(Math.abs(waveform.duration - seconds) <= peaks.samples_per_pixel / peaks.sample_rate, `duration ${waveform.duration} for ${seconds} s`);
  for (let c = 0; c < channels; c++) {
    assert.deepEqual(waveform.channel(c).min_array(), peaks.data.filter((_, i) => i % (2 * channels) === 2 * c));
    assert.deepEqual(waveform.channel(c).max_array(), peaks.data.filter((_, i) => i % (2 * channels) === 2 * c + 1));
  }
}

describe("peaks: what they hold", () => {
  test("each file-backed recording's peaks are the min and max of its decoded samples, per pixel", async () => {
    const alice = await signedIn("alice");
    const bytes = (name: string) => readFileSync(join(FIXTURES, name));
    const cases: { file: string; channels: number; rate: number; samples: () => Int16Array | number[] }[] = [
      { file: "call-gsm.wav", channels: 1, rate: 8000, samples: () => { const w = wavData(bytes("call-gsm.wav")); return decodeGsm610(w.data, "wav49").subarray(0, w.fact ?? Infinity); } },
      { file: "call.gsm", channels: 1, rate: 8000, samples: () => decodeGsm610(bytes("call.gsm"), "raw") },
      { file: "call-g722.wav", channels: 1, rate: 16000, samples: () => decodeG722(wavData(bytes("call-g722.wav")).data) },
      { file: "call-mulaw.wav", channels: 1, rate: 8000, samples: () => [...wavData(bytes("call-mulaw.wav")).data].map(mulaw) },
      { file: "call-alaw.wav", channels: 1, rate: 8000, samples: () => [...wavData(bytes("call-alaw.wav")).data].map(alaw) },
      { file: "call-stereo.wav", channels: 2, rate: 8000, samples: () => { const d = wavData(bytes("call-stereo.wav")).data; return new Int16Array(d.buffer, d.byteOffset, d.length / 2); } },
    ];
    for (const { file, channels, rate, samples } of cases) {
      const recording = await recordingOf(alice, `c-${file}`);
      assert.ok(recording.peaksUrl, `${file}: has a peaksUrl`);
      assert.match(recording.peaksUrl, new RegExp(`^${base}/api/recordings/${recording.id}/peaks\\?u=alice&exp=\\d+&sig=`));
      const { peaks } = await peaksAt(recording.peaksUrl);
      assert.equal(peaks.sample_rate, rate, file);
      // Six seconds: 20 pixels a second.
      assert.equal(peaks.samples_per_pixel, rate / 20, file);
      checkFormat(peaks, channels, recording.durationSeconds);
      assert.deepEqual(peaks.data, expectedPeaks(samples(), channels, peaks.samples_per_pixel), file);
      // Speech is there: some pixels well away from zero.
      assert.ok(peaks.data.some((v) => Math.abs(v) > 20), `${file}: speech shows`);
    }
  });

  test("a two-channel recording shows each party on its own channel, and a silent span is 0", async () => {
    const alice = await signedIn("alice");
    const recording = await recordingOf(alice, "c-turns");
    const { peaks } = await peaksAt(recording.peaksUrl!);
    checkFormat(peaks, 2, 6);
    const samples = wavData(turnsWav()).data;
    assert.deepEqual(peaks.data, expectedPeaks(new Int16Array(samples.buffer, samples.byteOffset, samples.length / 2), 2, peaks.samples_per_pixel));
    const waveform = WaveformData.create(peaks);
    const level = (channel: number, from: number, to: number) => {
      const ch = waveform.channel(channel);
      let peak = 0;
      for (let i = waveform.at_time(from); i < waveform.at_time(to); i++) peak = Math.max(peak, ch.max_sample(i), -ch.min_sample(i));
      return peak;
    };
    assert.ok(level(0, 0, 2) > 50 && level(1, 0, 2) === 0, "the agent speaks first, the caller is silent");
    assert.ok(level(0, 2, 3) === 0 && level(1, 2, 3) > 40, "then the caller speaks alone");
    assert.equal(Math.max(level(0, 3, 6), level(1, 3, 6)), 0, "then both are silent");
  });

  test("generated audio's peaks are its samples, with turns and silences over 2 s", async () => {
    const alice = await signedIn("alice");
    const formats = new Set<string>();
    for (const callId of ["c-gen-1", "c-gen-2", "c-gen-3"]) {
      const recording = await recordingOf(alice, callId);
      const spec = db.prepare("SELECT format, samples, seed, voice FROM recordings WHERE id = ?").get(recording.id) as AudioSpec;
      formats.add(spec.format);
      const { peaks } = await peaksAt(recording.peaksUrl!);
      checkFormat(peaks, 1, 40);
      assert.equal(peaks.sample_rate, 8000);
      const samples = Array.from({ length: spec.samples }, (_, n) => {
        const linear = Math.max(-32768, Math.min(32767, Math.round(sampleAt(spec, n) * 32767)));
        return spec.format === "mulaw" ? mulaw(linearToMulaw(linear)) : linear;
      });
      assert.deepEqual(peaks.data, expectedPeaks(samples, 1, peaks.samples_per_pixel), callId);
      // Silences a skip would skip: runs of quiet pixels over 2 s.
      const perSecond = peaks.sample_rate / peaks.samples_per_pixel;
      let run = 0;
      let longest = 0;
      for (let i = 0; i < peaks.length; i++) {
        run = Math.max(peaks.data[2 * i + 1]!, -peaks.data[2 * i]!) <= 1 ? run + 1 : 0;
        longest = Math.max(longest, run);
      }
      assert.ok(longest / perSecond > 2, `${callId}: its longest silence is ${longest / perSecond} s`);
      assert.ok(peaks.data.some((v) => v > 60), `${callId}: speech shows`);
    }
    assert.deepEqual([...formats].sort(), ["mulaw", "pcm16"]);
  });

  test("formats the server does not decode (MP3, AMR) have no peaksUrl", async () => {
    const alice = await signedIn("alice");
    for (const file of ["call.mp3", "call.amr"]) {
      const recording = await recordingOf(alice, `c-${file}`);
      assert.equal(recording.peaksUrl, null, file);
      assert.ok(recording.audioUrl);
    }
  });
});

describe("peaks: what is said when there are none", () => {
  test("a format without peaks, and a file gone from the archive, are answered with what is wrong", async () => {
    const alice = await signedIn("alice");
    const secret = signingSecret(db);
    const errorOf = async (url: string) => {
      const res = await fetch(url);
      return { status: res.status, error: ((await res.json()) as { error: string }).error };
    };
    // No peaksUrl is given for an MP3; one signed anyway says why there are none.
    const mp3 = await recordingOf(alice, "c-call.mp3");
    assert.deepEqual(await errorOf(`${base}/api/recordings/${mp3.id}/peaks?${signQuery(secret, "peaks", mp3.id, "alice")}`), {
      status: 404,
      error: "this recording is in MP3, which the server does not decode: it has no peaks",
    });
    // A file removed since the import.
    const gone = await recordingOf(alice, "c-call.gsm");
    rmSync(join(dir, "call.gsm"));
    try {
      assert.deepEqual(await errorOf(gone.peaksUrl!), { status: 404, error: "the recording's file is missing on the server" });
    } finally {
      copyFileSync(join(FIXTURES, "call.gsm"), join(dir, "call.gsm"));
    }
  });
});

describe("peaks: computed once, kept, served as the audio is", () => {
  test("the second answer comes from the store, compressed as the client accepts", async () => {
    const alice = await signedIn("alice");
    const recording = await recordingOf(alice, "c-cache");
    const stored = () => db.prepare("SELECT source, json FROM recording_peaks WHERE recording_id = ?").get(recording.id) as { source: string; json: Buffer } | undefined;
    // Two clients at once on peaks never computed: one computation.
    const before = store.computations;
    const [first, second] = await Promise.all([peaksAt(recording.peaksUrl!), peaksAt(recording.peaksUrl!)]);
    assert.equal(store.computations, before + 1);
    assert.deepEqual(first.peaks, second.peaks);
    assert.ok(stored(), "the store holds them");
    assert.deepEqual(JSON.parse(stored()!.json.toString()), first.peaks);
    // Asked again: answered from the store, not computed.
    const again = await peaksAt(recording.peaksUrl!);
    assert.equal(store.computations, before + 1);
    assert.deepEqual(again.peaks, first.peaks);

    // Over the wire: gzip when that is what the client takes, and never kept by the browser.
    const raw = await new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
      const req = httpRequest(recording.peaksUrl!, { headers: { "accept-encoding": "gzip" } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on("error", reject);
      req.end();
    });
    assert.equal(raw.headers["content-encoding"], "gzip");
    assert.equal(raw.headers["content-type"], "application/json");
    assert.match(String(raw.headers["cache-control"]), /private.*no-store/);
    assert.match(String(raw.headers.vary), /accept-encoding/i);
    assert.deepEqual(JSON.parse(gunzipSync(raw.body).toString()), first.peaks);
    assert.equal(store.computations, before + 1);
  });

  test("a file changed since is computed again; one unchanged is not", async () => {
    const alice = await signedIn("alice");
    const recording = await recordingOf(alice, "c-call-alaw.wav");
    const { peaks: before } = await peaksAt(recording.peaksUrl!);
    const computed = store.computations;
    await peaksAt(recording.peaksUrl!);
    assert.equal(store.computations, computed);
    // The archive's file is replaced (by the µ-law one: the same call, other bytes).
    copyFileSync(join(FIXTURES, "call-mulaw.wav"), join(dir, "call-alaw.wav"));
    const { peaks: after } = await peaksAt(recording.peaksUrl!);
    assert.equal(store.computations, computed + 1);
    assert.notDeepEqual(after.data, before.data);
    const mulawData = wavData(readFileSync(join(FIXTURES, "call-mulaw.wav"))).data;
    assert.deepEqual(after.data, expectedPeaks([...mulawData].map(mulaw), 1, after.samples_per_pixel));
  });
});

describe("peaks: where they are computed", () => {
  test("in the server's own thread (where no worker can start) they are the same as the worker's", async () => {
    const alice = await signedIn("alice");
    const inThread = new PeaksStore(db, { inThread: true });
    for (const callId of ["c-call.gsm", "c-turns", "c-gen-1"]) {
      const recording = await recordingOf(alice, callId);
      const { peaks } = await peaksAt(recording.peaksUrl!);
      const spec = db.prepare("SELECT r.format, r.samples, r.seed, r.voice, f.path AS file FROM recordings r LEFT JOIN recording_files f ON f.recording_id = r.id WHERE r.id = ?").get(recording.id) as AudioSpec & { file: string | null };
      db.prepare("DELETE FROM recording_peaks WHERE recording_id = ?").run(recording.id);
      const computed = await inThread.peaksOf(recording.id, spec);
      assert.equal(inThread.computations > 0, true);
      assert.deepEqual(JSON.parse(computed.json.toString()), peaks, callId);
    }
  });
  test("a server closed while its peaks are computed still answers whoever waits, and nothing breaks", async () => {
    const data = dataset();
    const own = openDatabase(":memory:");
    await importDataset(own, { ...data, calls: data.calls.filter((c) => c.id === "c-gen-1") }, "closing.json");
    const spec = own.prepare("SELECT r.id, r.format, r.samples, r.seed, r.voice, NULL AS file FROM recordings r").get() as AudioSpec & { id: string; file: null };
    const closing = new PeaksStore(own, { inThread: true });
    const pending = closing.peaksOf(spec.id, spec);
    own.close();
    const answered = await pending;
    assert.equal(JSON.parse(answered.json.toString()).version, 2);
  });
});

describe("peaks: under the audio's permission", () => {
  test("only signed, unexpired URLs of a user who may play the recording are answered", async () => {
    const alice = await signedIn("alice");
    const bob = await signedIn("bob");
    const recording = await recordingOf(alice, "c-call-gsm.wav");
    const url = new URL(recording.peaksUrl!);
    const errorOf = async (href: string) => {
      const res = await fetch(href);
      return { status: res.status, error: ((await res.json()) as { error: string }).error };
    };

    // Bob may not play Alice's call: it is not listed to him, so he gets no peaksUrl for it.
    assert.equal((await bob.fetch(`/api/calls/c-call-gsm.wav`).then((r) => r.json()) as { recordings: Recording[] }).recordings.length, 0);
    // Alice's URL made out to Bob: the signature no longer matches.
    const asBob = new URL(url);
    asBob.searchParams.set("u", "bob");
    assert.deepEqual(await errorOf(asBob.href), { status: 403, error: "this link's signature is not valid" });
    // A URL truly signed for Bob (as if stolen from the server): his permission is checked.
    const secret = signingSecret(db);
    const forBob = `${base}/api/recordings/${recording.id}/peaks?${signQuery(secret, "peaks", recording.id, "bob")}`;
    assert.deepEqual(await errorOf(forBob), { status: 404, error: "no such recording" });
    // Tampered, unsigned, expired, or signed for the audio rather than the peaks.
    const tampered = new URL(url);
    tampered.searchParams.set("sig", `${url.searchParams.get("sig")!.slice(0, -2)}AA`);
    assert.deepEqual(await errorOf(tampered.href), { status: 403, error: "this link's signature is not valid" });
    assert.deepEqual(await errorOf(`${base}${url.pathname}`), { status: 403, error: "this link is not signed" });
    const expired = `${base}${url.pathname}?${signQuery(secret, "peaks", recording.id, "alice", Date.now() - 16 * 60 * 1000)}`;
    assert.deepEqual(await errorOf(expired), { status: 403, error: "this link has expired; reload the call to get a new one" });
    const audioSigned = new URL(recording.audioUrl);
    assert.deepEqual(await errorOf(`${base}${url.pathname}${audioSigned.search}`), { status: 403, error: "this link's signature is not valid" });
    // The real URL works, until Alice may no longer play back anything.
    assert.equal((await fetch(url)).status, 200);
    db.prepare("UPDATE users SET playback = 'none' WHERE id = 'alice'").run();
    try {
      assert.deepEqual(await errorOf(url.href), { status: 404, error: "no such recording" });
    } finally {
      db.prepare("UPDATE users SET playback = 'own' WHERE id = 'alice'").run();
    }
  });
});

describe("peaks: across a re-import", () => {
  test("a recording the file still has keeps its peaks; one it no longer has loses them", async () => {
    const data = dataset();
    const generated = { ...data, calls: data.calls.filter((c) => c.id === "c-gen-1" || c.id === "c-bob") };
    const own = openDatabase(":memory:");
    try {
      await importDataset(own, generated, "first.json");
      const ownStore = new PeaksStore(own);
      const app = createApp({ db: own, peaks: ownStore });
      const peaksOf = async (user: string, callId: string) => {
        const client = new InProcessClient(app);
        await client.signIn(user);
        const call = (await (await client.fetch(`/api/calls/${callId}`)).json()) as { recordings: Recording[] };
        const url = new URL(call.recordings[0]!.peaksUrl!);
        const res = await client.fetch(`${url.pathname}${url.search}`);
        assert.equal(res.status, 200);
        return { id: call.recordings[0]!.id, peaks: (await res.json()) as Peaks };
      };
      const kept = await peaksOf("alice", "c-gen-1");
      const dropped = await peaksOf("bob", "c-bob");
      assert.equal(ownStore.computations, 2);

      await importDataset(own, { ...generated, calls: generated.calls.filter((c) => c.id === "c-gen-1") }, "second.json", "changed");
      const rows = (own.prepare("SELECT recording_id FROM recording_peaks ORDER BY recording_id").all() as { recording_id: string }[]).map((r) => r.recording_id);
      assert.deepEqual(rows, [kept.id], `the dropped recording ${dropped.id} has no peaks left`);
      const again = await peaksOf("alice", "c-gen-1");
      assert.equal(again.id, kept.id);
      assert.deepEqual(again.peaks, kept.peaks);
      assert.equal(ownStore.computations, 2, "not computed again");
    } finally {
      own.close();
    }
  });
});
