/**
 * Issue 13, point 4, the server's half: a two-channel recording file says which party each
 * channel holds (`channels` beside `file` in the dataset), checked at import against the file's
 * header, and the API's recording names them (`channels: [{ party, name, label }]`). Recordings
 * without it answer as before.
 */
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createApp } from "../../server/app.js";
import { openDatabase } from "../../server/db.js";
import { DatasetError, importDataset } from "../../server/import.js";
import { parseDataset } from "../../src/rules/dataset.js";
import { InProcessClient } from "../support/in-process.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/recordings/", import.meta.url));
let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), "crec-channels-"));
  for (const name of ["call-stereo.wav", "call-mulaw.wav", "call.mp3"]) copyFileSync(join(FIXTURES, name), join(dir, name));
});
after(() => rmSync(dir, { recursive: true, force: true }));

type Segment = Record<string, unknown>;

function dataset(calls: { direction?: string; segment?: Segment; call?: Record<string, unknown> }[]): Record<string, unknown> {
  return {
    customer: { name: "Example Ltd", recording: "on" },
    groups: [],
    users: [{ id: "alice", name: "Alice Jones", password: "alice-pass", playback: "all" }],
    devices: [{ id: "ext-201", name: "Extension 201", user: "alice" }],
    calls: calls.map((c, i) => ({
      id: `c-${i + 1}`,
      start: `2026-11-20T09:1${i}:00Z`,
      direction: c.direction ?? "inbound",
      from: "+441632960001",
      to: "+441632960100",
      segments: [{ start: `2026-11-20T09:1${i}:02Z`, end: `2026-11-20T09:1${i}:08Z`, device: "ext-201", ...c.segment }],
      ...c.call,
    })),
  };
}

const problemsOf = (input: unknown) => {
  const result = parseDataset(input);
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
};

describe("two-channel recordings: the dataset", () => {
  test("channels name a party each, left then right, with an optional name, beside a file", () => {
    const result = parseDataset(dataset([{ segment: { file: "call-stereo.wav", channels: [{ party: "agent" }, { party: "caller", name: "Ada Lovelace" }] } }]));
    assert.ok(result.ok);
    assert.deepEqual(result.dataset.calls[0]!.segments[0]!.channels, [{ party: "agent" }, { party: "caller", name: "Ada Lovelace" }]);
    // Absent, nothing is added.
    const plain = parseDataset(dataset([{ segment: { file: "call-stereo.wav" } }]));
    assert.ok(plain.ok);
    assert.equal(Object.hasOwn(plain.dataset.calls[0]!.segments[0]!, "channels"), false);
  });

  test("every problem is reported by its path", () => {
    assert.deepEqual(
      problemsOf(
        dataset([
          { segment: { channels: [{ party: "agent" }, { party: "caller" }] } },
          { segment: { file: "call-stereo.wav", channels: [{ party: "agent" }] } },
          { segment: { file: "call-stereo.wav", channels: [{ party: "boss" }, { name: "" }] } },
          { segment: { file: "call-stereo.wav", channels: "agent, caller" } },
          { segment: { file: "call-stereo.wav", channels: [{ party: "agent", side: "left" }, 7] } },
          { call: { conference: true, file: "call-stereo.wav" }, segment: { channels: [{ party: "agent" }, { party: "caller" }] } },
        ]),
      ),
      [
        `calls[0].segments[0].channels: names the parties of a recording file's channels: name the file too (generated audio has one channel)`,
        `calls[1].segments[0].channels: must name the parties of both channels, left then right; got 1`,
        `calls[2].segments[0].channels[0].party: expected "agent", "caller" or "other", got "boss"`,
        `calls[2].segments[0].channels[1].party: is required`,
        `calls[2].segments[0].channels[1].name: must not be empty`,
        `calls[3].segments[0].channels: expected an array, got a string`,
        `calls[4].segments[0].channels[0].side: unknown key; expected one of party, name`,
        `calls[4].segments[0].channels[1]: expected an object, got a number`,
        // A conference's segment has no file of its own to name channels for.
        `calls[5].segments[0].channels: names the parties of a recording file's channels: name the file too (generated audio has one channel)`,
      ],
    );
  });

  test("the import refuses channels named for a file that does not have two, and reads what it cannot check", async () => {
    const db = openDatabase(":memory:");
    const both = [{ party: "agent" }, { party: "caller" }];
    await assert.rejects(
      importDataset(db, dataset([{ segment: { file: "call-stereo.wav", channels: both } }, { segment: { file: "call-mulaw.wav", channels: both } }]), "bad.json", "", { recordingsDir: dir }),
      (err: unknown) => {
        assert.ok(err instanceof DatasetError);
        assert.deepEqual(err.problems.map((p) => `${p.path}: ${p.message}`), [`calls[1].segments[0].channels: names two channels, but "call-mulaw.wav" has 1 channel`]);
        return true;
      },
    );
    assert.equal((db.prepare("SELECT count(*) AS n FROM recordings").get() as { n: number }).n, 0);
    // An MP3's header does not say how many channels it has at import: taken as the dataset says.
    const summary = await importDataset(db, dataset([{ segment: { file: "call.mp3", channels: both } }]), "ok.json", "", { recordingsDir: dir });
    assert.equal(summary.files, 1);
    db.close();
  });
});

describe("two-channel recordings: the API", () => {
  test("each recording names its channels' parties, the names given or found; others have no channels", async () => {
    const db = openDatabase(":memory:");
    await importDataset(
      db,
      dataset([
        { segment: { file: "call-stereo.wav", channels: [{ party: "agent" }, { party: "caller" }] } },
        { direction: "outbound", segment: { file: "call-stereo.wav", channels: [{ party: "caller", name: "Grace Hopper" }, { party: "agent" }] } },
        { segment: { file: "call-stereo.wav", channels: [{ party: "agent", name: "Night shift" }, { party: "other" }] } },
        { segment: { file: "call-stereo.wav" } },
        {},
      ]),
      "channels.json",
      "",
      { recordingsDir: dir },
    );
    const alice = new InProcessClient(createApp({ db }));
    await alice.signIn("alice");
    const channels = [];
    for (let i = 1; i <= 5; i++) {
      const call = (await (await alice.fetch(`/api/calls/c-${i}`)).json()) as { recordings: { channels?: unknown }[] };
      channels.push(call.recordings[0]!.channels);
    }
    assert.deepEqual(channels, [
      [
        { party: "agent", name: "Alice Jones", label: "Agent: Alice Jones" },
        { party: "caller", name: "+441632960001", label: "Caller: +441632960001" },
      ],
      [
        { party: "caller", name: "Grace Hopper", label: "Caller: Grace Hopper" },
        { party: "agent", name: "Alice Jones", label: "Agent: Alice Jones" },
      ],
      [
        { party: "agent", name: "Night shift", label: "Agent: Night shift" },
        { party: "other", name: null, label: "Other" },
      ],
      undefined,
      undefined,
    ]);
    db.close();
  });

  test("a re-import replaces the channels with the file's", async () => {
    const db = openDatabase(":memory:");
    await importDataset(db, dataset([{ segment: { file: "call-stereo.wav", channels: [{ party: "agent" }, { party: "caller" }] } }]), "a.json", "", { recordingsDir: dir });
    await importDataset(db, dataset([{ segment: { file: "call-stereo.wav" } }]), "b.json", "", { recordingsDir: dir });
    assert.equal((db.prepare("SELECT count(*) AS n FROM recording_channels").get() as { n: number }).n, 0);
    db.close();
  });
});
