/**
 * Reads a Chromium trace (puppeteer's `page.tracing`, the categories below) of one page load:
 * the page's renderer main thread, its tasks, and how much of that thread's time ran the
 * extension's scripts, from the V8 sampling profiler in the trace (a sample counts for the
 * extension when any frame of its stack is one of the extension's scripts, so the DOM calls its
 * code makes count too; style and layout that happen later do not, and show in the page's
 * total instead). Microtasks, where the content scripts do most of their work, carry no script
 * URL in timeline events, so the profiler is the only way to attribute them.
 */

export const TRACE_CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute", "toplevel", "disabled-by-default-v8.cpu_profiler"];

export interface TraceSummary {
  /** Sum of the main thread's top-level tasks, in ms. */
  busyMs: number;
  /**
   * The CPU time of those tasks (their thread time), in ms: what the page's work costs, less
   * disturbed than `busyMs` by other work on a shared machine, which it also waits for.
   */
  cpuMs: number;
  /**
   * `cpuMs` split where the page first scrolls (the first ScrollLayer event; all of it is
   * loading when the page never scrolls): loading, where the page's own parsing and layout vary
   * by hundreds of milliseconds from trace to trace, and scrolling, which varies little.
   */
  loadCpuMs: number;
  scrollCpuMs: number;
  /** Of which layout (the trace's Layout events), in ms. */
  layoutMs: number;
  longestTaskMs: number;
  /** Tasks over 50 ms. */
  longTasks: number;
  /** Main-thread time in the extension's scripts, in ms. */
  extensionMs: number;
  /** The most of it in one task, in ms. */
  extensionLongestMs: number;
  /** The extension's time by its script (the outermost of its frames), in ms. */
  extensionByScript: Record<string, number>;
  /**
   * Of the extension's time, the style and layout it forced (its scripts asked for a size or a
   * computed style while the page's were out of date: the trace's Layout and UpdateLayoutTree
   * events in the middle of its code), in ms.
   */
  extensionForcedLayoutMs: number;
}

interface TraceEvent {
  name: string;
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
    beginData?: { url?: string };
    data?: {
      startTime?: number;
      cpuProfile?: { nodes?: { id: number; parent?: number; callFrame: { url?: string } }[]; samples?: number[] };
      timeDeltas?: number[];
    };
  };
}

export function analyseTrace(trace: unknown, pageUrlPart: string, extensionPrefix: string): TraceSummary {
  const events: TraceEvent[] = Array.isArray(trace) ? (trace as TraceEvent[]) : ((trace as { traceEvents: TraceEvent[] }).traceEvents ?? []);
  const parse = events.find((e) => e.name === "ParseHTML" && e.args?.beginData?.url?.includes(pageUrlPart));
  if (!parse) throw new Error(`the trace has no parsing of ${pageUrlPart}`);
  const { pid, tid } = parse;

  // Top-level tasks of the page's main thread, in order.
  const tasks: { start: number; end: number; cpu: number }[] = [];
  for (const e of events.filter((x) => x.pid === pid && x.tid === tid && x.ph === "X" && x.name === "RunTask" && x.dur !== undefined).sort((a, b) => a.ts - b.ts)) {
    const last = tasks.at(-1);
    if (last && e.ts < last.end) continue; // nested in the previous one
    tasks.push({ start: e.ts, end: e.ts + e.dur!, cpu: e.tdur ?? e.dur! });
  }
  const durations = tasks.map((t) => (t.end - t.start) / 1000);
  const firstScroll = events.filter((e) => e.pid === pid && e.tid === tid && e.name === "ScrollLayer").reduce((first, e) => Math.min(first, e.ts), Number.POSITIVE_INFINITY);
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
  // Style and layout done in the middle of a script: forced.
  const layouts = events
    .filter((e) => e.pid === pid && e.tid === tid && e.ph === "X" && (e.name === "Layout" || e.name === "UpdateLayoutTree") && e.dur !== undefined)
    .map((e) => ({ start: e.ts, end: e.ts + e.dur! }))
    .sort((a, b) => a.start - b.start)
    .reduce<{ start: number; end: number }[]>((merged, span) => {
      const last = merged.at(-1);
      if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
      else merged.push({ ...span });
      return merged;
    }, []);
  let extensionUs = 0;
  let forcedUs = 0;
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
    if (taskAt(layouts, s.at) >= 0) forcedUs += span;
    const task = taskAt(tasks, s.at);
    if (task >= 0) perTask.set(task, (perTask.get(task) ?? 0) + span);
  }

  const layoutMs = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === "X" && e.name === "Layout" && e.dur !== undefined).reduce((sum, e) => sum + e.dur! / 1000, 0);
  return {
    busyMs: durations.reduce((a, b) => a + b, 0),
    cpuMs: cpuOf(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY),
    loadCpuMs: cpuOf(Number.NEGATIVE_INFINITY, firstScroll),
    scrollCpuMs: cpuOf(firstScroll, Number.POSITIVE_INFINITY),
    layoutMs,
    longestTaskMs: Math.max(0, ...durations),
    longTasks: durations.filter((d) => d > 50).length,
    extensionMs: extensionUs / 1000,
    extensionLongestMs: Math.max(0, ...perTask.values()) / 1000,
    extensionByScript: byScript,
    extensionForcedLayoutMs: forcedUs / 1000,
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
