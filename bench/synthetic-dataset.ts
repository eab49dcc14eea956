/**
 * Large synthetic datasets for the benchmarks: a customer with 20 groups, 400 users (every
 * scope), 400 devices, and `calls` calls over a year with transfers and conferences, about two
 * thirds of them recorded. Deterministic for a given size.
 */
import type { Dataset, PlaybackScope, RecordingSetting } from "../src/rules/domain.js";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticDataset(calls: number, seed = 7): Dataset {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const groups = Array.from({ length: 20 }, (_, i) => ({ id: `g${i}`, name: `Group ${i}` }));
  const scopes: PlaybackScope[] = ["none", "own", "primary-group", "member-groups", "all"];
  const settings: RecordingSetting[] = ["inherit", "inherit", "inherit", "on", "off"];
  const users = Array.from({ length: 400 }, (_, i) => ({
    id: `u${i}`,
    name: `User ${i}`,
    password: `u${i}-pass`,
    admin: i === 0,
    primaryGroup: `g${i % 20}`,
    memberGroups: [`g${(i + 7) % 20}`, `g${(i + 13) % 20}`],
    recording: pick(settings),
    playback: i < 5 ? scopes[i]! : pick(scopes),
  }));
  const devices = Array.from({ length: 400 }, (_, i) => ({ id: `d${i}`, name: `Device ${i}`, user: `u${i}`, recording: pick(settings) }));
  const year = Date.parse("2026-01-01T00:00:00Z");
  const span = 330 * 86400_000;
  const out: Dataset["calls"] = [];
  for (let i = 0; i < calls; i++) {
    const start = year + Math.floor((i / calls) * span) + Math.floor(r() * 1000);
    const legs = r() < 0.7 ? 1 : 2 + Math.floor(r() * 3);
    const conference = legs > 1 && r() < 0.1;
    const segments = [];
    let t = start + 5000;
    for (let s = 0; s < legs; s++) {
      const len = 30_000 + Math.floor(r() * 400_000);
      const device = r() < 0.05 ? null : `d${Math.floor(r() * 400)}`;
      const segStart = conference ? start + s * 20_000 : t;
      segments.push({ start: new Date(segStart).toISOString(), end: new Date(segStart + len).toISOString(), device, user: null });
      t = segStart + len;
    }
    out.push({
      id: `c${i}`,
      start: new Date(start).toISOString(),
      direction: pick(["inbound", "outbound", "internal"] as const),
      from: `+4416329${String(i % 100000).padStart(5, "0")}`,
      to: `+44163296${String(Math.floor(r() * 1000)).padStart(4, "0")}`,
      groups: [pick(groups).id],
      conference,
      segments,
    });
  }
  return { customer: { name: "Bench Ltd", recording: "on" }, groups, users, devices, calls: out };
}
