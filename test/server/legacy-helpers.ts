/**
 * Helpers for the legacy pages' tests: a dataset (the shared fixture plus hostile names, an
 * odd call id and a busy day for paging), and a browser-like way to sign in, read pages and
 * post forms over real HTTP.
 */
import assert from "node:assert/strict";
import type { Dataset } from "../../src/rules/domain.js";
import { fixtureDataset } from "../support/fixture-dataset.js";
/** A browser of one user: the real-HTTP Client of support/server.ts or the InProcessClient of support/in-process.ts. */
type Client = { fetch(path: string, init?: RequestInit): Promise<Response> };

/** A user name that is markup, a script and a right-to-left override. */
export const HOSTILE_NAME = "<script>alert(1)</script>\u202Eevil";
export const HOSTILE_DEVICE = `<img src=x onerror="alert(2)">`;
export const HOSTILE_GROUP = "<b>Ops & Co</b>";
export const LONG_NAME = "W".repeat(480);
/** An id with every character that means something in a URL or in HTML. */
export const ODD_CALL_ID = `c-odd&id?x=<1>#"'`;
/** The busy day: {@link BUSY_CALLS} calls, all by Mallory, for paging. */
export const BUSY_DAY = "2026-11-10";
export const BUSY_CALLS = 60;

/** The fixture dataset, plus Mallory (hostile names), a long-named user, an odd call id and a busy day. */
export function legacyDataset(): Dataset {
  const data = fixtureDataset();
  data.customer.name = "Fixture <i>Telecom</i>";
  data.groups.push({ id: "ops", name: HOSTILE_GROUP });
  data.users.push(
    { id: "mallory", name: HOSTILE_NAME, password: "mallory-pass", admin: false, primaryGroup: "ops", memberGroups: [], recording: "inherit", playback: "own" },
    { id: "lng", name: LONG_NAME, password: "lng-pass", admin: false, primaryGroup: null, memberGroups: [], recording: "inherit", playback: "none" },
  );
  data.devices.push({ id: "ext-mallory", name: HOSTILE_DEVICE, user: "mallory", recording: "inherit" });
  for (let i = 0; i < BUSY_CALLS; i++) {
    const minute = i * 10;
    const at = (extra: number) => {
      const total = minute * 60 + extra;
      const two = (n: number) => String(n).padStart(2, "0");
      return `${BUSY_DAY}T${two(8 + Math.floor(total / 3600))}:${two(Math.floor((total % 3600) / 60))}:${two(total % 60)}Z`;
    };
    data.calls.push({
      id: `c-busy-${String(i).padStart(2, "0")}`,
      start: at(0),
      direction: (["inbound", "outbound", "internal"] as const)[i % 3]!,
      from: i === BUSY_CALLS - 1 ? "<svg onload=alert(3)>" : `+4416329${String(70000 + i)}`,
      to: "+441632960100",
      groups: ["ops"],
      conference: false,
      segments: [{ start: at(5), end: at(65), device: "ext-mallory", user: null }],
    });
  }
  data.calls.push({
    id: ODD_CALL_ID,
    start: "2026-11-19T10:00:00Z",
    direction: "inbound",
    from: "+441632960999",
    to: "+441632960100",
    groups: ["sales"],
    conference: false,
    segments: [{ start: "2026-11-19T10:00:01Z", end: "2026-11-19T10:01:01Z", device: "ext-alice", user: null }],
  });
  return data;
}

export interface Page {
  status: number;
  html: string;
  location: string | null;
  headers: Headers;
}

/** GETs a page (redirects are not followed). */
export async function getPage(client: Client, path: string): Promise<Page> {
  const res = await client.fetch(path);
  return { status: res.status, html: await res.text(), location: res.headers.get("location"), headers: res.headers };
}

/** POSTs a form as a browser on this site would. */
export async function postForm(client: Client, path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Page> {
  const res = await client.fetch(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, html: await res.text(), location: res.headers.get("location"), headers: res.headers };
}

/** Signs in through the /login form. */
export async function signInForm(client: Client, username: string, password = `${username}-pass`, next?: string): Promise<Page> {
  return postForm(client, "/login", { username, password, ...(next !== undefined ? { next } : {}) });
}

/** The CSRF token of the first form on a page. */
export function csrfOf(html: string): string {
  const m = /<input type="hidden" name="csrf" value="([^"]+)">/.exec(html);
  assert.ok(m, "the page has a form with a csrf field");
  return m[1]!;
}

/** Undoes the escaping `html` does, for comparing attribute values. */
export function unescapeHtml(s: string): string {
  return s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** The `data-call-id` of every row of the Call List, in page order. */
export function callIds(html: string): string[] {
  return [...html.matchAll(/<tr data-call-id="([^"]*)"/g)].map((m) => unescapeHtml(m[1]!));
}

/** The href of the link with this exact text, unescaped, or undefined. */
export function linkHref(html: string, text: string): string | undefined {
  for (const m of html.matchAll(/<a [^>]*href="([^"]*)"[^>]*>([^<]*)<\/a>/g)) {
    if (m[2] === text) return unescapeHtml(m[1]!);
  }
  return undefined;
}

/** A data attribute of the element whose opening tag matches `tagPattern`. */
export function dataAttr(html: string, tagPattern: RegExp, name: string): string | undefined {
  const tag = tagPattern.exec(html)?.[0];
  if (!tag) return undefined;
  const m = new RegExp(`${name}="([^"]*)"`).exec(tag);
  return m ? unescapeHtml(m[1]!) : undefined;
}
