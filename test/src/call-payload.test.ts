import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseCallPayload } from "../../src/calls/call-payload.js";
import { ShapeError } from "../../src/shape.js";

const BASE = "https://reports.example/api/";

const payload = () => ({
  id: "c-1",
  start: "2026-11-20T11:00:00Z",
  end: "2026-11-20T11:04:00Z",
  direction: "inbound",
  from: "+441632960003",
  to: "+441632960100",
  conference: false,
  groups: [{ id: "sales", name: "Sales" }],
  segments: [
    { index: 2, start: "2026-11-20T11:02:00Z", end: "2026-11-20T11:04:00Z", user: { id: "alice", name: "Alice" }, device: null, group: null },
    { index: 0, start: "2026-11-20T11:00:00Z", end: "2026-11-20T11:00:30Z", user: null, device: null, group: null },
    { index: 1, start: "2026-11-20T11:00:30Z", end: "2026-11-20T11:02:00Z", user: { id: "bob", name: "Bob" }, device: { id: "ext-bob", name: "Desk" }, group: { id: "sales", name: "Sales" } },
  ],
  recordings: [
    { id: "r1", segment: 1, start: "2026-11-20T11:00:30Z", end: "2026-11-20T11:02:00Z", durationSeconds: 90, participants: [{ id: "bob", name: "Bob" }], contentType: "audio/wav", fileName: "x.wav", audioUrl: "recordings/r1/audio?sig=1", downloadUrl: "https://reports.example/api/recordings/r1/download" },
  ],
});

const problem = (value: unknown) => {
  try {
    parseCallPayload(value, BASE);
  } catch (error) {
    assert.ok(error instanceof ShapeError, `a ShapeError, not ${String(error)}`);
    return error.message;
  }
  assert.fail("accepted");
};

describe("call payloads", () => {
  test("a good answer comes out in time order, in ms, with absolute URLs and unknown keys dropped", () => {
    const call = parseCallPayload(payload(), BASE);
    assert.deepEqual(call.segments.map((s) => s.index), [0, 1, 2]);
    assert.equal(call.startMs, Date.parse("2026-11-20T11:00:00Z"));
    assert.equal(call.recordings[0]!.audioUrl, "https://reports.example/api/recordings/r1/audio?sig=1");
    assert.equal(call.recordings[0]!.durationSeconds, 90);
    assert.equal("fileName" in call.recordings[0]!, false);
    assert.deepEqual(call.segments[1]!.group, { id: "sales", name: "Sales" });
  });

  test("only id, start and each recording's id, start, audio and length are required", () => {
    const call = parseCallPayload({ id: "c", start: "2026-11-20T11:00:00Z", recordings: [{ id: "r", start: "2026-11-20T11:00:00Z", end: "2026-11-20T11:00:10Z", audioUrl: "/a.wav" }] }, BASE);
    assert.equal(call.recordings[0]!.durationSeconds, 10);
    assert.equal(call.recordings[0]!.segment, null);
    assert.equal(call.endMs, Date.parse("2026-11-20T11:00:10Z"));
    assert.deepEqual(call.segments, []);
    assert.equal(call.conference, false);
  });

  test("a malformed answer is refused whole, naming the path", () => {
    const p = payload();
    assert.equal(problem(null), "call: expected an object, got null");
    assert.equal(problem({ ...p, start: "soon" }), "call.start: is not a date and time");
    assert.equal(problem({ ...p, recordings: [{ ...p.recordings[0], segment: 9 }] }), "call.recordings[0].segment: the call has no segment 9");
    assert.equal(problem({ ...p, recordings: [{ ...p.recordings[0], downloadUrl: "javascript:alert(1)" }] }), "call.recordings[0].downloadUrl: must be an http or https URL");
    assert.equal(problem({ ...p, recordings: [{ ...p.recordings[0], audioUrl: " data:audio/wav,x" }] }), "call.recordings[0].audioUrl: must be an http or https URL");
    assert.equal(problem({ ...p, recordings: [p.recordings[0], p.recordings[0]] }), 'call.recordings[1].id: "r1" appears twice');
    assert.equal(problem({ ...p, recordings: [{ ...p.recordings[0], durationSeconds: undefined, end: undefined }] }), "call.recordings[0]: needs durationSeconds or end");
    assert.equal(problem({ ...p, segments: [{ ...p.segments[0], index: 1 }, p.segments[2]] }), "call.segments[1].index: 1 appears twice");
    assert.equal(problem({ ...p, recordings: [{ ...p.recordings[0], durationSeconds: Number.POSITIVE_INFINITY }] }), "call.recordings[0].durationSeconds: expected a finite number, got number");
  });
});
