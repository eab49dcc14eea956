/**
 * Issue 13, point 1: recordings kept as files. A dataset names a file per recording, relative
 * to the recordings folder; the import checks every one (refusing the whole dataset, each bad
 * file named); the audio is served from disk with ranges, typed by its header, not its name.
 */
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, ftruncateSync, closeSync, writeSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createApp } from "../../server/app.js";
import { openDatabase, type Db } from "../../server/db.js";
import { DatasetError, importDataset, readDatasetFile } from "../../server/import.js";
import { InProcessClient } from "../support/in-process.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/recordings/", import.meta.url));
const fixture = (name: string) => readFileSync(join(FIXTURES, name));

interface Recording {
  id: string;
  durationSeconds: number;
  contentType: string;
  audioUrl: string;
  downloadUrl: string;
}

/** A dataset of one user and one call per file, each a single recorded segment of 6 s naming it. */
function datasetOf(files: (string | null)[]): { dataset: Record<string, unknown>; callIds: string[] } {
  const callIds = files.map((_, i) => `c-${i + 1}`);
  return {
    callIds,
    dataset: {
      customer: { name: "Example Ltd", recording: "on" },
      groups: [],
      users: [{ id: "alice", name: "Alice Jones", password: "alice-pass", playback: "own" }],
      devices: [{ id: "ext-201", name: "Extension 201", user: "alice" }],
      calls: files.map((file, i) => ({
        id: callIds[i],
        start: `2026-11-20T09:${String(10 + i).padStart(2, "0")}:00Z`,
        direction: "inbound",
        from: "+441632960001",
        to: "+441632960100",
        segments: [{ start: `2026-11-20T09:${String(10 + i).padStart(2, "0")}:02Z`, end: `2026-11-20T09:${String(10 + i).padStart(2, "0")}:08Z`, device: "ext-201", ...(file ? { file } : {}) }],
      })),
    },
  };
}

const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), "crec-files-"));
  for (const name of ["call-gsm.wav", "call.gsm", "call-g722.wav", "call-mulaw.wav", "call-alaw.wav", "call.mp3", "call.amr"]) copyFileSync(join(FIXTURES, name), join(dir, name));
  mkdirSync(join(dir, "2026", "11"), { recursive: true });
  copyFileSync(join(FIXTURES, "call-gsm.wav"), join(dir, "2026", "11", "nested.wav"));
  // Mislabelled: the names say one thing, the bytes another.
  copyFileSync(join(FIXTURES, "call.mp3"), join(dir, "really-mp3.wav"));
  copyFileSync(join(FIXTURES, "call-gsm.wav"), join(dir, "really-wav.mp3"));
  writeFileSync(join(dir, "notes.wav"), "These are the notes of the call, not its audio.\n");
  // Truncated: within the header, and within the audio data.
  writeFileSync(join(dir, "header-cut.wav"), fixture("call-gsm.wav").subarray(0, 30));
  writeFileSync(join(dir, "data-cut.wav"), fixture("call-gsm.wav").subarray(0, 60 + 100 * 65 + 20));
  mkdirSync(join(dir, "folder.wav"));
});

after(() => rmSync(dir, { recursive: true, force: true }));

async function serve(files: (string | null)[], recordingsDir = dir): Promise<{ db: Db; alice: InProcessClient; recordings: Recording[] }> {
  const { dataset, callIds } = datasetOf(files);
  const db = openDatabase(":memory:");
  await importDataset(db, dataset, "files.json", "", { recordingsDir });
  const alice = new InProcessClient(createApp({ db }));
  await alice.signIn("alice");
  const recordings: Recording[] = [];
  for (const id of callIds) {
    const call = (await (await alice.fetch(`/api/calls/${id}`)).json()) as { recordings: Recording[] };
    recordings.push(call.recordings[0]!);
  }
  return { db, alice, recordings };
}

describe("recordings from files: what the API says", () => {
  test("each file's content type comes from its header and its length from its header and size", async () => {
    const names = ["call-gsm.wav", "call.gsm", "call-g722.wav", "call-mulaw.wav", "call-alaw.wav", "call.mp3", "call.amr", "2026/11/nested.wav", null];
    const { recordings, alice, db } = await serve(names);
    const types = recordings.map((r) => r.contentType);
    // A WAV no browser decodes names its codec (RFC 2361), so the player goes straight to its decoder.
    assert.deepEqual(types, ["audio/wav; codec=31", "audio/gsm", "audio/wav; codec=28f", "audio/wav", "audio/wav", "audio/mpeg", "audio/amr", "audio/wav; codec=31", "audio/wav"]);
    for (const [i, r] of recordings.entries()) assert.ok(Math.abs(r.durationSeconds - 6) < 1e-9, `${names[i]}: ${r.durationSeconds} s`);
    // Downloads are named as what they hold.
    const extensions = [];
    for (const r of recordings) {
      const res = await alice.fetch(pathOf(r.downloadUrl), { method: "HEAD" });
      assert.equal(res.status, 200);
      extensions.push(/filename="[^"]*(\.[a-z0-9]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1]);
    }
    assert.deepEqual(extensions, [".wav", ".gsm", ".wav", ".wav", ".wav", ".mp3", ".amr", ".wav", ".wav"]);
    db.close();
  });

  test("the audio is the file's bytes, whole or by range, with the HTTP range answers of generated audio", async () => {
    const { recordings, alice, db } = await serve(["call-gsm.wav", "call.gsm"]);
    const bytes = fixture("call-gsm.wav");
    const url = pathOf(recordings[0]!.audioUrl);
    const whole = await alice.fetch(url);
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get("content-type"), "audio/wav");
    assert.equal(whole.headers.get("accept-ranges"), "bytes");
    assert.equal(whole.headers.get("content-length"), String(bytes.length));
    assert.ok(Buffer.from(await whole.arrayBuffer()).equals(bytes));
    const etag = whole.headers.get("etag")!;
    assert.ok(etag);

    const middle = await alice.fetch(url, { headers: { range: "bytes=1000-4999" } });
    assert.equal(middle.status, 206);
    assert.equal(middle.headers.get("content-range"), `bytes 1000-4999/${bytes.length}`);
    assert.ok(Buffer.from(await middle.arrayBuffer()).equals(bytes.subarray(1000, 5000)));

    const open = await alice.fetch(url, { headers: { range: `bytes=${bytes.length - 65}-` } });
    assert.equal(open.status, 206);
    assert.ok(Buffer.from(await open.arrayBuffer()).equals(bytes.subarray(bytes.length - 65)));

    const suffix = await alice.fetch(url, { headers: { range: "bytes=-500" } });
    assert.equal(suffix.status, 206);
    assert.ok(Buffer.from(await suffix.arrayBuffer()).equals(bytes.subarray(bytes.length - 500)));

    const beyond = await alice.fetch(url, { headers: { range: `bytes=${bytes.length}-` } });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers.get("content-range"), `bytes */${bytes.length}`);
    assert.match(((await beyond.json()) as { error: string }).error, /cannot be satisfied/);

    const head = await alice.fetch(url, { method: "HEAD", headers: { range: "bytes=0-63" } });
    assert.equal(head.status, 206);
    assert.equal(head.headers.get("content-length"), "64");
    assert.equal(head.headers.get("etag"), etag);

    const stale = await alice.fetch(url, { headers: { range: "bytes=0-9", "if-range": '"another"' } });
    assert.equal(stale.status, 200, "If-Range with another ETag: the whole file");
    await stale.body?.cancel();
    const notModified = await alice.fetch(url, { headers: { "if-none-match": etag } });
    assert.equal(notModified.status, 304);

    const raw = await alice.fetch(pathOf(recordings[1]!.audioUrl), { headers: { range: "bytes=33-65" } });
    assert.equal(raw.status, 206);
    assert.equal(raw.headers.get("content-type"), "audio/gsm");
    assert.ok(Buffer.from(await raw.arrayBuffer()).equals(fixture("call.gsm").subarray(33, 66)));
    db.close();
  });

  test("a large file is streamed from disk: the end of a 2 GB file answers at once", async () => {
    // A sparse file: a GSM WAV header, then 2 GB of (unwritten) data.
    const big = join(dir, "big.wav");
    const header = Buffer.from(fixture("call-gsm.wav").subarray(0, 60));
    const size = 60 + 65 * 33_000_000;
    header.writeUInt32LE(size - 8, 4);
    header.writeUInt32LE(size - 60, 56);
    header.writeUInt32LE(0, 48); // no sample count in the fact chunk, as from a writer that streams
    const fd = openSync(big, "w");
    writeSync(fd, header);
    ftruncateSync(fd, size);
    closeSync(fd);
    try {
      const { recordings, alice, db } = await serve(["big.wav"]);
      assert.ok(Math.abs(recordings[0]!.durationSeconds - (33_000_000 * 320) / 8000) < 1e-6, "its length from its size");
      const heapBefore = process.memoryUsage().rss;
      const started = Date.now();
      const res = await alice.fetch(pathOf(recordings[0]!.audioUrl), { headers: { range: `bytes=${size - 6500}-` } });
      assert.equal(res.status, 206);
      assert.equal((await res.arrayBuffer()).byteLength, 6500);
      assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
      // A whole-file answer streams: the first chunk arrives without the rest being read.
      const whole = await alice.fetch(pathOf(recordings[0]!.audioUrl));
      assert.equal(whole.headers.get("content-length"), String(size));
      const reader = whole.body!.getReader();
      const first = await reader.read();
      assert.ok(first.value && first.value.length <= 1024 * 1024);
      await reader.cancel();
      assert.ok(process.memoryUsage().rss - heapBefore < 200 * 1024 * 1024, "the file was not read into memory");
      db.close();
    } finally {
      unlinkSync(big);
    }
  });
});

describe("recordings from files: mislabelled, truncated and missing files", () => {
  test("a name that lies does not matter: an MP3 named .wav is served as MP3, a WAV named .mp3 as WAV", async () => {
    const { recordings, alice, db } = await serve(["really-mp3.wav", "really-wav.mp3"]);
    assert.deepEqual(recordings.map((r) => r.contentType), ["audio/mpeg", "audio/wav; codec=31"]);
    const res = await alice.fetch(pathOf(recordings[0]!.audioUrl), { headers: { range: "bytes=0-3" } });
    assert.equal(res.headers.get("content-type"), "audio/mpeg");
    await res.body?.cancel();
    const download = await alice.fetch(pathOf(recordings[1]!.downloadUrl), { method: "HEAD" });
    assert.match(download.headers.get("content-disposition") ?? "", /\.wav"/);
    db.close();
  });

  test("a WAV cut in its data is imported with the length it has; one cut in its header is refused", async () => {
    const { recordings, alice, db } = await serve(["data-cut.wav"]);
    assert.equal(recordings[0]!.durationSeconds, 4, "100 whole blocks of 40 ms");
    const size = 60 + 100 * 65 + 20;
    const res = await alice.fetch(pathOf(recordings[0]!.audioUrl), { headers: { range: `bytes=${size}-` } });
    assert.equal(res.status, 416);
    assert.equal(res.headers.get("content-range"), `bytes */${size}`);
    db.close();

    const { dataset } = datasetOf(["header-cut.wav"]);
    await assert.rejects(importDataset(openDatabase(":memory:"), dataset, "cut.json", "", { recordingsDir: dir }), (err: unknown) => {
      assert.ok(err instanceof DatasetError);
      assert.match(err.message, /calls\[0\]\.segments\[0\]\.file: "header-cut\.wav" is cut short: its 30 bytes end before the WAV header's format/);
      return true;
    });
  });

  test("missing, unreadable and unrecognised files refuse the whole dataset, each named, and change nothing", async () => {
    const db = openDatabase(":memory:");
    const good = datasetOf(["call-gsm.wav"]);
    await importDataset(db, good.dataset, "good.json", "", { recordingsDir: dir });
    const before = db.prepare("SELECT id FROM recordings").all();
    const { dataset } = datasetOf(["call.gsm", "gone.wav", "notes.wav", "folder.wav", "call.mp3", "2026/12/gone.gsm"]);
    await assert.rejects(importDataset(db, dataset, "bad.json", "", { recordingsDir: dir }), (err: unknown) => {
      assert.ok(err instanceof DatasetError);
      assert.deepEqual(
        err.problems.map((p) => `${p.path}: ${p.message.replace(dir, "DIR")}`),
        [
          `calls[1].segments[0].file: "gone.wav" is missing: there is no file DIR/gone.wav`,
          `calls[2].segments[0].file: "notes.wav" is not a recording in any audio format the server recognises (DIR/notes.wav)`,
          `calls[3].segments[0].file: "folder.wav" is a folder, not a recording (DIR/folder.wav)`,
          `calls[5].segments[0].file: "2026/12/gone.gsm" is missing: there is no file DIR/2026/12/gone.gsm`,
        ],
      );
      return true;
    });
    assert.deepEqual(db.prepare("SELECT id FROM recordings").all(), before, "the earlier import is intact");
    assert.equal((db.prepare("SELECT count(*) AS n FROM recording_files").get() as { n: number }).n, 1);
    db.close();
  });

  test("a file that disappears after the import answers 404 with a JSON error, not a stack trace", async () => {
    const gone = join(dir, "soon-gone.gsm");
    copyFileSync(join(FIXTURES, "call.gsm"), gone);
    const { recordings, alice, db } = await serve(["soon-gone.gsm"]);
    unlinkSync(gone);
    const res = await alice.fetch(pathOf(recordings[0]!.audioUrl));
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { error: "the recording's file is missing on the server" });
    db.close();
  });

  test("paths outside the folder, and files where nothing is recorded, are refused by the dataset's checks", async () => {
    const { dataset } = datasetOf(["../call.gsm", "/etc/passwd", "a//b.wav", "call.gsm"]);
    const calls = dataset.calls as { segments: { device?: string }[]; conference?: boolean; file?: string }[];
    // The last call: a segment that reached nobody is not recorded, so it can have no file.
    delete calls[3]!.segments[0]!.device;
    await assert.rejects(importDataset(openDatabase(":memory:"), dataset, "paths.json", "", { recordingsDir: dir }), (err: unknown) => {
      assert.ok(err instanceof DatasetError);
      const lines = err.problems.map((p) => `${p.path}: ${p.message}`);
      assert.equal(lines.length, 3, lines.join("\n"));
      assert.match(lines[0]!, /^calls\[0\]\.segments\[0\]\.file: must not have empty, "\." or "\.\." parts/);
      assert.match(lines[1]!, /^calls\[1\]\.segments\[0\]\.file: must be relative to the recordings folder/);
      assert.match(lines[2]!, /^calls\[2\]\.segments\[0\]\.file: must not have empty/);
      return true;
    });
    const unrecorded = datasetOf(["call.gsm"]).dataset;
    delete (unrecorded.calls as { segments: { device?: string }[] }[])[0]!.segments[0]!.device;
    await assert.rejects(importDataset(openDatabase(":memory:"), unrecorded, "x.json", "", { recordingsDir: dir }), /calls\[0\]\.segments\[0\]\.file: names a file, but the recording rules do not record this segment/);
  });

  test("a conference names its one recording's file on the call, not on its segments", async () => {
    const { dataset } = datasetOf(["call-gsm.wav"]);
    const call = (dataset.calls as Record<string, unknown>[])[0]!;
    call.conference = true;
    await assert.rejects(importDataset(openDatabase(":memory:"), dataset, "x.json", "", { recordingsDir: dir }), /calls\[0\]\.segments\[0\]\.file: a conference has one recording: name its file on the call/);
    const segments = call.segments as Record<string, unknown>[];
    delete segments[0]!.file;
    call.file = "call-g722.wav";
    const db = openDatabase(":memory:");
    await importDataset(db, dataset, "x.json", "", { recordingsDir: dir });
    assert.equal((db.prepare("SELECT content_type, duration FROM recording_files").get() as { content_type: string }).content_type, "audio/wav; codec=28f");
    db.close();
  });
});

describe("recordings from files: the dataset file", () => {
  test("file names are relative to the dataset's folder unless a recordings folder is given; a changed file changes the digest", async () => {
    const datasetPath = join(dir, "dataset.json");
    writeFileSync(datasetPath, JSON.stringify(datasetOf(["call.gsm"]).dataset));
    const first = await readDatasetFile(datasetPath);
    const again = await readDatasetFile(datasetPath, { recordingsDir: dir });
    assert.equal(first.digest, again.digest);
    const elsewhere = await readDatasetFile(datasetPath, { recordingsDir: FIXTURES });
    assert.notEqual(first.digest, elsewhere.digest, "another folder is another import");
    writeFileSync(join(dir, "call.gsm"), fixture("call.gsm").subarray(0, 33 * 10));
    const changed = await readDatasetFile(datasetPath);
    assert.notEqual(first.digest, changed.digest, "a changed recording is imported again");
    copyFileSync(join(FIXTURES, "call.gsm"), join(dir, "call.gsm"));
    // Without files the digest is what it always was (the demo is not imported again).
    writeFileSync(datasetPath, JSON.stringify(datasetOf([null]).dataset));
    const plain = await readDatasetFile(datasetPath);
    const other = await readDatasetFile(datasetPath, { recordingsDir: FIXTURES });
    assert.equal(plain.digest, other.digest);
  });

  test("the README's example dataset imports over its folder", async () => {
    const path = join(FIXTURES, "dataset.json");
    const { dataset } = await readDatasetFile(path);
    const db = openDatabase(":memory:");
    const summary = await importDataset(db, dataset, path, "", { recordingsDir: FIXTURES });
    assert.equal(summary.files, 9);
    assert.equal(summary.recordings, 10);
    db.close();
  });
});
