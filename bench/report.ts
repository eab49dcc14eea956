/**
 * Figures the benchmarks produce, the table they print and `bench/results.json`.
 */
import { writeFileSync } from "node:fs";
import { cpus, totalmem, type as osType, release } from "node:os";
import { execFileSync } from "node:child_process";

export interface Figure {
  /** What was measured, e.g. "GET /api/calls?hasRecording=true at 1M calls (median)". */
  name: string;
  value: number;
  unit: string;
  /** What it is compared with, and that thing's value in the same run. */
  anchor?: { name: string; value: number } | undefined;
  /** value / anchor (or as stated in `ratioNote`). */
  ratio?: number | undefined;
  ratioNote?: string | undefined;
  /** The target, in words, and whether it was met. */
  target: string;
  met: boolean;
  /** Why a target was missed, or anything a reader must know. */
  note?: string | undefined;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));

export function machine(): Record<string, string | number> {
  const version = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim().split("\n")[0]!;
    } catch {
      return "not found";
    }
  };
  return {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${osType()} ${release()}`,
    node: process.version,
    chromium: version("/usr/bin/chromium", ["--version"]),
    date: new Date().toISOString(),
  };
}

/**
 * A Markdown table of the figures, for the terminal; `readme`: for the README, with markup
 * escaped and without the notes (the README gives them as sentences after the table).
 */
export function table(figures: Figure[], { readme = false }: { readme?: boolean } = {}): string {
  const cell = (s: string) => (readme ? s.replace(/\|/g, "\\|").replace(/</g, "&lt;") : s.replace(/\|/g, "\\|"));
  const notes = !readme;
  const rows = figures.map((f) => [
    cell(f.name),
    `${fmt(f.value)} ${f.unit}`,
    f.anchor ? `${cell(f.anchor.name)}: ${fmt(f.anchor.value)} ${f.unit}` : "—",
    f.ratio !== undefined ? `${f.ratio.toFixed(2)}x${f.ratioNote ? ` ${f.ratioNote}` : ""}` : "—",
    cell(f.target),
    f.met ? "met" : `**missed**${notes && f.note ? `: ${cell(f.note)}` : ""}`,
  ]);
  const head = ["figure", "ours", "anchor", "ratio", "target", "met"];
  return [head, head.map(() => "---"), ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

export function save(figures: Figure[], path = new URL("./results.json", import.meta.url)): void {
  writeFileSync(path, JSON.stringify({ machine: machine(), figures }, null, 2) + "\n");
}
