/**
 * The browser benchmarks' dataset: `syntheticDataset(calls)` (so the Call List can show 10,000
 * rows) plus two single-segment calls on a device that records, one of one hour and one of two
 * hours, for the playback benchmarks. Generated on each run; the audio is synthesized by range,
 * so the long recordings cost no disk.
 */
import type { Dataset } from "../src/rules/domain.js";
import { syntheticDataset } from "./synthetic-dataset.js";

/** Signs in with every call visible (playback scope `all`); password `${id}-pass`. */
export const BENCH_USER = "u4";

/** The long calls, by their recording's length in hours. */
export const LONG_CALLS = { 1: "bench-1h", 2: "bench-2h" } as const;

export function benchDataset(calls: number): Dataset {
  const data = syntheticDataset(calls);
  data.devices.push({ id: "bench-dev", name: "Bench recorder", user: BENCH_USER, recording: "on" });
  for (const [hours, id] of Object.entries(LONG_CALLS)) {
    const start = Date.parse("2026-12-01T09:00:00Z") + Number(hours) * 86_400_000;
    const end = start + Number(hours) * 3_600_000;
    data.calls.push({
      id,
      start: new Date(start).toISOString(),
      direction: "inbound",
      from: "+441632960001",
      to: "+441632960100",
      groups: [],
      conference: false,
      segments: [{ start: new Date(start).toISOString(), end: new Date(end).toISOString(), device: "bench-dev", user: BENCH_USER }],
    });
  }
  return data;
}
