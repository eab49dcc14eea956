import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseCallPayload } from "../../src/calls/call-payload.js";
import { parseIsoTime } from "../../src/iso-time.js";
import { ShapeError } from "../../src/shape.js";
import { transferAnswer } from "../support/call-answer.js";

const BASE = "https://reports.example/api/";

/** The transfer's answer with its segments out of order and its first recording alone. */
const payload = () => {
  const answer = transferAnswer();
  const [first, second, third] = answer.segments;
  return { ...answer, segments: [third!, first!, second!], recordings: [answer.recordings[0]!] };
};

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

  test("a time without a UTC offset is refused, not read in the browser's zone", () => {
    const p = payload();
    const hint = '; give one with Z or an offset, like "2026-11-20T09:14:03Z"';
    assert.equal(problem({ ...p, start: "2026-11-20 09:14:03" }), `call.start: "2026-11-20 09:14:03" has no UTC offset${hint}`);
    assert.equal(problem({ ...p, segments: [p.segments[0], { ...p.segments[1], end: "2026-11-20T11:02:00" }, p.segments[2]] }), `call.segments[1].end: "2026-11-20T11:02:00" has no UTC offset${hint}`);
    assert.equal(problem({ ...p, recordings: [{ ...p.recordings[0], start: "2026-11-20T11:00:30.250" }] }), `call.recordings[0].start: "2026-11-20T11:00:30.250" has no UTC offset${hint}`);
    // Read alike by every browser, or not at all: a date in another format is refused even with a zone.
    assert.equal(problem({ ...p, start: "Fri, 20 Nov 2026 11:00:00 GMT" }), `call.start: "Fri, 20 Nov 2026 11:00:00 GMT" is not an ISO 8601 date and time${hint}`);
    assert.equal(problem({ ...p, end: "2026-02-30T11:04:00Z" }), "call.end: is not a date and time");
  });

  test("times with Z, an offset or a fraction are read as the instants they name", () => {
    const p = payload();
    const call = parseCallPayload({ ...p, start: "2026-11-20T12:00:00+01:00", recordings: [{ ...p.recordings[0], start: "2026-11-20T11:00:30.250Z" }] }, BASE);
    assert.equal(call.startMs, Date.parse("2026-11-20T11:00:00Z"));
    assert.equal(call.recordings[0]!.startMs, Date.parse("2026-11-20T11:00:30.250Z"));
  });
});

describe("ISO 8601 times with a zone", () => {
  test("are read as the instant they name", () => {
    assert.equal(parseIsoTime("2026-11-20T09:14:03Z"), Date.UTC(2026, 10, 20, 9, 14, 3));
    assert.equal(parseIsoTime("2026-11-20T09:14:03.5+01:00"), Date.UTC(2026, 10, 20, 8, 14, 3, 500));
    assert.equal(parseIsoTime("2026-11-20T09:14:03-05:30"), Date.UTC(2026, 10, 20, 14, 44, 3));
  });

  test("without a zone, out of range or in another format, are not read at all", () => {
    for (const s of ["2026-11-20 09:14:03", "2026-11-20T09:14:03", "2026-02-30T09:14:03Z", "2026-11-20T24:00:00Z", "2026-11-20T09:14:03+24:00", "2026-11-20T09:14:03+0100", "Fri, 20 Nov 2026 09:14:03 GMT", "2026-11-20"]) {
      assert.equal(parseIsoTime(s), undefined, s);
    }
  });
});
