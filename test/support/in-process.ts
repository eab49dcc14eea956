/**
 * The reference server's app driven in-process (`app.request`), with a cookie jar per user,
 * for tests where HTTP itself is not the subject.
 */
import Database from "better-sqlite3";
import type { Hono } from "hono";
import { createApp } from "../../server/app.js";
import type { AppEnv } from "../../server/auth.js";
import { openDatabase, type Db } from "../../server/db.js";
import { importDataset } from "../../server/import.js";
import { fixtureDataset } from "./fixture-dataset.js";

export const ORIGIN = "http://127.0.0.1:8787";

export interface InProcess {
  app: Hono<AppEnv>;
  db: Db;
}

/** Imported databases by dataset, as SQLite images: importing hashes every password (scrypt), so do it once per file. */
const imported = new Map<string, Buffer>();

/** An app on a fresh in-memory database holding `dataset` (the fixture dataset by default). */
export async function inProcessApp(dataset: unknown = fixtureDataset(), options: { trustProxy?: boolean } = {}): Promise<InProcess> {
  const key = JSON.stringify(dataset);
  let image = imported.get(key);
  if (!image) {
    const first = openDatabase(":memory:");
    await importDataset(first, dataset, "test dataset");
    image = first.serialize();
    first.close();
    imported.set(key, image);
  }
  // A copy of its own, set up as openDatabase sets one up.
  const db = new Database(image);
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 2000");
  return { app: createApp({ db, ...options }), db };
}

/**
 * One browser: keeps the cookies the app sets, and does not follow redirects. `always` are
 * headers sent with every request (what a proxy in front would add).
 */
export class InProcessClient {
  readonly cookies = new Map<string, string>();
  constructor(
    readonly app: Hono<AppEnv>,
    readonly always: Record<string, string> = {},
  ) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers({ ...this.always });
    new Headers(init.headers).forEach((value, key) => headers.set(key, value));
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await this.app.request(new URL(path, ORIGIN).href, { ...init, headers });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  async json<T = unknown>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
    const res = await this.fetch(path, init);
    return { status: res.status, body: (await res.json()) as T };
  }

  /** Signs in through the JSON API. */
  async signIn(username: string, password = `${username}-pass`, headers: Record<string, string> = {}): Promise<Response> {
    return this.fetch("/api/session", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ username, password }),
    });
  }

  /** Posts a form as a browser on this site would. */
  async postForm(path: string, fields: Record<string, string>): Promise<Response> {
    return this.fetch(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
  }
}
