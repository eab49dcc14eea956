/**
 * Form posts on the legacy pages: every POST form carries the session's CSRF token in a hidden
 * `csrf` field, and a post whose token is missing or wrong is refused before anything changes.
 * (Cross-site posts are also refused app-wide by `sameOriginWrites`; the token covers browsers
 * that send neither `Origin` nor `Sec-Fetch-Site`.)
 */
import { timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { html } from "hono/html";
import type { AppEnv, SessionInfo } from "../auth.js";
import type { Html } from "./format.js";

/** The hidden field every POST form of a signed-in page carries. */
export function csrfField(session: SessionInfo): Html {
  return html`<input type="hidden" name="csrf" value="${session.csrf}">`;
}

/** A posted form's text fields (file parts and repeated names are ignored; the last value wins). */
export async function readForm(c: Context<AppEnv>): Promise<Record<string, string>> {
  const type = c.req.header("content-type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) return {};
  let body: Record<string, unknown>;
  try {
    body = await c.req.parseBody();
  } catch {
    // A body that does not parse as a form is treated as an empty form: its token is missing.
    return {};
  }
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === "string") fields[key] = value;
  }
  return fields;
}

/**
 * Every value of each repeated field of a posted form (checkboxes that share a name), in the
 * order sent; file parts are ignored. Read after {@link readForm}: the body is parsed once.
 */
export async function readFormLists(c: Context<AppEnv>): Promise<Record<string, string[]>> {
  const type = c.req.header("content-type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) return {};
  let body: Record<string, unknown>;
  try {
    body = await c.req.parseBody({ all: true });
  } catch {
    return {};
  }
  const lists: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(body)) {
    lists[key] = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
  }
  return lists;
}

/** Whether the posted token is the session's, compared in constant time. */
export function csrfMatches(session: SessionInfo, posted: string | undefined): boolean {
  if (typeof posted !== "string") return false;
  const a = Buffer.from(posted);
  const b = Buffer.from(session.csrf);
  return a.length === b.length && timingSafeEqual(a, b);
}
