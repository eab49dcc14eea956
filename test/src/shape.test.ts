/** The one set of checks (src/shape.ts): every problem of a value is named, each by its path. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { array, check, lazy, number, object, optional, Problems, ShapeError, string } from "../../src/shape.js";
import { parseCallPayload } from "../../src/calls/call-payload.js";

const message = object({ type: string({ min: 1 }), recordings: array(object({ src: string({ min: 1 }), at: optional(number({ min: 0 })) })) });

test("a shape names every problem of a value, each by its path, not only the first", () => {
  const checked = check(message, { type: "", extra: 1, recordings: [{ src: "a" }, { src: 7, at: -1 }] }, "request");
  assert.equal(checked.ok, false);
  assert.ok(!checked.ok);
  assert.deepEqual(checked.problems, [
    { path: "request.extra", message: "is not expected here" },
    { path: "request.type", message: "must not be empty" },
    { path: "request.recordings[1].src", message: "expected a string, got number" },
    { path: "request.recordings[1].at", message: "must be from 0 to 1.7976931348623157e+308" },
  ]);
  assert.equal(checked.problem.split("\n")[0], "request.extra: is not expected here");
});

test("a lazy shape is made on its first check, once, and checks as the shape it makes", () => {
  let made = 0;
  const recording = lazy(() => {
    made++;
    return object({ src: string({ min: 1 }) });
  });
  const call = object({ recordings: array(recording) });
  assert.equal(made, 0, "nothing made before a check");
  assert.deepEqual(call({ recordings: [{ src: "a" }, { src: "b" }] }), { recordings: [{ src: "a" }, { src: "b" }] });
  const refused = check(call, { recordings: [{ src: "" }] }, "call");
  assert.ok(!refused.ok);
  assert.equal(refused.problem, "call.recordings[0].src: must not be empty");
  assert.equal(made, 1, "made once");
});

test("a ShapeError of one sentence keeps it whole, and its path", () => {
  const error = new ShapeError('call.id: asked for "c-1", got "c-2"');
  assert.equal(error.message, 'call.id: asked for "c-1", got "c-2"');
  assert.deepEqual(error.problems, [{ path: "call.id", message: 'asked for "c-1", got "c-2"' }]);
});

test("a wholly wrong value lists ten problems, then how many more", () => {
  const error = (() => {
    try {
      array(string())(Array.from({ length: 25 }, (_, i) => i), "list");
    } catch (e) {
      return e;
    }
    return null;
  })();
  assert.ok(error instanceof ShapeError);
  assert.equal(error.problems.length, 25);
  const lines = error.message.split("\n");
  assert.equal(lines.length, 11);
  assert.equal(lines[10], "… and 15 more problems");
});

test("an API answer with several problems names them all", () => {
  const call = {
    id: "c-1",
    start: "2026-11-20T11:00:00Z",
    recordings: [
      { id: "r1", start: "2026-11-20T11:00:00Z", durationSeconds: "ten", audioUrl: "/a.wav" },
      { id: "r2", start: "2026-11-20T11:00:00Z", durationSeconds: 5 },
    ],
  };
  assert.throws(
    () => parseCallPayload(call, "https://reports.example/api/"),
    (error: unknown) => {
      assert.ok(error instanceof ShapeError);
      assert.deepEqual(
        error.problems.map((p) => p.path),
        ["call.recordings[0].durationSeconds", "call.recordings[1].audioUrl"],
      );
      return true;
    },
  );
  // Past the shapes, the call's own rules: each broken one is named too.
  const twice = { id: "r1", start: "2026-11-20T11:00:00Z", durationSeconds: 5, audioUrl: "/a.wav" };
  assert.throws(
    () => parseCallPayload({ ...call, recordings: [twice, { ...twice, downloadUrl: "javascript:alert(1)" }] }, "https://reports.example/api/"),
    (error: unknown) => {
      assert.ok(error instanceof ShapeError);
      assert.equal(error.message, 'call.recordings[1].id: "r1" appears twice\ncall.recordings[1].downloadUrl: must be an http or https URL');
      return true;
    },
  );
});

test("reading part by part: odd keys are named as JSON would, the root by its label", () => {
  const r = new Problems("dataset");
  const o = r.object({ "a b": 1, ok: 2 }, "", ["ok"]);
  assert.deepEqual(o, { "a b": 1, ok: 2 });
  r.required({}, "calls", "");
  r.required({}, "id", "calls[0]");
  assert.deepEqual(r.problems, [
    { path: 'dataset["a b"]', message: "unknown key; expected one of ok" },
    { path: "calls", message: "is required" },
    { path: "calls[0].id", message: "is required" },
  ]);
});
