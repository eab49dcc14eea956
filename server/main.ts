/**
 * Starts the reference reporting server:
 *   npm run serve -- --data FILE --port N --db PATH [--recordings DIR] [--host H] [--trust-proxy]
 * Defaults: the demo dataset, port 8787, `.data/demo.sqlite`; recordings the dataset names as
 * files are looked for in DIR, by default the dataset file's folder. The dataset is imported when the
 * database is new or the file has changed since it was last imported; a re-import keeps the
 * audit log, administrators' changes and recording ids (see `import.ts`). Without --data, the
 * demo's calls are moved by whole days to end today (`demo-days.ts`), again on each new day.
 */
import { serve } from "@hono/node-server";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createApp } from "./app.js";
import { getMeta, openDatabase } from "./db.js";
import { endToday } from "./demo-days.js";
import { DatasetError, ImportError, importDataset, readDatasetFile } from "./import.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const DEMO_DATASET = resolve(root, "server/demo/dataset.json");

function usage(problem: string): never {
  console.error(`${problem}\nusage: npm run serve -- [--data FILE] [--port N] [--db PATH] [--recordings DIR] [--host HOST] [--trust-proxy]`);
  process.exit(2);
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        data: { type: "string" },
        port: { type: "string" },
        db: { type: "string" },
        recordings: { type: "string" },
        host: { type: "string" },
        "trust-proxy": { type: "boolean" },
      },
      strict: true,
    }).values;
  } catch (err) {
    usage((err as Error).message);
  }
  const dataPath = resolve(args.data ?? DEMO_DATASET);
  // `--port` first, then the environment's PORT (an empty one is as good as none).
  const fromEnv = process.env.PORT?.trim() ? process.env.PORT : undefined;
  const portText = args.port ?? fromEnv ?? "8787";
  const port = Number(portText);
  if (portText.trim() === "" || !Number.isInteger(port) || port < 0 || port > 65535) {
    usage(`${args.port !== undefined ? "--port" : "PORT"}: "${portText.slice(0, 40)}" is not a port number (0 to 65535; 0 takes any free port)`);
  }
  const dbPath = args.db === ":memory:" ? ":memory:" : resolve(args.db ?? resolve(root, ".data/demo.sqlite"));
  const host = args.host ?? "127.0.0.1";
  const recordingsDir = resolve(args.recordings ?? dirname(dataPath));

  const db = openDatabase(dbPath);
  try {
    const read = await readDatasetFile(dataPath, { recordingsDir });
    let { dataset, digest } = read;
    if (args.data === undefined) {
      // The demo ends today, so the Call List's Today and Last 7 days show calls; a new day imports it again.
      const moved = endToday(dataset, Date.now());
      dataset = moved.dataset;
      digest = createHash("sha256").update(`${digest}\0demo moved ${moved.days} days`).digest("hex");
      if (moved.lastDay !== undefined) {
        const by = moved.days === 0 ? "" : ` ${Math.abs(moved.days)} day${Math.abs(moved.days) === 1 ? "" : "s"} ${moved.days > 0 ? "later" : "earlier"}`;
        console.log(`The demo's calls were moved${by} to end today: ${moved.firstDay} to ${moved.lastDay} (UTC), each at its time of day in ${dataPath}.`);
      }
    }
    const previous = getMeta(db, "dataset_digest");
    if (previous !== digest) {
      const started = Date.now();
      const s = await importDataset(db, dataset, dataPath, digest, { recordingsDir });
      const kept = db.prepare("SELECT (SELECT count(*) FROM audit_log) AS audit, (SELECT count(*) FROM admin_overrides) AS changes").get() as { audit: number; changes: number };
      console.log(`Imported ${dataPath}: ${s.users} users, ${s.devices} devices, ${s.calls} calls, ${s.recordings} recordings${s.files ? ` (${s.files} from files in ${recordingsDir})` : ""} (${Date.now() - started} ms).`);
      if (previous !== undefined) {
        console.log(`  Kept the audit log (${kept.audit} entries), ${kept.changes} field(s) set by administrators, and every recording's id; everyone signs in again.`);
      }
    } else {
      console.log(`Using ${dbPath} (already holds ${dataPath}).`);
    }
  } catch (err) {
    if (err instanceof DatasetError || err instanceof ImportError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }

  const componentsDir = resolve(root, "dist/components");
  const trustProxy = args["trust-proxy"] === true;
  const app = createApp({ db, trustProxy, ...(existsSync(componentsDir) ? { componentsDir } : {}) });
  const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
    const base = `http://${host}:${info.port}`;
    console.log(`\nThe reference reporting server is up at ${base}/`);
    console.log(`  Legacy reporting interface: ${base}/login  (then the Call List: ${base}/reports/call-list)`);
    console.log(`  Embedded components demo:   ${base}/embed-demo`);
    if (trustProxy) console.log(`  Trusting the proxy in front: client address, scheme and host from its X-Forwarded-For, -Proto and -Host.`);
    console.log(`  Sign in as admin / admin-pass (administrator, all calls), or alice / alice-pass; see README.md for every demo user.`);
    if (existsSync(resolve(root, "dist/chrome/manifest.json"))) {
      console.log(`  Browser extension: load ${resolve(root, "dist/chrome")} (Chromium) or ${resolve(root, "dist/firefox")} (Firefox); see README.md.`);
    }
  });
  const stop = () => {
    server.close();
    db.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

await main();
