/**
 * Reads a Chromium trace (puppeteer's `page.tracing`, the categories below) of one page load:
 * the page's renderer main thread, its tasks, its microtasks' time, and, in a trace taken with
 * V8's sampling profiler (`PROFILED_TRACE_CATEGORIES`), which scripts that time went to (a
 * sample counts for the extension when any frame of its stack is one of the extension's
 * scripts, so the DOM calls its code makes count too; style and layout that happen later do
 * not, and show in the page's total instead).
 *
 * The profiler slows the JavaScript it samples, most of all code that runs for the first time:
 * on the 10,000-row Call List, the Call List marks' passes, timed by the script itself, took
 * 28–38 ms untraced and 51–65 ms with the profiler on (the first pass, as the page loads, 13 ms
 * against 24–90). So how long scripts take is measured without it: Chromium's own count of the
 * page's script time (`scriptClock`: the Performance domain's ScriptDuration and
 * V8CompileDuration, in thread time) and the microtasks in the trace, which that count leaves
 * out. On a page with no scripts of its own, that is the extension's, but for one thing: the
 * page's own major garbage collections, which V8 finishes in whichever script runs next once their
 * marking is done, so on such a page inside the extension's listeners (`gcInScriptsMs`, left out
 * of the extension's time by the benchmark).
 *
 * The page marks the end of its loading with a user-timing mark (`performance.mark(name)`, made
 * by the benchmark): the mark names the page's main thread, and splits loading from what follows.
 */

/** The mark the benchmark makes in the traced page once it has loaded (before scrolling it). */
export const LOADED_MARK = "crec-bench:loaded";

/**
 * Not `devtools.timeline`: with it on, Chromium counts every layout object of the page at each
 * layout, for the Layout event's arguments. On the 10,000-row Call List (226,000 layout objects)
 * a layout of the whole document that takes about 0.1 ms untraced (the body's padding, a fixed
 * box's height or its text changed, as the docked player does) took 11 to 13 ms traced: the
 * traces charged each such layout, the extension's and the page's own, about that much.
 * `disabled-by-default-devtools.timeline` still gives each task and its thread time.
 */
export const TRACE_CATEGORIES = [
  // `BENCH_TRACE_TIMELINE=1` (with BENCH_TRACE_DIR, to look into the traces kept): with it after
  // all, for each script call (FunctionCall, EvaluateScript) and any layout or style it forced
  // inside it, though every layout then costs the more (above).
  ...(process.env.BENCH_TRACE_TIMELINE === "1" ? ["devtools.timeline"] : []),
  "disabled-by-default-devtools.timeline",
  "toplevel",
  "v8.execute",
  // For the major garbage collections (MajorGC), to tell them apart inside the scripts' time.
  "v8",
  "blink.user_timing",
  // `BENCH_TRACE_COMPILE=1`: V8's compile events too (each script's compile, each function's on
  // its first call), to see how much of a new renderer's time is compiling. They slow every
  // compile, so the figures of such a run come out higher.
  ...(process.env.BENCH_TRACE_COMPILE === "1" ? ["disabled-by-default-v8.compile"] : []),
];

/** With V8's sampling profiler: which scripts the time went to, though the profiler slows them (see above). */
export const PROFILED_TRACE_CATEGORIES = [...TRACE_CATEGORIES, "disabled-by-default-v8.cpu_profiler"];

export interface TraceSummary {
  /** Sum of the main thread's top-level tasks, in ms. */
  busyMs: number;
  /**
   * The CPU time of those tasks (their thread time), in ms: what the page's work costs, less
   * disturbed than `busyMs` by other work on a shared machine, which it also waits for.
   */
  cpuMs: number;
  /**
   * `cpuMs` split at the page's mark (see above): loading, where the page's own parsing and
   * layout vary by hundreds of milliseconds from trace to trace, and what follows (scrolling,
   * which varies little).
   */
  loadCpuMs: number;
  scrollCpuMs: number;
  longestTaskMs: number;
  /** Tasks over 50 ms. */
  longTasks: number;
  /** The thread time of the main thread's microtask checkpoints (promise callbacks, `await`), in ms. */
  microtaskCpuMs: number;
  /**
   * The thread time of the page's major garbage collections that V8 finished inside the scripts
   * whose time Chromium counts, in ms. Once a major collection's incremental marking is done, V8
   * finishes it in the next script to run ("finalize incremental marking via stack guard"): on a
   * page with no scripts of its own, one of the extension's listeners, however little it does
   * (a `pageshow` listener that sets one field took 4.5 ms so). The page makes as many such
   * collections without the extension, finished then in the benchmark's own DevTools calls,
   * which the count leaves out, or in a task of their own; so this is the page's work, counted
   * in the scripts' time only by where it fell. The benchmark's DevTools calls are not looked in.
   */
  gcInScriptsMs: number;
  /** Main-thread time in the extension's scripts, in ms. */
  extensionMs: number;
  /** The most of it in one task, in ms. */
  extensionLongestMs: number;
  /** The extension's time by its script (the outermost of its frames), in ms. */
  extensionByScript: Record<string, number>;
}

interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** Thread time, µs. */
  tdur?: number;
  id?: string;
  args?: {
    name?: string;
    chrome_mojo_event_info?: { mojo_interface_tag?: string };
    data?: {
      startTime?: number;
      cpuProfile?: { nodes?: { id: number; parent?: number; callFrame: { url?: string } }[]; samples?: number[] };
      timeDeltas?: number[];
    };
  };
}

/** `mark`: the user-timing mark the page made as it finished loading (see above). */
export function analyseTrace(trace: unknown, mark: string, extensionPrefix: string): TraceSummary {
  const events: TraceEvent[] = Array.isArray(trace) ? (trace as TraceEvent[]) : ((trace as { traceEvents: TraceEvent[] }).traceEvents ?? []);
  const marked = events.find((e) => e.name === mark && e.cat === "blink.user_timing");
  if (!marked) throw new Error(`the trace has no user-timing mark "${mark}"`);
  const { pid, tid } = marked;
  /** The page main thread's complete events (those with a duration). */
  const main = events.filter((x) => x.pid === pid && x.tid === tid && x.ph === "X" && x.dur !== undefined);

  // Top-level tasks of the page's main thread, in order.
  const tasks: { start: number; end: number; cpu: number }[] = [];
  for (const e of main.filter((x) => x.name === "RunTask").sort((a, b) => a.ts - b.ts)) {
    const last = tasks.at(-1);
    if (last && e.ts < last.end) continue; // nested in the previous one
    tasks.push({ start: e.ts, end: e.ts + e.dur!, cpu: e.tdur ?? e.dur! });
  }
  const durations = tasks.map((t) => (t.end - t.start) / 1000);
  // Microtask checkpoints, outermost only (one can run inside another's script).
  let microtaskUs = 0;
  let microtaskEnd = Number.NEGATIVE_INFINITY;
  for (const e of main.filter((x) => x.name === "RunMicrotasks").sort((a, b) => a.ts - b.ts)) {
    if (e.ts < microtaskEnd) continue;
    microtaskEnd = e.ts + e.dur!;
    microtaskUs += e.tdur ?? e.dur!;
  }
  // Interrupts handled in a script that finished a major garbage collection, outside DevTools'
  // own calls (see `gcInScriptsMs`).
  const devtools = main.filter((x) => x.name === "Receive mojo message" && x.args?.chrome_mojo_event_info?.mojo_interface_tag === "blink.mojom.DevToolsSession");
  const majorGcs = main.filter((x) => x.name === "MajorGC");
  const within = (inner: TraceEvent, outer: TraceEvent) => inner.ts >= outer.ts && inner.ts + inner.dur! <= outer.ts + outer.dur!;
  let gcInScriptsUs = 0;
  for (const e of main.filter((x) => x.name === "V8.HandleInterrupts")) {
    if (majorGcs.some((gc) => within(gc, e)) && !devtools.some((call) => within(e, call))) gcInScriptsUs += e.tdur ?? e.dur!;
  }
  const loaded = marked.ts;
  const cpuOf = (from: number, to: number) => tasks.filter((t) => t.start >= from && t.start < to).reduce((sum, t) => sum + t.cpu / 1000, 0);

  // The main thread's CPU profile: nodes and samples, chunk by chunk.
  const profile = events.find((e) => e.name === "Profile" && e.pid === pid && e.tid === tid);
  const parent = new Map<number, number | undefined>();
  const url = new Map<number, string>();

  const samples: { node: number; at: number }[] = [];
  if (profile) {
    let at = profile.args?.data?.startTime ?? profile.ts;
    for (const chunk of events.filter((e) => e.name === "ProfileChunk" && e.pid === pid && e.id === profile.id)) {
      const data = chunk.args?.data;
      for (const node of data?.cpuProfile?.nodes ?? []) {
        parent.set(node.id, node.parent);
        url.set(node.id, node.callFrame.url ?? "");
      }
      const ids = data?.cpuProfile?.samples ?? [];
      const deltas = data?.timeDeltas ?? [];
      ids.forEach((node, i) => {
        at += deltas[i] ?? 0;
        samples.push({ node, at });
      });
    }
  }
  /** The extension's script outermost in a node's stack, or null when none of it is the extension's. */
  const scripts = new Map<number, string | null>();
  const scriptOf = (node: number): string | null => {
    const known = scripts.get(node);
    if (known !== undefined) return known;
    const up = parent.get(node);
    const own = url.get(node) ?? "";
    const result = (up !== undefined ? scriptOf(up) : null) ?? (own.startsWith(extensionPrefix) ? own.slice(extensionPrefix.length) : null);
    scripts.set(node, result);
    return result;
  };

  // Each sample stands for the time until the next one (capped, so a gap is not counted whole).
  let extensionUs = 0;
  const perTask = new Map<number, number>();
  const byScript: Record<string, number> = {};
  samples.sort((a, b) => a.at - b.at);
  for (let i = 0; i + 1 < samples.length; i++) {
    const s = samples[i]!;
    const script = scriptOf(s.node);
    if (script === null) continue;
    const span = Math.min(samples[i + 1]!.at - s.at, 2000);
    extensionUs += span;
    byScript[script] = (byScript[script] ?? 0) + span / 1000;
    const task = taskAt(tasks, s.at);
    if (task >= 0) perTask.set(task, (perTask.get(task) ?? 0) + span);
  }

  return {
    busyMs: durations.reduce((a, b) => a + b, 0),
    cpuMs: cpuOf(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY),
    loadCpuMs: cpuOf(Number.NEGATIVE_INFINITY, loaded),
    scrollCpuMs: cpuOf(loaded, Number.POSITIVE_INFINITY),
    longestTaskMs: Math.max(0, ...durations),
    longTasks: durations.filter((d) => d > 50).length,
    microtaskCpuMs: microtaskUs / 1000,
    gcInScriptsMs: gcInScriptsUs / 1000,
    extensionMs: extensionUs / 1000,
    extensionLongestMs: Math.max(0, ...perTask.values()) / 1000,
    extensionByScript: byScript,
  };
}

/** The index of the span (sorted, not overlapping) running at `at` (µs), or -1. */
function taskAt(tasks: { start: number; end: number }[], at: number): number {
  let lo = 0;
  let hi = tasks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = tasks[mid]!;
    if (at < t.start) hi = mid - 1;
    else if (at >= t.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** The Performance domain's methods the script clock needs (puppeteer's CDPSession has them). */
interface PerformanceSession {
  send(method: "Performance.enable", params: { timeDomain: "threadTicks" }): Promise<unknown>;
  send(method: "Performance.getMetrics"): Promise<{ metrics: { name: string; value: number }[] }>;
}

/**
 * Chromium's count of a page's script time, in thread time: scripts run and callbacks called
 * (ScriptDuration, every world's: the page's own and content scripts') and compiling them
 * (V8CompileDuration). Microtasks are not in it (`TraceSummary.microtaskCpuMs` is). Started
 * before the page is loaded; `read` gives the milliseconds counted since.
 */
export async function scriptClock(session: PerformanceSession): Promise<{ read(): Promise<number> }> {
  const now = async () => {
    const { metrics } = await session.send("Performance.getMetrics");
    const value = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
    return (value("ScriptDuration") + value("V8CompileDuration")) * 1000;
  };
  await session.send("Performance.enable", { timeDomain: "threadTicks" });
  const start = await now();
  return {
    async read() {
      const end = await now();
      // Counted afresh by the document the navigation made, or on from the start.
      return end >= start ? end - start : end;
    },
  };
}
