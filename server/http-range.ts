/**
 * HTTP byte ranges (RFC 9110 §14) for the audio endpoint. One range is served as 206; a
 * range that cannot be satisfied, that is malformed, reversed or negative, or that asks for
 * several parts at once, is answered 416 with the resource's size, so a client always learns
 * what it may ask for. (Browsers' media elements only ever ask for one open-ended range.)
 */

export type RangeAnswer =
  | { kind: "whole" }
  | { kind: "partial"; start: number; end: number }
  | { kind: "unsatisfiable" };

const SINGLE = /^bytes=(\d*)-(\d*)$/;

/** Reads a `Range` header against a resource of `size` bytes. */
export function parseRange(header: string | undefined | null, size: number): RangeAnswer {
  if (header === undefined || header === null) return { kind: "whole" };
  const m = SINGLE.exec(header.trim());
  if (!m) return { kind: "unsatisfiable" };
  const [, a = "", b = ""] = m;
  if (a === "" && b === "") return { kind: "unsatisfiable" };
  // Numbers longer than 15 digits overflow what a file here can be; refuse rather than round.
  if (a.length > 15 || b.length > 15) return { kind: "unsatisfiable" };
  if (a === "") {
    const suffix = Number(b);
    if (suffix === 0 || size === 0) return { kind: "unsatisfiable" };
    return { kind: "partial", start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(a);
  const end = b === "" ? size - 1 : Math.min(Number(b), size - 1);
  if (start >= size || (b !== "" && Number(b) < start)) return { kind: "unsatisfiable" };
  return { kind: "partial", start, end };
}
