import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseDataset } from "../../src/rules/dataset.js";
import { CALL_DIRECTIONS, PLAYBACK_SCOPES, RECORDING_SETTINGS, type Call, type Dataset } from "../../src/rules/domain.js";
import { planRecordings, segmentUser, type SettingsLookup } from "../../src/rules/recording-policy.js";
import { makeDemoDataset } from "../../scripts/make-demo-dataset.js";

const FILE = new URL("../../server/demo/dataset.json", import.meta.url);
const text = readFileSync(FILE, "utf8");

function load(): Dataset {
  const parsed = parseDataset(JSON.parse(text));
  if (!parsed.ok) throw new Error(`the demo dataset is invalid: ${JSON.stringify(parsed.problems.slice(0, 5))}`);
  return parsed.dataset;
}
const demo = load();

const lookup: SettingsLookup = {
  customer: demo.customer.recording,
  device: (id) => demo.devices.find((d) => d.id === id),
  user: (id) => demo.users.find((u) => u.id === id),
};
const ms = (s: string) => Date.parse(s);
const minutes = (call: Call) => (Math.max(...call.segments.map((s) => ms(s.end))) - ms(call.start)) / 60_000;
const reached = (call: Call) => call.segments.filter((s) => s.device !== null || s.user !== null);
const isTransfer = (call: Call) =>
  !call.conference &&
  call.segments.length >= 2 &&
  reached(call).length === call.segments.length &&
  new Set(call.segments.map((s) => segmentUser(s, lookup))).size === call.segments.length;

describe("the demo dataset", () => {
  test("is a valid dataset file", () => {
    assert.ok(parseDataset(JSON.parse(text)).ok);
  });

  test("is what the script makes today, so it is not stale", () => {
    assert.deepEqual(JSON.parse(text), makeDemoDataset());
  });

  test("is small enough to commit", () => {
    assert.ok(text.length < 1_000_000, `${text.length} bytes`);
  });

  test("belongs to Northwind Telecom Ltd, who record by default", () => {
    assert.deepEqual(demo.customer, { name: "Northwind Telecom Ltd", recording: "on" });
  });

  test("has at least three groups", () => {
    assert.ok(demo.groups.length >= 3);
  });

  test("has an admin who may play back every call", () => {
    const admin = demo.users.find((u) => u.id === "admin");
    assert.equal(admin?.admin, true);
    assert.equal(admin?.password, "admin-pass");
    assert.equal(admin?.playback, "all");
  });

  test("gives everyone the password <id>-pass", () => {
    for (const u of demo.users) assert.equal(u.password, `${u.id}-pass`);
  });

  for (const scope of PLAYBACK_SCOPES) {
    test(`has a user who is not an admin with playback scope ${scope}`, () => {
      assert.ok(demo.users.some((u) => !u.admin && u.playback === scope));
    });
  }

  for (const setting of RECORDING_SETTINGS) {
    test(`has users and owned devices whose recording setting is ${setting}`, () => {
      assert.ok(demo.users.some((u) => u.recording === setting));
      assert.ok(demo.devices.some((d) => d.recording === setting && d.user !== null));
    });
  }

  test("has shared devices that nobody owns, recorded and not", () => {
    const shared = demo.devices.filter((d) => d.user === null);
    assert.ok(shared.length >= 1);
    assert.ok(shared.some((d) => d.recording !== "off"));
    assert.ok(shared.some((d) => d.recording === "off"));
  });

  test("shows the product page's example 1: a device Off with its user inheriting", () => {
    assert.ok(demo.devices.some((d) => d.recording === "off" && lookup.user(d.user ?? "")?.recording === "inherit"));
  });

  test("has a user whose name is hostile markup, kept as text", () => {
    assert.ok(demo.users.some((u) => u.name.includes("<img src=x onerror=alert(1)>") && u.name.includes("\u202E")));
  });

  test("has at least 220 calls", () => {
    assert.ok(demo.calls.length >= 220, `${demo.calls.length} calls`);
  });

  test("places every call in office hours on a weekday of the two weeks ending 27 November 2026", () => {
    for (const call of demo.calls) {
      const start = new Date(call.start);
      assert.ok(start >= new Date("2026-11-14T00:00:00Z") && start < new Date("2026-11-28T00:00:00Z"), call.start);
      assert.ok(start.getUTCDay() >= 1 && start.getUTCDay() <= 5, call.start);
      assert.ok(start.getUTCHours() >= 8 && start.getUTCHours() < 18, call.start);
    }
  });

  test("has mostly segments of one to eight minutes", () => {
    const segments = demo.calls.filter((c) => !c.conference).flatMap(reached);
    const typical = segments.filter((s) => ms(s.end) - ms(s.start) >= 60_000 && ms(s.end) - ms(s.start) <= 480_000);
    assert.ok(typical.length / segments.length > 0.7, `${typical.length} of ${segments.length}`);
  });

  test("uses the fictional +44 1632 960xxx numbers only", () => {
    for (const call of demo.calls) {
      assert.match(call.from, /^\+441632960\d{3}$/);
      assert.match(call.to, /^\+441632960\d{3}$/);
    }
  });

  for (const direction of CALL_DIRECTIONS) {
    test(`has ${direction} calls`, () => {
      assert.ok(demo.calls.some((c) => c.direction === direction));
    });
  }

  test("tags calls with groups, and leaves some untagged", () => {
    assert.ok(demo.calls.filter((c) => c.groups.length > 0).length > demo.calls.length / 2);
    assert.ok(demo.calls.some((c) => c.groups.length === 0));
  });

  for (const n of [2, 3, 4]) {
    test(`has calls transferred across ${n} different people`, () => {
      assert.ok(demo.calls.some((c) => isTransfer(c) && c.segments.length === n));
    });
  }

  test("has a transfer with some segments recorded and some not", () => {
    assert.ok(demo.calls.some((c) => isTransfer(c) && planRecordings(c, lookup).length > 0 && planRecordings(c, lookup).length < c.segments.length));
  });

  test("has calls that never reached a device or a user, with no recording", () => {
    const abandoned = demo.calls.filter((c) => reached(c).length === 0);
    assert.ok(abandoned.length > 0);
    for (const c of abandoned) assert.deepEqual(planRecordings(c, lookup), []);
  });

  test("has calls that waited in a queue before someone answered", () => {
    assert.ok(demo.calls.some((c) => !c.conference && c.segments[0]?.device === null && reached(c).length > 0));
  });

  test("has conferences where someone joins late and someone leaves early", () => {
    const conferences = demo.calls.filter((c) => c.conference);
    assert.ok(conferences.length >= 2);
    const lateAndEarly = conferences.filter((c) => {
      const first = Math.min(...c.segments.map((s) => ms(s.start)));
      const last = Math.max(...c.segments.map((s) => ms(s.end)));
      return c.segments.some((s) => ms(s.start) > first) && c.segments.some((s) => ms(s.end) < last);
    });
    assert.ok(lateAndEarly.length >= 1);
  });

  test("has a conference with one recording and a conference with none", () => {
    const conferences = demo.calls.filter((c) => c.conference).map((c) => planRecordings(c, lookup).length);
    assert.ok(conferences.includes(1));
    assert.ok(conferences.includes(0));
    assert.ok(conferences.every((n) => n <= 1));
  });

  test("has exactly three long calls, of 60 to 75 minutes", () => {
    const long = demo.calls.filter((c) => minutes(c) >= 60);
    assert.equal(long.length, 3);
    for (const c of long) assert.ok(minutes(c) <= 75, `${c.id}: ${minutes(c)} minutes`);
  });

  test("has plenty of recorded calls and plenty of calls not recorded", () => {
    const recorded = demo.calls.filter((c) => planRecordings(c, lookup).length > 0).length;
    assert.ok(recorded > demo.calls.length / 3, `${recorded} recorded`);
    assert.ok(demo.calls.length - recorded > demo.calls.length / 10, `${demo.calls.length - recorded} not recorded`);
  });

  test("never puts a person or a device on two calls at once", () => {
    const busy = new Map<string, [number, number][]>();
    for (const c of demo.calls) {
      for (const s of c.segments) {
        for (const who of new Set([s.device, segmentUser(s, lookup)])) {
          if (!who) continue;
          const span: [number, number] = [ms(s.start), ms(s.end)];
          const clash = (busy.get(who) ?? []).find(([a, b]) => span[0] < b && span[1] > a);
          assert.equal(clash, undefined, `${who} in ${c.id}`);
          busy.set(who, [...(busy.get(who) ?? []), span]);
        }
      }
    }
  });
});
