/**
 * Reading JSON bodies and writing the public views that more than one route answers with.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { Account } from "./access.js";

/** Reads a JSON object body, or answers 400/415 saying what is wrong. */
export async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) throw new HTTPException(415, { message: "send the body as application/json" });
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new HTTPException(400, { message: "the body is not valid JSON" });
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new HTTPException(400, { message: "the body must be a JSON object" });
  return body as Record<string, unknown>;
}

/** A public view of an account. */
export function accountJson(a: Account) {
  return { id: a.id, name: a.name, admin: a.admin, playback: a.playback, primaryGroup: a.primaryGroup, memberGroups: a.memberGroups };
}
