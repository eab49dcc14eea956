/**
 * The demo placed relative to the day the server starts: the pure move (demo-days.ts), and
 * `server/main.ts` without --data, whose Call List then shows calls under Today.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseIsoTime } from "../../src/iso-time.js";
import { parseDataset } from "../../src/rules/dataset.js";
import type { Dataset } from "../../src/rules/domain.js";
import { daysBetween, endToday, lastCallDay, shiftDataset, shiftTime, utcDay } from "../../server/demo-days.js";
import { fixtureDataset } from "../support/fixture-dataset.js";
import { Client } from "../support/server.js";
import { until } from "../support/until.js";
import { callIds, getPage, linkHref, signInForm } from "./legacy-helpers.js";

const DAY_MS = 86_400_000;
const DEMO_FILE = new URL("../../server/demo/dataset.json", import.meta.url);

function demoDataset(): Dataset {
  const parsed = parseDataset(JSON.parse(readFileSync(DEMO_FILE, "utf8")));
  assert.ok(parsed.ok, "the demo dataset is valid");
  return parsed.dataset;
}

/** Every string leaf of a value with its path, in order. */
function leaves(value: unknown, path = ""): [string, unknown][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, `${path}[${i}]`));
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
  return [[path, value]];
}

describe("shiftTime", () => {
  test("moves the date across a month's end and keeps the time of day", () => {
    assert.equal(shiftTime("2026-11-27T09:14:03Z", 7), "2026-12-04T09:14:03Z");
    assert.equal(shiftTime("2026-12-04T09:14:03Z", -7), "2026-11-27T09:14:03Z");
    assert.equal(shiftTime("2026-01-31T12:00:00Z", 1), "2026-02-01T12:00:00Z");
  });

  test("moves across a year's end, and through a leap day", () => {
    assert.equal(shiftTime("2026-12-30T23:59:59.999Z", 3), "2027-01-02T23:59:59.999Z");
    assert.equal(shiftTime("2027-01-01T00:00:00Z", -1), "2026-12-31T00:00:00Z");
    assert.equal(shiftTime("2028-02-28T08:00:00Z", 1), "2028-02-29T08:00:00Z");
    assert.equal(shiftTime("2027-02-28T08:00:00Z", 1), "2027-03-01T08:00:00Z");
    assert.equal(shiftTime("2026-11-16T08:00:00Z", 400), "2027-12-21T08:00:00Z");
  });

  test("keeps an offset and a fraction as written, and moves the instant by whole days", () => {
    const cases = ["2026-11-27T23:30:00.250-05:00", "2026-11-27T00:15:00+05:30", "2026-12-31T22:00:00.123456789+14:00", "2026-11-20T08:14:00.5Z"];
    for (const time of cases) {
      const moved = shiftTime(time, 38);
      assert.equal(moved.slice(10), time.slice(10), `${time}: the time of day, fraction and offset stay`);
      assert.equal(Date.parse(moved) - Date.parse(time), 38 * DAY_MS, time);
      assert.notEqual(parseIsoTime(moved), undefined, `${moved} is still a valid time`);
    }
  });

  test("refuses what is not a time, saying what it got", () => {
    assert.throws(() => shiftTime("yesterday", 1), /not an ISO 8601 time: "yesterday"/);
  });
});

describe("shiftDataset", () => {
  test("moves every time of the dataset and changes nothing else", () => {
    const data = fixtureDataset();
    // Times as a dataset may write them: with an offset and with milliseconds.
    data.calls[0]!.start = "2026-11-20T10:00:00.250+01:00";
    data.calls[0]!.segments[0]!.start = "2026-11-20T10:00:05.5+01:00";
    assert.ok(parseDataset(data).ok, "the dataset is valid before the move");
    const before = structuredClone(data);
    const moved = shiftDataset(data, 45);
    assert.deepEqual(data, before, "the input is left as it was");

    const was = leaves(before);
    const now = leaves(moved);
    assert.deepEqual(now.map(([p]) => p), was.map(([p]) => p), "the same fields, in the same order");
    let times = 0;
    was.forEach(([path, value], i) => {
      const after = now[i]![1];
      if (/^calls\[\d+\]\.(start|segments\[\d+\]\.(start|end))$/.test(path)) {
        times++;
        assert.equal(Date.parse(after as string) - Date.parse(value as string), 45 * DAY_MS, `${path} moved 45 days`);
      } else {
        assert.deepEqual(after, value, `${path} is unchanged`);
        // No other field holds a time: the dataset format has none but these.
        if (typeof value === "string") assert.equal(parseIsoTime(value), undefined, `${path} is not a time left unmoved`);
      }
    });
    assert.equal(times, before.calls.reduce((n, c) => n + 1 + 2 * c.segments.length, 0));
    assert.ok(parseDataset(moved).ok, "the moved dataset is still valid");
  });

  test("refuses a part of a day", () => {
    assert.throws(() => shiftDataset(fixtureDataset(), 0.5), /days must be a whole number, got 0.5/);
  });
});

describe("endToday", () => {
  test("makes the demo's last day today, keeping how many calls each day has and each call's time of day", () => {
    const demo = demoDataset();
    const last = lastCallDay(demo)!;
    const now = Date.parse("2027-01-03T06:00:00Z");
    const { dataset, days, firstDay, lastDay } = endToday(demo, now);
    assert.equal(lastDay, "2027-01-03");
    assert.equal(lastCallDay(dataset), "2027-01-03");
    assert.equal(days, daysBetween(last, "2027-01-03"));
    const perDay = (d: Dataset, by = 0) => {
      const counts = new Map<string, number>();
      for (const c of d.calls) {
        const day = utcDay(Date.parse(c.start) + by * DAY_MS);
        counts.set(day, (counts.get(day) ?? 0) + 1);
      }
      return [...counts].sort();
    };
    assert.deepEqual(perDay(dataset), perDay(demo, days));
    assert.ok(perDay(dataset).find(([day]) => day === "2027-01-03")![1] > 0, "today has calls");
    assert.equal(firstDay, perDay(dataset)[0]![0]);
    dataset.calls.forEach((c, i) => assert.equal(c.start.slice(10), demo.calls[i]!.start.slice(10), `${c.id} keeps its time of day`));
  });

  test("reads the last day in UTC, whatever offset the latest call was written with", () => {
    const data = fixtureDataset();
    data.calls = [{ ...data.calls[0]!, start: "2026-11-27T23:30:00-05:00", segments: [{ ...data.calls[0]!.segments[0]!, start: "2026-11-27T23:30:05-05:00", end: "2026-11-27T23:31:00-05:00" }] }];
    assert.equal(lastCallDay(data), "2026-11-28");
    const { dataset, days } = endToday(data, Date.parse("2026-11-30T12:00:00Z"));
    assert.equal(days, 2);
    assert.equal(dataset.calls[0]!.start, "2026-11-29T23:30:00-05:00");
  });

  test("leaves a dataset that already ends today, or has no calls, as it is", () => {
    const demo = demoDataset();
    const today = Date.parse(`${lastCallDay(demo)}T23:59:59Z`);
    const same = endToday(demo, today);
    assert.equal(same.days, 0);
    assert.deepEqual(same.dataset, demo);
    const empty = { ...fixtureDataset(), calls: [] };
    assert.deepEqual(endToday(empty, today), { dataset: empty, days: 0, firstDay: undefined, lastDay: undefined });
  });
});

/** server/main.ts as `npm run serve` runs it, with these arguments. */
class ServerProcess {
  readonly child: ChildProcess;
  out = "";
  private exited: Promise<void>;
  constructor(args: string[]) {
    this.child = spawn(process.execPath, ["--import", "tsx", "server/main.ts", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    this.child.stdout!.on("data", (d) => (this.out += d));
    this.child.stderr!.on("data", (d) => (this.out += d));
    this.exited = new Promise((resolve) => this.child.on("exit", () => resolve()));
  }
  async url(): Promise<string> {
    await until(() => /is up at (http:\/\/\S+?)\/?\n/.test(this.out) || this.child.exitCode !== null, "the server to say where it is up", 120_000);
    const m = /is up at (http:\/\/\S+?)\/?\n/.exec(this.out);
    assert.ok(m, `the server started:\n${this.out}`);
    return m[1]!;
  }
  async stop(): Promise<void> {
    if (this.child.exitCode === null) this.child.kill("SIGTERM");
    await this.exited;
  }
}

async function recordingIds(client: Client, callId: string): Promise<string[]> {
  const { status, body } = await client.json<{ recordings: { id: string }[] }>(`/api/calls/${encodeURIComponent(callId)}`);
  assert.equal(status, 200);
  return body.recordings.map((r) => r.id);
}

describe("npm start's server (no --data)", () => {
  test("shows the demo's calls under Today, re-imports a demo of another day keeping ids and changes, and says so", { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "crec-demo-days-"));
    const db = join(dir, "demo.sqlite");
    const demo = demoDataset();
    const servers: ServerProcess[] = [];
    const start = (args: string[]) => {
      const s = new ServerProcess([...args, "--port", "0", "--db", db]);
      servers.push(s);
      return s;
    };
    try {
      // As an earlier day left it: the demo as written (another digest), with an administrator's change.
      const earlier = start(["--data", "server/demo/dataset.json"]);
      let api = new Client(await earlier.url());
      assert.equal((await api.signIn("admin")).status, 200);
      const { body: withRecordings } = await api.json<{ calls: { id: string }[] }>("/api/calls?hasRecording=true&limit=1");
      const recorded = demo.calls.find((c) => c.id === withRecordings.calls[0]!.id)!;
      const ids = await recordingIds(api, recorded.id);
      assert.ok(ids.length > 0, `${recorded.id} has recordings`);
      const change = await api.fetch("/api/admin/users/erin/permissions", {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ playback: "all", primaryGroup: "billing", memberGroups: [] }),
      });
      assert.equal(change.status, 200, await change.text());
      await earlier.stop();

      const today = utcDay(Date.now());
      const server = start([]);
      const base = await server.url();
      assert.match(server.out, /The demo's calls were moved (\d+ days? (later|earlier) )?to end today: \d{4}-\d\d-\d\d to (\d{4}-\d\d-\d\d) \(UTC\)/);
      const endDay = /to end today: \S+ to (\S+) \(UTC\)/.exec(server.out)![1]!;
      // The server's today is the test's, unless midnight (UTC) passed in between.
      assert.ok(endDay === today || endDay === utcDay(Date.now()), `the demo ends on ${endDay}, today`);
      assert.match(server.out, /Imported .*dataset\.json: \d+ users, \d+ devices, 247 calls/);
      assert.match(server.out, /Kept the audit log \(\d+ entries\), [1-9]\d* field\(s\) set by administrators/);

      // The legacy Call List's Today quick filter lists calls, all of them from today.
      const legacy = new Client(base);
      assert.equal((await signInForm(legacy, "admin")).status, 303);
      const list = await getPage(legacy, "/reports/call-list");
      const todayHref = linkHref(list.html, "Today");
      assert.ok(todayHref, "the Call List has a Today link");
      assert.match(todayHref, new RegExp(`from=${endDay}&to=${endDay}`));
      const todays = callIds((await getPage(legacy, todayHref)).html);
      assert.ok(todays.length > 0, "Today lists calls");
      // The first page (50 rows) of the demo's last day's calls.
      const expected = new Set(demo.calls.filter((c) => utcDay(Date.parse(c.start)) === lastCallDay(demo)).map((c) => c.id));
      assert.equal(todays.length, Math.min(50, expected.size));
      for (const id of todays) assert.ok(expected.has(id), `${id} is one of the demo's last day's calls`);
      const week = callIds((await getPage(legacy, linkHref(list.html, "Last 7 days")!)).html);
      assert.ok(week.length >= todays.length, "Last 7 days lists calls too");

      // The same call keeps its recordings' ids, and the administrator's change stays.
      api = new Client(base);
      assert.equal((await api.signIn("admin")).status, 200);
      assert.deepEqual(await recordingIds(api, recorded.id), ids);
      const { body: call } = await api.json<{ start: string }>(`/api/calls/${encodeURIComponent(recorded.id)}`);
      assert.equal(Date.parse(call.start) - Date.parse(recorded.start), daysBetween(lastCallDay(demo)!, endDay) * DAY_MS, "the call moved by whole days");
      const { body: erin } = await api.json<{ playback: string }>("/api/admin/users/erin");
      assert.equal(erin.playback, "all");
      await server.stop();

      // Started again the same day, the database is used as it is.
      const again = start([]);
      await again.url();
      if (utcDay(Date.now()) === endDay) {
        assert.match(again.out, /Using .*demo\.sqlite \(already holds/);
        assert.doesNotMatch(again.out, /Imported/);
      }
    } finally {
      for (const s of servers) await s.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
