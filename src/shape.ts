/**
 * The one set of checks for data that crosses a trust boundary (extension messages, storage, API
 * answers, dataset files, site profiles). Every problem is named by its path:
 * `calls[3].segments[0].device: unknown device "ext-999"`. Shapes check a value and return it
 * typed or throw a ShapeError with every problem; {@link Problems} collects them read by read.
 */

/** A problem found in a value: `path` is like `calls[3].segments[0].device`. */
export interface Problem {
  path: string;
  message: string;
}

/**
 * The problems as text, one `path: message` line each. With `max`, lists that many and then
 * says how many more there are, so a wholly wrong value does not flood a terminal.
 */
export function formatProblems(problems: readonly Problem[], max = Infinity): string {
  const lines = problems.slice(0, max).map((p) => `${p.path}: ${p.message}`);
  const more = problems.length - lines.length;
  if (more > 0) lines.push(`… and ${more} more problem${more === 1 ? "" : "s"}`);
  return lines.join("\n");
}

/** A value refused by a shape: `problems` has every problem, the message the first few. */
export class ShapeError extends Error {
  override name = "ShapeError";
  readonly problems: Problem[];
  /** Either every problem, or one `path: problem` sentence. */
  constructor(problems: string | readonly Problem[]) {
    const list = typeof problems === "string" ? [splitProblem(problems)] : [...problems];
    super(typeof problems === "string" ? problems : formatProblems(list, 10));
    this.problems = list;
  }
}

function splitProblem(text: string): Problem {
  const at = text.indexOf(": ");
  return at < 0 ? { path: "", message: text } : { path: text.slice(0, at), message: text.slice(at + 2) };
}

/** Adds a shape's problems to `into`; anything else thrown goes on up. */
function collect(error: unknown, into: Problem[]): void {
  if (!(error instanceof ShapeError)) throw error;
  into.push(...error.problems);
}

/** Checks a value; returns it typed or throws a ShapeError. */
export type Shape<T> = (value: unknown, path?: string) => T;

/** The type a shape checks. */
export type Infer<S> = S extends Shape<infer T> ? T : never;

/**
 * A shape made on its first use. A module of many shapes then costs nothing to load until one
 * is used: the extension's content scripts load on every page of a reporting site, most of
 * which never check a message.
 */
export function lazy<T>(make: () => Shape<T>): Shape<T> {
  let shape: Shape<T> | undefined;
  return (value, path) => (shape ??= make())(value, path);
}

const fail = (path: string, problem: string): never => {
  throw new ShapeError(`${path}: ${problem}`);
};

const describe = (value: unknown): string => (value === null ? "null" : Array.isArray(value) ? "an array" : typeof value);

export function string(options: { min?: number; max?: number; pattern?: RegExp } = {}): Shape<string> {
  const { min = 0, max = 2048, pattern } = options;
  return (value, path = "value") => {
    if (typeof value !== "string") return fail(path, `expected a string, got ${describe(value)}`);
    if (value.length < min) return fail(path, min === 1 ? "must not be empty" : `must have at least ${min} characters`);
    if (value.length > max) return fail(path, `must have at most ${max} characters`);
    if (pattern && !pattern.test(value)) return fail(path, "is not in the expected form");
    return value;
  };
}

export function number(options: { min?: number; max?: number; integer?: boolean } = {}): Shape<number> {
  const { min = -Number.MAX_VALUE, max = Number.MAX_VALUE, integer = false } = options;
  return (value, path = "value") => {
    if (typeof value !== "number" || !Number.isFinite(value)) return fail(path, `expected a finite number, got ${describe(value)}`);
    if (integer && !Number.isInteger(value)) return fail(path, "must be a whole number");
    if (value < min || value > max) return fail(path, `must be from ${min} to ${max}`);
    return value;
  };
}

export const boolean: Shape<boolean> = (value, path = "value") =>
  typeof value === "boolean" ? value : fail(path, `expected true or false, got ${describe(value)}`);

export function literal<L extends string | number | boolean>(expected: L): Shape<L> {
  return (value, path = "value") => (value === expected ? expected : fail(path, `expected ${JSON.stringify(expected)}`));
}

export function oneOf<L extends string>(...choices: readonly L[]): Shape<L> {
  return (value, path = "value") =>
    typeof value === "string" && (choices as readonly string[]).includes(value) ? (value as L) : fail(path, `expected one of ${choices.join(", ")}`);
}

export function nullable<T>(shape: Shape<T>): Shape<T | null> {
  return (value, path = "value") => (value === null ? null : shape(value, path));
}

export function array<T>(item: Shape<T>, options: { min?: number; max?: number } = {}): Shape<T[]> {
  const { min = 0, max = 1000 } = options;
  return (value, path = "value") => {
    if (!Array.isArray(value)) return fail(path, `expected an array, got ${describe(value)}`);
    if (value.length < min) return fail(path, `must have at least ${min} item${min === 1 ? "" : "s"}`);
    if (value.length > max) return fail(path, `must have at most ${max} items`);
    const problems: Problem[] = [];
    const out = value.map((v, i) => {
      try {
        return item(v, `${path}[${i}]`);
      } catch (error) {
        collect(error, problems);
        return undefined as T;
      }
    });
    if (problems.length > 0) throw new ShapeError(problems);
    return out;
  };
}

/** Marks an object property as optional (absent, or `undefined`). */
export interface OptionalShape<T> {
  optional: Shape<T>;
}

export function optional<T>(shape: Shape<T>): OptionalShape<T> {
  return { optional: shape };
}

type Props = Record<string, Shape<unknown> | OptionalShape<unknown>>;
type RequiredKeys<P extends Props> = { [K in keyof P]: P[K] extends OptionalShape<unknown> ? never : K }[keyof P];
type OptionalKeys<P extends Props> = { [K in keyof P]: P[K] extends OptionalShape<unknown> ? K : never }[keyof P];
type Checked<S> = S extends OptionalShape<infer T> ? T : S extends Shape<infer T> ? T : never;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOf<P extends Props> = Simplify<{ [K in RequiredKeys<P>]: Checked<P[K]> } & { [K in OptionalKeys<P>]?: Checked<P[K]> }>;

/** A plain object, from this realm or another (a Firefox content script's JSON comes from the page's). */
export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && Object.prototype.toString.call(value) === "[object Object]";

/** A closed object: every named key checked, no other key allowed; every problem reported. */
export function object<P extends Props>(props: P): Shape<ObjectOf<P>> {
  const keys = Object.keys(props);
  return (value, path = "value") => {
    if (!isPlainObject(value)) return fail(path, `expected an object, got ${describe(value)}`);
    const problems: Problem[] = [];
    for (const key of Object.keys(value)) if (!Object.hasOwn(props, key)) problems.push({ path: `${path}.${key}`, message: "is not expected here" });
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const spec = props[key]!;
      const v = value[key];
      try {
        if (typeof spec === "function") out[key] = spec(v, `${path}.${key}`);
        else if (v !== undefined) out[key] = spec.optional(v, `${path}.${key}`);
      } catch (error) {
        collect(error, problems);
      }
    }
    if (problems.length > 0) throw new ShapeError(problems);
    return out as ObjectOf<P>;
  };
}

/**
 * One of several objects told apart by their `type` key: the shape for that type checks the
 * whole value.
 */
export function tagged<M extends Record<string, Shape<{ type: string }>>>(shapes: M): Shape<Infer<M[keyof M]>> {
  return (value, path = "value") => {
    if (!isPlainObject(value)) return fail(path, `expected an object, got ${describe(value)}`);
    const type = value.type;
    if (typeof type !== "string" || !Object.hasOwn(shapes, type)) return fail(`${path}.type`, "is not a known type");
    return shapes[type]!(value, path) as Infer<M[keyof M]>;
  };
}

/** Runs a shape without throwing: the value, or its problems (`problem` as text). */
export function check<T>(shape: Shape<T>, value: unknown, path?: string): { ok: true; value: T } | { ok: false; problem: string; problems: Problem[] } {
  try {
    return { ok: true, value: shape(value, path) };
  } catch (error) {
    if (error instanceof ShapeError) return { ok: false, problem: error.message, problems: error.problems };
    throw error;
  }
}

/**
 * Collects every problem while a value is read part by part (a dataset file, a site profile):
 * each read returns undefined when its part is unusable, and reading goes on, so that one pass
 * names everything wrong. Leaves can be checked by shapes ({@link Problems.leaf}).
 */
export class Problems {
  readonly problems: Problem[] = [];
  /** How the root (path "") is named in problems: "dataset". */
  readonly #rootLabel: string;

  constructor(rootLabel = "value") {
    this.#rootLabel = rootLabel;
  }

  report(path: string, message: string): void {
    this.problems.push({ path: path === "" ? this.#rootLabel : path, message });
  }

  /** The path of `key` in the object at `path`: `a.b`, `a["odd key"]`, `b` at the root. */
  child(path: string, key: string): string {
    const part = IDENTIFIER.test(key) ? key : `[${JSON.stringify(key)}]`;
    if (path === "") return part.startsWith("[") ? `${this.#rootLabel}${part}` : part;
    return part.startsWith("[") ? `${path}${part}` : `${path}.${part}`;
  }

  /** The value of a required key, or a problem when it is absent. */
  required(o: Record<string, unknown>, key: string, path: string): unknown {
    if (!has(o, key)) {
      this.report(this.child(path, key), "is required");
      return undefined;
    }
    return o[key];
  }

  /** The value of an optional key read by `read`, or `fallback` when it is absent. */
  optional<T>(o: Record<string, unknown>, key: string, fallback: T, read: (value: unknown) => T | undefined): T | undefined {
    return has(o, key) ? read(o[key]) : fallback;
  }

  /** A closed object: each key not in `keys` is a problem (reading goes on with the others). */
  object(value: unknown, path: string, keys: readonly string[]): Record<string, unknown> | undefined {
    if (value === undefined) return undefined;
    if (!isPlainObject(value)) {
      this.report(path, `expected an object, got ${kind(value)}`);
      return undefined;
    }
    for (const key of Object.keys(value)) {
      if (!keys.includes(key)) this.report(this.child(path, key), `unknown key; expected one of ${keys.join(", ")}`);
    }
    return value;
  }

  /** An array of at most `max` `what`s. */
  array(value: unknown, path: string, max: number, what: string): unknown[] | undefined {
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) {
      this.report(path, `expected an array, got ${kind(value)}`);
      return undefined;
    }
    if (value.length > max) {
      this.report(path, `too many ${what} (${value.length}); at most ${max}`);
      return undefined;
    }
    return value;
  }

  /** A leaf checked by a shape, then by `extra` (which returns a problem or nothing). */
  leaf<T>(value: unknown, path: string, shape: Shape<T>, extra?: (value: T) => string | undefined): T | undefined {
    if (value === undefined) return undefined;
    const checked = check(shape, value, path);
    if (!checked.ok) {
      this.problems.push(...checked.problems);
      return undefined;
    }
    const problem = extra?.(checked.value);
    if (problem) {
      this.report(path, problem);
      return undefined;
    }
    return checked.value;
  }
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Whether `o` has `key` itself, with a value. */
export function has(o: Record<string, unknown>, key: string): boolean {
  return Object.hasOwn(o, key) && o[key] !== undefined;
}

/** What a value is, for a problem's "got …": "null", "nothing", "an array", "a number". */
export function kind(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
