/**
 * Small, strict validators for data that crosses a trust boundary (extension messages, what is
 * read back from storage): each checks one value and returns it typed, or throws a ShapeError
 * naming the path and the problem ("request.session.recordings[2].src: expected a string").
 * Objects are closed: a key the shape does not name is refused, so nothing rides along unseen.
 */

export class ShapeError extends Error {
  override name = "ShapeError";
}

/** Checks a value; returns it typed or throws a ShapeError. */
export type Shape<T> = (value: unknown, path?: string) => T;

/** The type a shape checks. */
export type Infer<S> = S extends Shape<infer T> ? T : never;

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
    return value.map((v, i) => item(v, `${path}[${i}]`));
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
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && Object.prototype.toString.call(value) === "[object Object]";

/** A closed object: every named key checked, no other key allowed. */
export function object<P extends Props>(props: P): Shape<ObjectOf<P>> {
  const keys = Object.keys(props);
  return (value, path = "value") => {
    if (!isPlainObject(value)) return fail(path, `expected an object, got ${describe(value)}`);
    for (const key of Object.keys(value)) if (!Object.hasOwn(props, key)) fail(`${path}.${key}`, "is not expected here");
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const spec = props[key]!;
      const v = value[key];
      if (typeof spec === "function") out[key] = spec(v, `${path}.${key}`);
      else if (v !== undefined) out[key] = spec.optional(v, `${path}.${key}`);
    }
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

/** Runs a shape without throwing: the value, or the problem. */
export function check<T>(shape: Shape<T>, value: unknown, path?: string): { ok: true; value: T } | { ok: false; problem: string } {
  try {
    return { ok: true, value: shape(value, path) };
  } catch (error) {
    if (error instanceof ShapeError) return { ok: false, problem: error.message };
    throw error;
  }
}
