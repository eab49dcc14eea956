/**
 * Seeded random mutations of a call payload (`GET /api/calls/{id}`'s answer) for the fuzz tests:
 * keys dropped, wrong types, huge and non-finite numbers, script links, non-dates, nested nulls,
 * long strings, prototype keys, lists past their limits, values swapped. Pure and DOM-free (the
 * browser tests and Node both run it); a case is reproducible from its seed: `mutateCase(base, seed)`.
 */

/** A small, fast, seeded PRNG (mulberry32): numbers in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Key = string | number;
type Container = Record<string, unknown> | unknown[];

/** Values that are wrong in some way almost anywhere in a call payload. */
export const ODD_VALUES: readonly unknown[] = [
  null,
  undefined,
  true,
  false,
  0,
  -0,
  -1,
  -1e308,
  1e308,
  2 ** 53 + 2,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  0.1,
  "",
  " ",
  "NaN",
  "Infinity",
  "-1",
  "1e999",
  "0x10",
  "null",
  "constructor",
  "__proto__",
  "toString",
  "hasOwnProperty",
  "javascript:alert(document.domain)",
  " JaVaScRiPt:alert(1)",
  "java\tscript:alert(1)",
  "javascript&colon;alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "data:audio/wav;base64,UklGRg==",
  "vbscript:msgbox(1)",
  "blob:null/1234",
  "file:///etc/passwd",
  "//evil.example/a.wav",
  "https://evil.example/a.wav",
  "http://",
  "http://[::1",
  "\u0000",
  "\u202Eevil",
  "<img src=x onerror=alert(1)>",
  "</script><script>alert(1)</script>",
  "${alert(1)}",
  "2026-13-45T99:99:99Z",
  "2026-02-30T10:00:00Z",
  "0000-01-01T00:00:00Z",
  "1970-01-01T00:00:00Z",
  "9999-12-31T23:59:59Z",
  "+275760-09-13T00:00:00.000Z",
  "-271821-04-20T00:00:00.000Z",
  "2026-11-20",
  "yesterday",
  [],
  [null],
  [[[]]],
  {},
  { name: null },
  { id: null, name: "" },
  { toString: "x", valueOf: 1 },
];

/** Links a page must never put in an href or src. */
export const BAD_LINKS: readonly string[] = [
  "javascript:alert(document.domain)",
  "JAVASCRIPT:alert(1)",
  " \tjavascript:alert(1)",
  "java\nscript:alert(1)",
  "javascript://%0aalert(1)",
  "data:text/html,<script>alert(1)</script>",
  "data:audio/wav;base64,UklGRg==",
  "vbscript:msgbox(1)",
  "blob:https://evil.example/1234",
  "file:///etc/passwd",
  "ftp://evil.example/a.wav",
  "about:blank",
  "chrome://settings",
  "\u0000javascript:alert(1)",
];

const LONG_STRINGS = [2001, 1999, 8193, 100_000];

/** Every path to a value inside the document. */
function paths(value: unknown, prefix: Key[] = [], out: Key[][] = []): Key[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value && typeof value === "object") for (const k of Object.keys(value)) paths((value as Record<string, unknown>)[k], [...prefix, k], out);
  return out;
}

function at(doc: unknown, path: Key[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<Key, unknown>)[k], doc);
}

/** Sets a key as the object's own, even `__proto__` (which assignment would take as the prototype). */
function setOwn(target: Container, key: Key, value: unknown): void {
  if (Array.isArray(target)) target[key as number] = value;
  else Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
}

const clone = <T>(value: T): T => structuredClone(value);
const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
const label = (v: unknown) => (typeof v === "number" ? String(v) : v === undefined ? "undefined" : (JSON.stringify(v) ?? String(v)).slice(0, 40));

/** Applies one random mutation in place; returns what it did. */
export function mutateOnce(doc: Record<string, unknown>, r: () => number): string {
  const all = paths(doc).filter((p) => p.length > 0);
  const path = pick(r, all);
  const parent = at(doc, path.slice(0, -1)) as Container;
  const key = path[path.length - 1]!;
  const where = path.join(".");
  const value = (parent as Record<Key, unknown>)[key];
  switch (Math.floor(r() * 11)) {
    case 0: {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
      return `removed ${where}`;
    }
    case 1: {
      // The wrong type for what is there.
      const wrong =
        typeof value === "string" ? (Number(value) || value.length)
        : typeof value === "number" ? String(value)
        : typeof value === "boolean" ? (value ? "true" : 1)
        : Array.isArray(value) ? { ...value }
        : value && typeof value === "object" ? Object.values(value)
        : "x";
      setOwn(parent, key, wrong);
      return `${where} as ${typeof wrong === "object" ? (Array.isArray(wrong) ? "array" : "object") : typeof wrong} ${label(wrong)}`;
    }
    case 2: {
      // Nested nulls: every field of the object (or the nearest one holding this value) set to null.
      const target = value && typeof value === "object" ? (value as Container) : parent;
      for (const k of Object.keys(target)) setOwn(target, Array.isArray(target) ? Number(k) : k, null);
      return `nulled every field of ${Array.isArray(target) || target !== parent ? where : path.slice(0, -1).join(".") || "the call"}`;
    }
    case 3: {
      // A prototype key as the payload's own, beside what is there.
      const target = value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : Array.isArray(parent) ? doc : parent;
      const protoKey = pick(r, ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "__defineGetter__"]);
      const payload = pick(r, [{ polluted: "yes" }, { prototype: { polluted: "yes" } }, "polluted", null, 1]);
      setOwn(target, protoKey, clone(payload));
      return `own key ${protoKey} = ${label(payload)} near ${where}`;
    }
    case 4: {
      const length = pick(r, LONG_STRINGS);
      const text = pick(r, ["W", "<b>", "\u202E", "é", "https://x/"]).repeat(length).slice(0, length);
      setOwn(parent, key, text);
      return `${where} as a ${length}-character string`;
    }
    case 5: {
      // A list grown past any limit, or a duplicate.
      const list = Array.isArray(parent) ? parent : Array.isArray(value) ? value : null;
      if (list && list.length > 0) {
        const times = r() < 0.3 ? 600 : 1;
        const copy = list[Math.floor(r() * list.length)];
        for (let i = 0; i < times; i++) list.push(clone(copy));
        return `duplicated an item of ${where} ${times}×`;
      }
      setOwn(parent, key, [value, value]);
      return `${where} as a list of itself`;
    }
    case 6: {
      // Values swapped between two places.
      const other = pick(r, all);
      const otherParent = at(doc, other.slice(0, -1)) as Container | undefined;
      if (!otherParent || typeof otherParent !== "object") return `nothing (swap with a place that is gone)`;
      const otherKey = other[other.length - 1]!;
      const otherValue = (otherParent as Record<Key, unknown>)[otherKey];
      if (path.join(".").startsWith(other.join(".")) || other.join(".").startsWith(path.join("."))) return `nothing (swap within itself)`;
      setOwn(parent, key, clone(otherValue));
      setOwn(otherParent, otherKey, clone(value));
      return `swapped ${where} and ${other.join(".")}`;
    }
    case 7: {
      // A link that is not a web link, where a link goes.
      const links = all.filter((p) => /url$/i.test(String(p[p.length - 1])));
      if (links.length === 0) return "nothing (no links left)";
      const link = pick(r, links);
      const bad = pick(r, BAD_LINKS);
      setOwn(at(doc, link.slice(0, -1)) as Container, link[link.length - 1]!, bad);
      return `${link.join(".")} = ${label(bad)}`;
    }
    default: {
      const odd = pick(r, ODD_VALUES);
      setOwn(parent, key, clone(odd));
      return `${where} = ${label(odd)}`;
    }
  }
}

export interface MutatedCase {
  seed: number;
  payload: unknown;
  steps: string[];
}

/** One case: 1 to 4 mutations of a deep copy of `base`, from `seed`. */
export function mutateCase(base: unknown, seed: number): MutatedCase {
  const r = rng(seed);
  const doc = clone(base) as Record<string, unknown>;
  const steps: string[] = [];
  // Mostly one or two, so that many cases still hold together and get drawn.
  const n = 1 + Math.floor(r() ** 2 * 4);
  for (let i = 0; i < n; i++) steps.push(mutateOnce(doc, r));
  return { seed, payload: doc, steps };
}

/** The seeds of `count` cases from a run's seed. */
export function caseSeeds(runSeed: number, count: number): number[] {
  const r = rng(runSeed);
  return Array.from({ length: count }, () => Math.floor(r() * 2 ** 32));
}

/** URL schemes a link in the page may have. */
export function isWebUrl(value: string, base: string): boolean {
  try {
    const { protocol } = new URL(value, base);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}
