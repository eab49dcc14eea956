/**
 * Site profiles (issue 12): a versioned JSON description of one reporting interface (its pages,
 * Call List rows, Call Session view, where recordings come from, time zone, sign-out), so the
 * extension works on interfaces without code per site. {@link parseSiteProfile} checks one whole
 * (shape.ts's `Problems`): the profile, or every problem by its path. The pure helpers below match
 * pages, read call ids, expand URL templates and map answers; patterns: extension/profiles/README.md.
 */
import type { DatasetProblem } from "../rules/domain.js";
import { array, has, isPlainObject, kind, number, oneOf, Problems, string, type Shape } from "../shape.js";
import type { CallPayload } from "../calls/call-payload.js";

export type { DatasetProblem as ProfileProblem } from "../rules/domain.js";

/** The profile format this code reads. */
export const SITE_PROFILE_VERSION = 1;

/** Where a row's call id is: an attribute of the row (optionally through a pattern), or a link's href through a pattern. */
export type RowCallId = { attribute: string; pattern?: string } | { linkSelector: string; hrefPattern: string };

/** Where the Call Session view's call id is: a query parameter of the page's URL, or an element's attribute. */
export type SessionCallId = { query: string } | { selector: string; attribute: string; pattern?: string };

/** A call's recording fields an answer can fill (the player's recording, `CallPayload["recordings"][n]`). */
export const RECORDING_FIELDS = ["id", "audioUrl", "downloadUrl", "start", "end", "durationSeconds", "contentType", "segment"] as const;
export type RecordingField = (typeof RECORDING_FIELDS)[number];

/** How a template source's JSON answer becomes recordings. */
export interface AnswerMapping {
  /** Dot path to the array of recordings in the answer; absent when the answer describes one recording. */
  list?: string;
  /** For each recording field, the dot path of the value in one recording's object. `audioUrl` is required. */
  fields: Partial<Record<RecordingField, string>> & { audioUrl: string };
}

export type RecordingSource =
  /** The page's own `<audio>`/`<video>` elements and recording links. */
  | { kind: "page-media" }
  /** The project's JSON API (`GET {base}/calls/{id}`). */
  | { kind: "api"; base: string }
  /**
   * A URL template. Without `answer`, `url` is one recording's audio and `downloadUrl` its
   * download; with `answer`, `url` (with `method` and a form-encoded `body`) is asked and its JSON
   * answer mapped to recordings, and `downloadUrl`, when given, is the download of a recording
   * whose answer maps none.
   */
  | { kind: "template"; url: string; downloadUrl?: string; method?: "GET" | "POST"; body?: string; answer?: AnswerMapping };

export interface SiteProfile {
  version: 1;
  /** Lower-case letters, digits and dashes: `fusionpbx`. */
  id: string;
  name: string;
  /** Page patterns of the pages this profile covers. */
  pages: string[];
  /** How a built-in profile recognizes its interface on any enabled site: a page pattern and a selector that must match. */
  detect?: { path: string; selector: string };
  callList?: {
    /** The Call List's rows. */
    rowSelector: string;
    callId: RowCallId;
    /** Within the row, the cell that takes the recording mark. */
    markCell: string;
    /** Within the row, the elements whose text names the call (joined with " · "). */
    nameFields?: string[];
    /** Within the row, what only a row with a recording has: rows without it get no mark (absent: every row may have one). */
    recordingSelector?: string;
  };
  callSession?: {
    /** Page pattern of the Call Session (call details) view. */
    path: string;
    callId: SessionCallId;
    /** Where the recordings section mounts (it is appended to this element). */
    mountSelector: string;
  };
  recordings: RecordingSource;
  /** Other origins (scheme, host, port) recordings may be served from. */
  recordingOrigins?: string[];
  /** IANA time zone of the times the site shows: `Europe/London`. */
  timeZone?: string;
  timeFormat?: "24h" | "12h";
  /** Page patterns of the site's sign-out URLs: leaving through one stops playback. */
  signOut?: string[];
}

export type ParseSiteProfileResult = { ok: true; profile: SiteProfile } | { ok: false; problems: DatasetProblem[] };

export interface ParseOptions {
  /** Whether a CSS selector is valid; by default only its form is checked (not empty, brackets and quotes balanced). */
  selectorIsValid?: (selector: string) => boolean;
}

export const PROFILE_LIMITS = { text: 200, selector: 500, pattern: 500, url: 2048, list: 50 } as const;

const ROOT = "profile";
const KEYS = {
  root: ["version", "id", "name", "pages", "detect", "callList", "callSession", "recordings", "recordingOrigins", "timeZone", "timeFormat", "signOut"],
  detect: ["path", "selector"],
  callList: ["rowSelector", "callId", "markCell", "nameFields", "recordingSelector"],
  callSession: ["path", "callId", "mountSelector"],
  rowCallIdAttribute: ["attribute", "pattern"],
  rowCallIdLink: ["linkSelector", "hrefPattern"],
  sessionCallIdQuery: ["query"],
  sessionCallIdElement: ["selector", "attribute", "pattern"],
  api: ["kind", "base"],
  pageMedia: ["kind"],
  template: ["kind", "url", "downloadUrl", "method", "body", "answer"],
  answer: ["list", "fields"],
} as const;

const PLACEHOLDERS = ["callId", "recordingId"] as const;
const DOT_PATH = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[\d+\])*$/;
const ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const ATTRIBUTE = /^[A-Za-z_:][\w:.-]*$/;
const QUERY_NAME = /^[^\s=&#]+$/;
/** A group holding a quantifier, itself quantified (innermost groups only; escapes skipped). */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*(?:[+*]|\{\d+,?\d*\})(?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,?\d*\})/;

const text = string({ min: 1, max: PROFILE_LIMITS.text });
const selectorText = string({ min: 1, max: PROFILE_LIMITS.selector });
const patternText = string({ min: 1, max: PROFILE_LIMITS.pattern });
const urlText = string({ min: 1, max: PROFILE_LIMITS.url });

/**
 * Checks a parsed profile (what `JSON.parse` returned). Returns the profile, or every problem
 * found, each with its path.
 */
export function parseSiteProfile(input: unknown, options: ParseOptions = {}): ParseSiteProfileResult {
  const r = new Collector(options);
  // A profile of another version may mean anything by its other keys: say only that.
  if (isPlainObject(input) && has(input, "version") && input.version !== SITE_PROFILE_VERSION) {
    const got = typeof input.version === "number" ? `version ${input.version}` : `a version of ${kind(input.version)}`;
    r.report(`${ROOT}.version`, `this extension reads version ${SITE_PROFILE_VERSION} profiles; this one is ${got}`);
    return { ok: false, problems: r.problems };
  }
  const o = r.object(input, ROOT, KEYS.root);
  if (!o) {
    if (input === undefined) r.report(ROOT, "expected an object, got nothing");
    return { ok: false, problems: r.problems };
  }
  if (!has(o, "version")) r.report(`${ROOT}.version`, `is required (this extension reads version ${SITE_PROFILE_VERSION})`);

  const id = r.leaf(r.required(o, "id", ROOT), `${ROOT}.id`, string({ min: 1, max: 64 }), (v) =>
    ID.test(v) ? undefined : "must be lower-case letters, digits and dashes, like \"my-pbx\"",
  );
  const name = r.leaf(r.required(o, "name", ROOT), `${ROOT}.name`, text);
  const pages = r.list(r.required(o, "pages", ROOT), `${ROOT}.pages`, 1, (v, p) => r.pagePattern(v, p));
  const detect = has(o, "detect") ? readDetect(r, o.detect) : undefined;
  const callList = has(o, "callList") ? readCallList(r, o.callList) : undefined;
  const callSession = has(o, "callSession") ? readCallSession(r, o.callSession) : undefined;
  const recordings = readRecordings(r, r.required(o, "recordings", ROOT));
  const recordingOrigins = has(o, "recordingOrigins") ? r.list(o.recordingOrigins, `${ROOT}.recordingOrigins`, 0, (v, p) => r.origin(v, p)) : undefined;
  const timeZone = has(o, "timeZone") ? r.leaf(o.timeZone, `${ROOT}.timeZone`, text, timeZoneProblem) : undefined;
  const timeFormat = has(o, "timeFormat") ? r.leaf(o.timeFormat, `${ROOT}.timeFormat`, oneOf("24h", "12h")) : undefined;
  const signOut = has(o, "signOut") ? r.list(o.signOut, `${ROOT}.signOut`, 0, (v, p) => r.pagePattern(v, p)) : undefined;

  if (r.problems.length > 0 || id === undefined || name === undefined || pages === undefined || recordings === undefined) {
    return { ok: false, problems: r.problems };
  }
  const profile: SiteProfile = { version: 1, id, name, pages, recordings };
  if (detect) profile.detect = detect;
  if (callList) profile.callList = callList;
  if (callSession) profile.callSession = callSession;
  if (recordingOrigins) profile.recordingOrigins = recordingOrigins;
  if (timeZone !== undefined) profile.timeZone = timeZone;
  if (timeFormat !== undefined) profile.timeFormat = timeFormat;
  if (signOut) profile.signOut = signOut;
  return { ok: true, profile };
}

/** Parses a profile's JSON text and checks it; a syntax error is a problem too. */
export function parseSiteProfileJson(json: string, options: ParseOptions = {}): ParseSiteProfileResult {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return { ok: false, problems: [{ path: ROOT, message: `is not valid JSON (${error instanceof Error ? error.message : String(error)})` }] };
  }
  return parseSiteProfile(value, options);
}

function readDetect(r: Collector, value: unknown): SiteProfile["detect"] {
  const path = `${ROOT}.detect`;
  const o = r.object(value, path, KEYS.detect);
  if (!o) return undefined;
  const pattern = r.pagePattern(r.required(o, "path", path), `${path}.path`);
  const selector = r.selector(r.required(o, "selector", path), `${path}.selector`);
  return pattern !== undefined && selector !== undefined ? { path: pattern, selector } : undefined;
}

function readCallList(r: Collector, value: unknown): SiteProfile["callList"] {
  const path = `${ROOT}.callList`;
  const o = r.object(value, path, KEYS.callList);
  if (!o) return undefined;
  const rowSelector = r.selector(r.required(o, "rowSelector", path), `${path}.rowSelector`);
  const callId = readRowCallId(r, r.required(o, "callId", path), `${path}.callId`);
  const markCell = r.selector(r.required(o, "markCell", path), `${path}.markCell`);
  const nameFields = has(o, "nameFields") ? r.list(o.nameFields, `${path}.nameFields`, 0, (v, p) => r.selector(v, p)) : undefined;
  const recordingSelector = has(o, "recordingSelector") ? r.selector(o.recordingSelector, `${path}.recordingSelector`) : undefined;
  if (rowSelector === undefined || callId === undefined || markCell === undefined || (has(o, "nameFields") && nameFields === undefined)) return undefined;
  if (has(o, "recordingSelector") && recordingSelector === undefined) return undefined;
  return { rowSelector, callId, markCell, ...(nameFields ? { nameFields } : {}), ...(recordingSelector !== undefined ? { recordingSelector } : {}) };
}

function readRowCallId(r: Collector, value: unknown, path: string): RowCallId | undefined {
  if (value === undefined) return undefined;
  if (isPlainObject(value) && has(value, "linkSelector")) {
    const o = r.object(value, path, KEYS.rowCallIdLink)!;
    const linkSelector = r.selector(o.linkSelector, `${path}.linkSelector`);
    const hrefPattern = r.idPattern(r.required(o, "hrefPattern", path), `${path}.hrefPattern`);
    return linkSelector !== undefined && hrefPattern !== undefined ? { linkSelector, hrefPattern } : undefined;
  }
  if (isPlainObject(value) && !has(value, "attribute")) {
    r.report(path, 'needs "attribute" (with an optional "pattern") or "linkSelector" and "hrefPattern"');
    return undefined;
  }
  const o = r.object(value, path, KEYS.rowCallIdAttribute);
  if (!o) return undefined;
  const attribute = r.attribute(o.attribute, `${path}.attribute`);
  const pattern = has(o, "pattern") ? r.idPattern(o.pattern, `${path}.pattern`) : undefined;
  if (attribute === undefined || (has(o, "pattern") && pattern === undefined)) return undefined;
  return pattern !== undefined ? { attribute, pattern } : { attribute };
}

function readCallSession(r: Collector, value: unknown): SiteProfile["callSession"] {
  const path = `${ROOT}.callSession`;
  const o = r.object(value, path, KEYS.callSession);
  if (!o) return undefined;
  const pagePath = r.pagePattern(r.required(o, "path", path), `${path}.path`);
  const callId = readSessionCallId(r, r.required(o, "callId", path), `${path}.callId`);
  const mountSelector = r.selector(r.required(o, "mountSelector", path), `${path}.mountSelector`);
  return pagePath !== undefined && callId !== undefined && mountSelector !== undefined ? { path: pagePath, callId, mountSelector } : undefined;
}

function readSessionCallId(r: Collector, value: unknown, path: string): SessionCallId | undefined {
  if (value === undefined) return undefined;
  if (isPlainObject(value) && has(value, "query")) {
    const o = r.object(value, path, KEYS.sessionCallIdQuery)!;
    const query = r.leaf(o.query, `${path}.query`, string({ min: 1, max: 100 }), (v) => (QUERY_NAME.test(v) ? undefined : "is not a query parameter name"));
    return query !== undefined ? { query } : undefined;
  }
  if (isPlainObject(value) && !has(value, "selector")) {
    r.report(path, 'needs "query" (a parameter of the page\'s URL) or "selector" and "attribute"');
    return undefined;
  }
  const o = r.object(value, path, KEYS.sessionCallIdElement);
  if (!o) return undefined;
  const selector = r.selector(o.selector, `${path}.selector`);
  const attribute = r.attribute(r.required(o, "attribute", path), `${path}.attribute`);
  const pattern = has(o, "pattern") ? r.idPattern(o.pattern, `${path}.pattern`) : undefined;
  if (selector === undefined || attribute === undefined || (has(o, "pattern") && pattern === undefined)) return undefined;
  return pattern !== undefined ? { selector, attribute, pattern } : { selector, attribute };
}

function readRecordings(r: Collector, value: unknown): RecordingSource | undefined {
  const path = `${ROOT}.recordings`;
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) {
    r.report(path, `expected an object, got ${kind(value)}`);
    return undefined;
  }
  const sourceKind = r.leaf(r.required(value, "kind", path), `${path}.kind`, oneOf("page-media", "api", "template"));
  if (sourceKind === "page-media") {
    r.object(value, path, KEYS.pageMedia);
    return { kind: "page-media" };
  }
  if (sourceKind === "api") {
    const o = r.object(value, path, KEYS.api)!;
    const base = r.urlTemplate(r.required(o, "base", path), `${path}.base`, []);
    return base !== undefined ? { kind: "api", base } : undefined;
  }
  if (sourceKind === "template") {
    const o = r.object(value, path, KEYS.template)!;
    const url = r.urlTemplate(r.required(o, "url", path), `${path}.url`, PLACEHOLDERS);
    const downloadUrl = has(o, "downloadUrl") ? r.urlTemplate(o.downloadUrl, `${path}.downloadUrl`, PLACEHOLDERS) : undefined;
    const method = has(o, "method") ? r.leaf(o.method, `${path}.method`, oneOf("GET", "POST")) : undefined;
    const body = has(o, "body") ? r.leaf(o.body, `${path}.body`, string({ max: PROFILE_LIMITS.url }), (v) => placeholderProblem(v, PLACEHOLDERS)) : undefined;
    const answer = has(o, "answer") ? readAnswer(r, o.answer, `${path}.answer`) : undefined;
    if (has(o, "body") && method !== "POST" && body !== undefined) r.report(`${path}.body`, 'is only sent with "method": "POST"');
    const complete =
      url !== undefined && (!has(o, "downloadUrl") || downloadUrl !== undefined) && (!has(o, "method") || method !== undefined) &&
      (!has(o, "body") || body !== undefined) && (!has(o, "answer") || answer !== undefined);
    if (!complete) return undefined;
    const source: RecordingSource = { kind: "template", url };
    if (downloadUrl !== undefined) source.downloadUrl = downloadUrl;
    if (method !== undefined) source.method = method;
    if (body !== undefined) source.body = body;
    if (answer !== undefined) source.answer = answer;
    return source;
  }
  return undefined;
}

function readAnswer(r: Collector, value: unknown, path: string): AnswerMapping | undefined {
  const o = r.object(value, path, KEYS.answer);
  if (!o) return undefined;
  const list = has(o, "list") ? r.dotPath(o.list, `${path}.list`) : undefined;
  const fieldsPath = `${path}.fields`;
  const f = r.object(r.required(o, "fields", path), fieldsPath, RECORDING_FIELDS);
  let fields: AnswerMapping["fields"] | undefined;
  if (f) {
    const out: Partial<Record<RecordingField, string>> = {};
    let complete = true;
    if (!has(f, "audioUrl")) {
      r.report(`${fieldsPath}.audioUrl`, "is required");
      complete = false;
    }
    for (const field of RECORDING_FIELDS) {
      if (!has(f, field)) continue;
      const p = r.dotPath(f[field], `${fieldsPath}.${field}`);
      if (p === undefined) complete = false;
      else out[field] = p;
    }
    if (complete) fields = out as AnswerMapping["fields"];
  }
  if (fields === undefined || (has(o, "list") && list === undefined)) return undefined;
  return list !== undefined ? { list, fields } : { fields };
}

/** The profile's reads: shape.ts's `Problems` with the profile's leaves (selectors, patterns, URL templates). */
class Collector extends Problems {
  constructor(private readonly options: ParseOptions) {
    super(ROOT);
  }

  /** An array checked by `shape.ts` for its form, then each item by `item` (every item's problems reported). */
  list<T>(value: unknown, path: string, min: number, item: (value: unknown, path: string) => T | undefined): T[] | undefined {
    const items = this.leaf(value, path, array((v) => v, { min, max: PROFILE_LIMITS.list }));
    if (!items) return undefined;
    const out = items.map((v, i) => item(v, `${path}[${i}]`));
    return out.every((v) => v !== undefined) ? (out as T[]) : undefined;
  }

  selector(value: unknown, path: string): string | undefined {
    return this.leaf(value, path, selectorText, (s) => {
      if (this.options.selectorIsValid) return this.options.selectorIsValid(s) ? undefined : "is not a valid CSS selector";
      return selectorFormProblem(s);
    });
  }

  attribute(value: unknown, path: string): string | undefined {
    return this.leaf(value, path, string({ min: 1, max: 100 }), (s) => (ATTRIBUTE.test(s) ? undefined : "is not an attribute name"));
  }

  pagePattern(value: unknown, path: string): string | undefined {
    return this.leaf(value, path, patternText, pagePatternProblem);
  }

  idPattern(value: unknown, path: string): string | undefined {
    return this.leaf(value, path, patternText, idPatternProblem);
  }

  origin(value: unknown, path: string): string | undefined {
    return this.leaf(value, path, string({ min: 1, max: 300 }), (s) => {
      let url: URL;
      try {
        url = new URL(s);
      } catch {
        return "is not an origin, like \"https://recordings.example.com\"";
      }
      if (url.protocol !== "http:" && url.protocol !== "https:") return "must be an http or https origin";
      return url.origin === s ? undefined : `must be an origin alone (scheme, host and port), like ${JSON.stringify(url.origin)}`;
    });
  }

  urlTemplate(value: unknown, path: string, placeholders: readonly string[]): string | undefined {
    return this.leaf(value, path, urlText, (s) => urlTemplateProblem(s, placeholders));
  }

  dotPath(value: unknown, path: string): string | undefined {
    return this.leaf(value, path, string({ min: 1, max: 200 }), (s) => (DOT_PATH.test(s) ? undefined : 'is not a field path, like "files.wav" or "recordings[0].url"'));
  }
}

function selectorFormProblem(s: string): string | undefined {
  if (s.trim() === "") return "must not be empty";
  if (/[{};]/.test(s)) return "is not a CSS selector (it holds { } or ;)";
  const closing: Record<string, string> = { "]": "[", ")": "(" };
  const stack: string[] = [];
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "\\") {
      i++;
      continue;
    }
    if (quote) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === "[" || c === "(") stack.push(c);
    else if (c === "]" || c === ")") {
      if (stack.pop() !== closing[c]) return `is not a CSS selector (an unmatched "${c}")`;
    }
  }
  if (quote) return "is not a CSS selector (a quote is not closed)";
  if (stack.length > 0) return `is not a CSS selector (an unclosed "${stack.at(-1)}")`;
  return undefined;
}

function pagePatternProblem(s: string): string | undefined {
  if (!s.startsWith("/")) return 'must start with "/" (a path, with optional ?query conditions), like "/reports/call-list"';
  if (s.includes("#")) return "must not hold a fragment (#)";
  if (/\s/.test(s)) return "must not hold spaces";
  const q = s.indexOf("?");
  if (q >= 0) {
    const query = s.slice(q + 1);
    if (query === "") return 'has an empty query after "?"';
    for (const part of query.split("&")) {
      const name = part.split("=", 1)[0]!;
      if (name === "") return `has a query condition without a name (${JSON.stringify(part)})`;
    }
  }
  return undefined;
}

function idPatternProblem(s: string): string | undefined {
  let re: RegExp;
  try {
    re = new RegExp(s);
  } catch (error) {
    return `is not a regular expression (${error instanceof Error ? error.message.replace(/^Invalid regular expression: /, "") : "invalid"})`;
  }
  // A repeated group that repeats inside ((a+)+, (\w*)*, (x{1,9})+) can take exponential time on
  // an unlucky link: refuse the shape outright (content scripts run these on every row).
  if (NESTED_QUANTIFIER.test(s)) return "must not repeat a group that itself repeats, like (a+)+: it can take forever on some links";
  // Count capture groups by matching the empty alternative: (?:re)| leaves one slot per group.
  const groups = new RegExp(`(?:${re.source})|`).exec("")!.length - 1;
  return groups >= 1 ? undefined : "must have a capture group for the call id, like \"[?&]id=([0-9a-f-]+)\"";
}

function placeholderProblem(s: string, allowed: readonly string[]): string | undefined {
  for (const m of s.matchAll(/\{([^{}]*)\}/g)) {
    if (!allowed.includes(m[1]!)) {
      return allowed.length === 0
        ? `takes no placeholders, got {${m[1]}}`
        : `has an unknown placeholder {${m[1]}}; expected ${allowed.map((a) => `{${a}}`).join(" or ")}`;
    }
  }
  const stray = s.replace(/\{[^{}]*\}/g, "");
  if (/[{}]/.test(stray)) return "has an unclosed { or a stray }";
  return undefined;
}

function urlTemplateProblem(s: string, placeholders: readonly string[]): string | undefined {
  const problem = placeholderProblem(s, placeholders);
  if (problem) return problem;
  if (s.startsWith("//")) return 'must be a path ("/…") or an http(s) URL, not a scheme-relative one';
  if (s.startsWith("/")) return undefined;
  let url: URL;
  try {
    url = new URL(s.replace(/\{[^{}]*\}/g, "x"));
  } catch {
    return 'must be a path ("/…") or an http(s) URL';
  }
  return url.protocol === "http:" || url.protocol === "https:" ? undefined : "must be an http or https URL";
}

function timeZoneProblem(s: string): string | undefined {
  try {
    new Intl.DateTimeFormat("en", { timeZone: s });
    return undefined;
  } catch {
    return `is not an IANA time zone, like "Europe/London" (got ${JSON.stringify(s.slice(0, 60))})`;
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Pure helpers                                                                                */
/* ------------------------------------------------------------------------------------------ */

const pathRegexCache = new Map<string, RegExp>();

function pathRegex(path: string): RegExp {
  let re = pathRegexCache.get(path);
  if (!re) {
    const source = path
      .split(/(\*\*|\*)/)
      .map((part) => (part === "**" ? ".*" : part === "*" ? "[^/]*" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
      .join("");
    re = new RegExp(`^${source}$`);
    if (pathRegexCache.size > 500) pathRegexCache.clear();
    pathRegexCache.set(path, re);
  }
  return re;
}

/** Whether a URL (absolute, or a path with its query) matches a page pattern. */
export function matchesPagePattern(pattern: string, url: string | URL): boolean {
  let parsed: URL;
  try {
    parsed = typeof url === "string" ? new URL(url, "http://profile.invalid") : url;
  } catch {
    return false;
  }
  const q = pattern.indexOf("?");
  const path = q >= 0 ? pattern.slice(0, q) : pattern;
  let pathname: string;
  try {
    pathname = decodeURI(parsed.pathname);
  } catch {
    pathname = parsed.pathname;
  }
  if (!pathRegex(path).test(pathname) && !pathRegex(path).test(parsed.pathname)) return false;
  if (q < 0) return true;
  for (const condition of pattern.slice(q + 1).split("&")) {
    const eq = condition.indexOf("=");
    const name = decodeQueryPart(eq >= 0 ? condition.slice(0, eq) : condition);
    if (!parsed.searchParams.has(name)) return false;
    if (eq < 0) continue;
    const want = decodeQueryPart(condition.slice(eq + 1));
    const values = parsed.searchParams.getAll(name);
    if (want === "*" ? !values.some((v) => v !== "") : !values.includes(want)) return false;
  }
  return true;
}

function decodeQueryPart(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}

/** Whether a URL is one of the profile's pages. */
export function coversPage(profile: Pick<SiteProfile, "pages">, url: string | URL): boolean {
  return profile.pages.some((p) => matchesPagePattern(p, url));
}

/**
 * Whether a built-in profile recognizes a page: its `detect` path matches the URL and its
 * selector matches the document (`hasSelector` asks the page; pure here).
 */
export function detects(profile: Pick<SiteProfile, "detect">, url: string | URL, hasSelector: (selector: string) => boolean): boolean {
  return profile.detect !== undefined && matchesPagePattern(profile.detect.path, url) && hasSelector(profile.detect.selector);
}

/** Whether a URL is one of the profile's sign-out URLs. */
export function isSignOut(profile: Pick<SiteProfile, "signOut">, url: string | URL): boolean {
  return (profile.signOut ?? []).some((p) => matchesPagePattern(p, url));
}

/** The first capture group of `pattern` in `value`, or the whole value without a pattern; null when empty or not found. */
export function callIdFromValue(value: string | null | undefined, pattern?: string): string | null {
  if (value === null || value === undefined) return null;
  if (pattern === undefined) return value.trim() === "" ? null : value.trim();
  let m: RegExpExecArray | null;
  try {
    m = new RegExp(pattern).exec(value.slice(0, PROFILE_LIMITS.url));
  } catch {
    return null;
  }
  const id = m?.slice(1).find((g) => g !== undefined);
  if (!id) return null;
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}

/** A call id from a link's href through `hrefPattern` (matched against the href as written). */
export function callIdFromHref(href: string | null | undefined, hrefPattern: string): string | null {
  return callIdFromValue(href, hrefPattern);
}

/** The Call Session's call id from its URL, when the profile reads it from a query parameter. */
export function sessionCallIdFromUrl(profile: Pick<SiteProfile, "callSession">, url: string | URL): string | null {
  const session = profile.callSession;
  if (!session || !("query" in session.callId) || !matchesPagePattern(session.path, url)) return null;
  const parsed = typeof url === "string" ? new URL(url, "http://profile.invalid") : url;
  const value = parsed.searchParams.get(session.callId.query);
  return value ? value : null;
}

/** What reading a row needs of an element (a DOM Element has it). */
export interface RowLike {
  getAttribute(name: string): string | null;
  querySelector(selector: string): { getAttribute(name: string): string | null; textContent: string | null } | null;
}

/** A Call List row's call id, read as the profile says (an attribute, or a link's href through a pattern). */
export function rowCallId(row: RowLike, reader: RowCallId): string | null {
  if ("attribute" in reader) return callIdFromValue(row.getAttribute(reader.attribute), reader.pattern);
  return callIdFromHref(row.querySelector(reader.linkSelector)?.getAttribute("href"), reader.hrefPattern);
}

/** The text of a row's naming fields, each with its white space collapsed, joined with " · ". */
export function rowName(row: RowLike, fields: readonly string[], max = 500): string {
  const parts: string[] = [];
  for (const selector of fields) {
    let text = "";
    try {
      text = row.querySelector(selector)?.textContent?.replace(/\s+/g, " ").trim() ?? "";
    } catch {
      // A selector the browser refuses names nothing.
    }
    if (text) parts.push(text);
  }
  return parts.join(" · ").slice(0, max);
}

/**
 * A call's Call Session view: the profile's path with the call id where its one `*` is, resolved
 * on `origin`; null when the path is not that simple (or there is no such view).
 */
export function sessionUrlFromPath(path: string | null | undefined, callId: string, origin: string): string | null {
  if (!path || path.includes("**") || path.split("*").length !== 2) return null;
  try {
    return new URL(path.replace("*", encodeURIComponent(callId)), origin).href;
  } catch {
    return null;
  }
}

const AUDIO_FILE = /\.(wav|mp3|ogg|oga|opus|m4a|gsm|g722|flac|webm)$/i;

/**
 * A recording's name from its address: the file's name, decoded. A script's address
 * (`ajax.php?…&file=out-200-…wav`) is named by the parameter that holds an audio file's name.
 */
export function fileNameFromUrl(src: string): string {
  let url: URL;
  try {
    url = new URL(src);
  } catch {
    return "";
  }
  const base = (path: string) => {
    const last = path.split("/").filter(Boolean).at(-1) ?? "";
    try {
      return decodeURIComponent(last);
    } catch {
      return last;
    }
  };
  const fromPath = base(url.pathname);
  if (AUDIO_FILE.test(fromPath)) return fromPath;
  for (const value of url.searchParams.values()) if (AUDIO_FILE.test(value)) return base(value);
  return fromPath;
}

/**
 * Expands a URL template: `{callId}` and `{recordingId}` become their percent-encoded values,
 * then the URL is resolved against `base` (the page's address). Throws when a placeholder has no
 * value (a profile that passed the validator only uses known ones).
 */
export function expandTemplate(template: string, values: Partial<Record<(typeof PLACEHOLDERS)[number], string>>, base?: string): string {
  const expanded = template.replace(/\{([^{}]*)\}/g, (_, name: string) => {
    const value = (values as Record<string, string | undefined>)[name];
    if (value === undefined) throw new Error(`the template needs {${name}}`);
    return encodeURIComponent(value);
  });
  return base === undefined ? expanded : new URL(expanded, base).href;
}

/** The value at a dot path (`files.wav`, `recordings[0].url`) of a JSON value, or undefined. */
export function valueAt(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const part of path.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    if (current === null || typeof current !== "object") return undefined;
    const key = part.startsWith("[") ? Number(part.slice(1, -1)) : part;
    if (typeof key === "number" ? !Array.isArray(current) : Array.isArray(current) || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** What {@link mapAnswer} needs besides the answer. */
export interface MapAnswerContext {
  callId: string;
  /** Resolves relative URLs in the answer (the address that was asked). */
  baseUrl: string;
  /** The call's start (ISO 8601), for recordings whose answer has none. */
  callStart?: string;
}

export type MapAnswerResult = { ok: true; recordings: CallPayload["recordings"] } | { ok: false; problems: DatasetProblem[] };

const answerShapes: Record<RecordingField, Shape<unknown>> = {
  id: (v, p) => (typeof v === "number" ? String(v) : string({ min: 1, max: 500 })(v, p)),
  audioUrl: string({ min: 1, max: 8192 }),
  downloadUrl: string({ min: 1, max: 8192 }),
  start: string({ min: 1, max: 64 }),
  end: string({ min: 1, max: 64 }),
  durationSeconds: number({ min: 0, max: 7 * 24 * 3600 }),
  contentType: string({ max: 200 }),
  segment: number({ min: 0, max: 1_000_000, integer: true }),
};

/**
 * Maps a template source's JSON answer to recordings in the player's shape
 * (`CallPayload["recordings"]`, ready for `parseCallPayload`): each mapped field read at its
 * path, URLs resolved against the address asked. A recording without an id takes the call's id
 * (and its index after the first); without a start, the call's start or the epoch. Every
 * problem is named by its path in the answer (`answer.files.wav`).
 */
export function mapAnswer(answer: unknown, mapping: AnswerMapping, context: MapAnswerContext): MapAnswerResult {
  const r = new Problems("answer");
  let items: unknown[];
  let itemPath: (i: number) => string;
  if (mapping.list !== undefined) {
    const list = valueAt(answer, mapping.list);
    if (!Array.isArray(list)) {
      return { ok: false, problems: [{ path: `answer.${mapping.list}`, message: `expected an array of recordings, got ${kind(list)}` }] };
    }
    items = list;
    itemPath = (i) => `answer.${mapping.list}[${i}]`;
  } else {
    items = [answer];
    itemPath = () => "answer";
  }
  const recordings: CallPayload["recordings"] = [];
  items.forEach((item, i) => {
    const out: Record<string, unknown> = {};
    for (const field of RECORDING_FIELDS) {
      const at = mapping.fields[field];
      if (at === undefined) continue;
      const path = `${itemPath(i)}.${at}`;
      const raw = valueAt(item, at);
      if (raw === undefined || raw === null) {
        if (field === "audioUrl") r.report(path, "is required (the recording's audio)");
        continue;
      }
      let v = r.leaf(raw, path, answerShapes[field]);
      if (v === undefined) continue;
      if (field === "audioUrl" || field === "downloadUrl") {
        try {
          const url = new URL(v as string, context.baseUrl);
          if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("protocol");
          v = url.href;
        } catch {
          r.report(path, "must be an http or https URL");
          continue;
        }
      }
      out[field] = v;
    }
    out.id ??= i === 0 ? context.callId : `${context.callId}#${i + 1}`;
    out.start ??= context.callStart ?? new Date(0).toISOString();
    recordings.push(out as CallPayload["recordings"][number]);
  });
  return r.problems.length > 0 ? { ok: false, problems: r.problems } : { ok: true, recordings };
}

