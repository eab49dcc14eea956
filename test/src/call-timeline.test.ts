import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseCallPayload } from "../../src/calls/call-payload.js";
import { callTitle, recordingTitle } from "../../src/calls/call-labels.js";
import { layoutCall, tickStep } from "../../src/calls/call-timeline.js";

const t = (s: string) => `2026-11-20T${s}Z`;
const person = (id: string) => ({ id, name: id[0]!.toUpperCase() + id.slice(1) });

describe("the call's timeline", () => {
  test("a transfer: a lane per party in order of appearance, bars on their lanes, arrows between", () => {
    const call = parseCallPayload({
      id: "c",
      start: t("11:00:00"),
      direction: "inbound",
      from: "+44",
      to: "+45",
      segments: [
        { index: 0, start: t("11:00:00"), end: t("11:00:30") },
        { index: 1, start: t("11:00:30"), end: t("11:02:00"), user: person("bob") },
        { index: 2, start: t("11:02:00"), end: t("11:03:00"), user: person("alice") },
        { index: 3, start: t("11:03:00"), end: t("11:04:00"), user: person("bob") },
      ],
      recordings: [1, 2, 3].map((i) => ({ id: `r${i}`, segment: i, start: t(["", "11:00:30", "11:02:00", "11:03:00"][i]!), durationSeconds: [0, 90, 60, 60][i]!, audioUrl: "http://x/a" })),
    });
    const layout = layoutCall(call);
    assert.equal(layout.total, 240);
    assert.deepEqual(layout.lanes.map((l) => l.who.primary), ["Not answered", "Bob", "Alice"]);
    // Bob's second stint after Alice returns to Bob's lane.
    assert.deepEqual(layout.bars.map((b) => [b.lane, b.at, b.length]), [[1, 30, 90], [2, 120, 60], [1, 180, 60]]);
    assert.deepEqual(layout.transfers, [{ at: 30, fromLane: 0, toLane: 1 }, { at: 120, fromLane: 1, toLane: 2 }, { at: 180, fromLane: 2, toLane: 1 }]);
    assert.deepEqual(layout.lanes[0]!.segments, [{ index: 0, at: 0, length: 30, recorded: false }]);
    assert.deepEqual(layout.ticks.map((k) => k.label), ["0:00", "0:30", "1:00", "1:30", "2:00", "2:30", "3:00", "3:30", "4:00"]);
    assert.equal(callTitle(call), "Inbound call from \u2068+44\u2069 to \u2068+45\u2069");
    assert.equal(recordingTitle(call, call.recordings[1]!), "Segment 3 · \u2068Alice\u2069");
  });

  test("a conference: participants on their lanes, one recording spanning them, no transfers", () => {
    const call = parseCallPayload({
      id: "c",
      start: t("14:00:00"),
      conference: true,
      segments: [
        { index: 0, start: t("14:00:00"), end: t("14:10:00"), user: person("frank") },
        { index: 1, start: t("14:02:00"), end: t("14:10:00"), user: person("carol") },
        { index: 2, start: t("14:04:00"), end: t("14:06:00"), user: person("alice") },
      ],
      recordings: [{ id: "r", segment: null, start: t("14:00:00"), durationSeconds: 600, participants: [person("frank"), person("carol"), person("alice")], audioUrl: "http://x/a" }],
    });
    const layout = layoutCall(call);
    assert.deepEqual(layout.bars, [{ recordingId: "r", recordingIndex: 0, lane: null, at: 0, length: 600, durationSeconds: 600 }]);
    assert.deepEqual(layout.lanes.map((l) => l.who.primary), ["Conference recording", "Frank", "Carol", "Alice"]);
    assert.deepEqual(layout.lanes[0]!.who.secondary, ["3 participants"]);
    assert.deepEqual(layout.lanes.map((l) => l.segments.map((s) => [s.at, s.length, s.recorded])), [[], [[0, 600, true]], [[120, 480, true]], [[240, 120, true]]]);
    assert.deepEqual(layout.transfers, []);
    assert.equal(recordingTitle(call, call.recordings[0]!), "Conference · \u2068Frank\u2069, \u2068Carol\u2069, \u2068Alice\u2069");
  });

  test("ticks stay few however long the call", () => {
    assert.equal(tickStep(40), 5);
    assert.equal(tickStep(240), 30);
    assert.equal(tickStep(3 * 3600), 1800);
    assert.equal(tickStep(30 * 24 * 3600) % 3600, 0);
  });
});
