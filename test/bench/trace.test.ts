/**
 * The benchmark's reading of a Chromium trace (bench/trace.ts): which thread is the page's, where
 * its loading ends, and how much of its time ran the extension's scripts. Synthetic traces, in
 * the shape Chromium writes them (the benchmark itself reads real ones).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { analyseTrace, LOADED_MARK, PROFILED_TRACE_CATEGORIES, TRACE_CATEGORIES } from "../../bench/trace.js";

const EXT = "chrome-extension://abc/";
const PAGE = { pid: 10, tid: 10 };
const OTHER = { pid: 20, tid: 20 };

const task = (at: { pid: number; tid: number }, ts: number, dur: number, tdur: number) => ({ name: "RunTask", cat: "disabled-by-default-devtools.timeline", ph: "X", ...at, ts, dur, tdur });
const mark = (at: { pid: number; tid: number }, ts: number, name = LOADED_MARK) => ({ name, cat: "blink.user_timing", ph: "I", ...at, ts });

/** The page's CPU profile: samples every 100 µs from ts 0, each naming the node on top of the stack. */
function profile(samples: number[]) {
  const nodes = [
    { id: 1, callFrame: { url: "" } },
    { id: 2, parent: 1, callFrame: { url: `${EXT}extension/content/isolated.js` } },
    // A DOM call made by the extension's code: no URL of its own, counted for the extension.
    { id: 3, parent: 2, callFrame: { url: "" } },
    { id: 4, parent: 1, callFrame: { url: "http://127.0.0.1/page.js" } },
    { id: 5, parent: 1, callFrame: { url: `${EXT}extension/content/page-world.js` } },
  ];
  return [
    { name: "Profile", ph: "P", ...PAGE, ts: 0, id: "0x1", args: { data: { startTime: 0 } } },
    { name: "ProfileChunk", ph: "P", ...PAGE, ts: 0, id: "0x1", args: { data: { cpuProfile: { nodes, samples }, timeDeltas: samples.map(() => 100) } } },
  ];
}

describe("bench trace analysis", () => {
  test("leaves out devtools.timeline, which counts every layout object at each layout", () => {
    assert.ok(!TRACE_CATEGORIES.includes("devtools.timeline"));
    assert.ok(TRACE_CATEGORIES.includes("disabled-by-default-devtools.timeline"), "the tasks and their thread time");
    assert.ok(TRACE_CATEGORIES.includes("blink.user_timing"), "the page's mark");
  });

  test("measures without V8's sampling profiler, which slows the scripts it samples; a profiled trace has it", () => {
    assert.ok(!TRACE_CATEGORIES.some((category) => category.includes("cpu_profiler")));
    assert.ok(PROFILED_TRACE_CATEGORIES.includes("disabled-by-default-v8.cpu_profiler"));
    assert.ok(TRACE_CATEGORIES.every((category) => PROFILED_TRACE_CATEGORIES.includes(category)));
  });

  test("counts the page thread's microtask checkpoints, each once, in thread time", () => {
    const microtasks = (at: { pid: number; tid: number }, ts: number, dur: number, tdur: number) => ({ name: "RunMicrotasks", cat: "v8.execute", ph: "X", ...at, ts, dur, tdur });
    const trace = {
      traceEvents: [
        task(PAGE, 0, 10_000, 9_000),
        microtasks(PAGE, 100, 3_000, 2_500),
        // A checkpoint inside the one above: already counted.
        microtasks(PAGE, 200, 500, 400),
        microtasks(PAGE, 5_000, 1_000, 800),
        mark(PAGE, 9_000),
        // Another thread's: not the page's.
        microtasks(OTHER, 100, 4_000, 4_000),
      ],
    };
    assert.equal(analyseTrace(trace, LOADED_MARK, EXT).microtaskCpuMs, 3.3);
  });

  test("reads the marked page's thread and splits its CPU time at the mark", () => {
    const trace = {
      traceEvents: [
        task(PAGE, 100, 60, 50),
        // Nested in the task above: not counted again.
        task(PAGE, 120, 10, 8),
        task(PAGE, 1_000, 1_500, 1_200),
        mark(PAGE, 3_000),
        task(PAGE, 4_000, 40, 30),
        // Another renderer (the extension's, a worker): not the page's.
        task(OTHER, 200, 5_000, 5_000),
        mark(OTHER, 3_500, "someone else's mark"),
      ],
    };
    const summary = analyseTrace(trace, LOADED_MARK, EXT);
    assert.equal(summary.cpuMs, 1.28);
    assert.equal(summary.loadCpuMs, 1.25);
    assert.equal(summary.scrollCpuMs, 0.03);
    assert.equal(summary.busyMs, 1.6);
    assert.equal(summary.longestTaskMs, 1.5);
    assert.equal(summary.longTasks, 0);
  });

  test("counts for the extension every sample with one of its scripts in the stack", () => {
    // Samples at 100, 200, … µs: two in isolated.js, one in a DOM call it made, one in the
    // page's own script, one in page-world.js, then the page's again (the last sample has no span).
    const trace = [task(PAGE, 0, 2_000, 2_000), mark(PAGE, 3_000), ...profile([2, 2, 3, 4, 5, 4])];
    const summary = analyseTrace(trace, LOADED_MARK, EXT);
    assert.equal(summary.extensionMs.toFixed(1), "0.4");
    assert.deepEqual(
      Object.fromEntries(Object.entries(summary.extensionByScript).map(([script, ms]) => [script, ms.toFixed(1)])),
      { "extension/content/isolated.js": "0.3", "extension/content/page-world.js": "0.1" },
    );
    assert.equal(summary.extensionLongestMs.toFixed(1), "0.4");
  });

  test("counts apart the page's major garbage collections finished inside a script, not those in the benchmark's DevTools calls", () => {
    assert.ok(TRACE_CATEGORIES.includes("v8"), "the MajorGC events");
    const event = (name: string, cat: string, at: { pid: number; tid: number }, ts: number, dur: number, tdur: number, args?: object) => ({ name, cat, ph: "X", ...at, ts, dur, tdur, args });
    const interrupts = (at: { pid: number; tid: number }, ts: number, dur: number, tdur: number) => event("V8.HandleInterrupts", "v8.execute", at, ts, dur, tdur);
    const majorGc = (at: { pid: number; tid: number }, ts: number, dur: number) =>
      event("MajorGC", "devtools.timeline,v8", at, ts, dur, dur, { data: { type: "finalize incremental marking via stack guard" } });
    const devtools = (ts: number, dur: number) =>
      event("Receive mojo message", "toplevel,mojom", PAGE, ts, dur, dur, { chrome_mojo_event_info: { mojo_interface_tag: "blink.mojom.DevToolsSession" } });
    const trace = [
      task(PAGE, 0, 20_000, 19_000),
      // In an extension's listener: the interrupt that finished the collection, 4.5 ms of thread time.
      interrupts(PAGE, 1_000, 4_800, 4_500),
      majorGc(PAGE, 1_900, 3_700),
      // An interrupt with no collection in it (code installed, say): the script's own.
      interrupts(PAGE, 7_000, 300, 300),
      // In the benchmark's own evaluation (a DevTools call): Chromium's count has none of it.
      devtools(10_000, 5_000),
      interrupts(PAGE, 10_500, 3_000, 2_800),
      majorGc(PAGE, 10_600, 2_700),
      mark(PAGE, 19_000),
      // Another renderer's collection: not the page's.
      interrupts(OTHER, 1_000, 5_000, 5_000),
      majorGc(OTHER, 1_100, 4_000),
    ];
    assert.equal(analyseTrace(trace, LOADED_MARK, EXT).gcInScriptsMs, 4.5);
  });

  test("says which mark it looked for when the page made none", () => {
    assert.throws(() => analyseTrace({ traceEvents: [task(PAGE, 0, 10, 10)] }, LOADED_MARK, EXT), /no user-timing mark "crec-bench:loaded"/);
  });
});
