/**
 * The same seeded mutations as the browser fuzz (test/components/call-session-recordings-fuzz
 * .test.ts), many more of them, straight through the core the element draws with: the payload
 * check, the timeline layout and the labels. Each answer is refused with a ShapeError naming a
 * path under `call`, or comes out whole: web links only, finite numbers in order, labels that
 * are the API's text and nothing the runtime made up.
 *
 *   FUZZ_SEED=n FUZZ_CASES=m node --import tsx --test test/src/call-payload-fuzz.test.ts
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseCallPayload, type CallDetails } from "../../src/calls/call-payload.js";
import { layoutCall } from "../../src/calls/call-timeline.js";
import { callTitle, recordingTitle, recordingWho } from "../../src/calls/call-labels.js";
import { ShapeError } from "../../src/shape.js";
import { transferAnswer } from "../support/call-answer.js";
import { caseSeeds, isWebUrl, mutateCase } from "../support/payload-mutations.js";

const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const CASES = Number(process.env.FUZZ_CASES ?? 5000);
const BASE = "https://reports.example/api/";

/** A real answer's shape (the reference server's, for a transfer), with every optional part. */
const payload = transferAnswer();

const finite = (n: number, what: string) => assert.ok(Number.isFinite(n), `${what} is ${n}`);

function checkWhole(call: CallDetails, label: string): void {
  finite(call.startMs, `${label}: startMs`);
  finite(call.endMs, `${label}: endMs`);
  assert.ok(call.endMs >= call.startMs, `${label}: ends before it starts`);
  for (const r of call.recordings) {
    assert.ok(isWebUrl(r.audioUrl, BASE), `${label}: audio ${r.audioUrl}`);
    if (r.downloadUrl !== undefined) assert.ok(isWebUrl(r.downloadUrl, BASE), `${label}: download ${r.downloadUrl}`);
    finite(r.durationSeconds, `${label}: duration`);
    assert.ok(r.durationSeconds >= 0 && r.endMs >= r.startMs, `${label}: a recording of negative length`);
    assert.ok(r.segment === null || call.segments.length === 0 || call.segments.some((s) => s.index === r.segment), `${label}: a recording of no segment`);
    assert.equal(typeof r.id, "string", label);
    for (const p of r.participants) assert.equal(typeof p.name, "string", `${label}: a participant's name`);
  }
  const layout = layoutCall(call);
  finite(layout.total, `${label}: the timeline's length`);
  assert.ok(layout.ticks.length >= 1 && layout.ticks.length <= 9, `${label}: ${layout.ticks.length} ticks`);
  for (const bar of layout.bars) {
    finite(bar.at, `${label}: a bar's place`);
    finite(bar.length, `${label}: a bar's length`);
  }
  const labels = [callTitle(call), ...call.recordings.flatMap((r) => [recordingTitle(call, r), recordingWho(call, r)]), ...layout.lanes.map((l) => l.who.primary), ...layout.ticks.map((t) => t.label)];
  for (const text of labels) {
    assert.equal(typeof text, "string", label);
    assert.ok(!/\[native code\]|\[object Object\]|^undefined|NaN:/.test(text), `${label}: shows ${JSON.stringify(text.slice(0, 80))}`);
  }
}

test(`${CASES} mutated call answers are refused with a path or come out whole`, () => {
  let whole = 0;
  let refused = 0;
  for (const [i, seed] of caseSeeds(SEED, CASES).entries()) {
    const mutated = mutateCase(payload, seed);
    const label = `case ${i} (run seed ${SEED}, case seed ${seed}): ${mutated.steps.join("; ")}`;
    let call: CallDetails;
    try {
      call = parseCallPayload(mutated.payload, BASE);
    } catch (error) {
      assert.ok(error instanceof ShapeError, `${label}: refused with a ShapeError, not ${String(error)}`);
      assert.match(error.message, /^call[.:[]/, label);
      refused++;
      continue;
    }
    checkWhole(call, label);
    assert.equal(({} as Record<string, unknown>).polluted, undefined, `${label}: Object.prototype polluted`);
    whole++;
  }
  console.log(`API answer fuzz (core): ${CASES} mutated answers, ${whole} whole, ${refused} refused with a path`);
  assert.ok(whole > CASES / 20 && refused > CASES / 2);
});

test("a direction named like a built-in property is not shown as one", () => {
  for (const direction of ["constructor", "toString", "__proto__", "hasOwnProperty", "sideways"]) {
    const call = parseCallPayload({ ...payload, direction }, BASE);
    assert.equal(callTitle(call), "Call from \u2068+441632960003\u2069 to \u2068+441632960100\u2069", direction);
  }
  assert.equal(callTitle(parseCallPayload(payload, BASE)), "Inbound call from \u2068+441632960003\u2069 to \u2068+441632960100\u2069");
});

test("a call that ends before it starts is refused", () => {
  assert.throws(() => parseCallPayload({ ...payload, start: "2026-11-20T12:00:00Z" }, BASE), /^ShapeError: call\.end: is before its start$/);
});
