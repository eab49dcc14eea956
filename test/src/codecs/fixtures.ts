/** The codec fixtures made by scripts/make-codec-fixtures.sh, and helpers shared by the codec tests. */
import { readFileSync } from "node:fs";
import assert from "node:assert/strict";

export function fixture(name: string): Uint8Array {
  const buffer = readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** A reference decoding: 16-bit little-endian PCM. */
export function pcmFixture(name: string): Int16Array {
  const bytes = fixture(name);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Int16Array.from({ length: bytes.length >> 1 }, (_, i) => view.getInt16(2 * i, true));
}

/** Deterministic pseudo-random numbers (mulberry32), so chunk sizes and noise are the same on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Split bytes into chunks of pseudo-random sizes from 1 to `maxSize`. */
export function chunks(bytes: Uint8Array, seed: number, maxSize: number): Uint8Array[] {
  const next = random(seed);
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + Math.floor(next() * maxSize);
    out.push(bytes.subarray(at, at + size));
    at += size;
  }
  return out;
}

export function concat(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Sample-exact equality, reporting the first difference rather than dumping arrays. */
export function assertSamplesEqual(actual: Int16Array, expected: Int16Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i]) assert.fail(`${what}: sample ${i} is ${actual[i]}, expected ${expected[i]}`);
  }
}

/** Index of the first sample after which `actual` equals `expected[offset..]` to the end (0 when equal throughout). */
export function convergedAfter(actual: Int16Array, expected: Int16Array, offset: number): number {
  let last = -1;
  for (let i = 0; i < actual.length; i++) if (actual[i] !== expected[offset + i]) last = i;
  return last + 1;
}
