/**
 * Starts the real reference server over real HTTP on a free port, for tests and benchmarks.
 */
import { serve, type ServerType } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { createApp } from "../../server/app.js";
import { openDatabase, type Db } from "../../server/db.js";
import { importDataset } from "../../server/import.js";

export interface RunningServer {
  url: string;
  db: Db;
  close(): Promise<void>;
}

export async function startServer(options: { dataset: unknown; dbPath?: string; componentsDir?: string }): Promise<RunningServer> {
  const db = openDatabase(options.dbPath ?? ":memory:");
  await importDataset(db, options.dataset, "test dataset");
  const app = createApp({ db, ...(options.componentsDir ? { componentsDir: options.componentsDir } : {}) });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
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
