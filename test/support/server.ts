/**
 * Starts the real reference server over real HTTP on a free port, for tests and benchmarks; or,
 * for a restart, again on the port and database file it had.
 */
import { serve, type ServerType } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { createApp } from "../../server/app.js";
import { openDatabase, type Db } from "../../server/db.js";
import { importDataset } from "../../server/import.js";

export interface RunningServer {
  url: string;
  port: number;
  db: Db;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Imported into the database; leave it out to start on a database that already holds data (a restart). */
  dataset?: unknown;
  /** Default an in-memory database; a file survives `close()`, for a restart on the same data. */
  dbPath?: string;
  /** Default a free port; a restart passes the port it had. */
  port?: number;
  componentsDir?: string;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const db = openDatabase(options.dbPath ?? ":memory:");
  if (options.dataset !== undefined) await importDataset(db, options.dataset, "test dataset");
  const app = createApp({ db, ...(options.componentsDir ? { componentsDir: options.componentsDir } : {}) });
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: "127.0.0.1" }, () => resolve(s));
    s.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    db,
    close: () =>
      new Promise<void>((resolve) => {
        if ("closeAllConnections" in server) server.closeAllConnections();
        server.close(() => {
          db.close();
          resolve();
        });
      }),
  };
}

/** A tiny cookie-keeping client for one user. */
export class Client {
  cookie = "";
  constructor(readonly base: string) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set("cookie", this.cookie);
    const res = await fetch(new URL(path, this.base), { ...init, headers, redirect: "manual" });
    const set = res.headers.getSetCookie();
    for (const c of set) {
      const pair = c.split(";")[0]!;
      if (pair.endsWith("=")) this.cookie = "";
      else this.cookie = pair;
    }
    return res;
  }

  async json<T = unknown>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
    const res = await this.fetch(path, init);
    return { status: res.status, body: (await res.json()) as T };
  }

  async signIn(username: string, password = `${username}-pass`): Promise<Response> {
    return this.fetch("/api/session", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username, password }),
    });
  }
}
