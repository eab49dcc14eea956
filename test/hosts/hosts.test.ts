/**
 * The package as hosts install it: `npm pack` of packages/call-recordings, installed into a React
 * 19 and a Vue 3 app (test/hosts/react, test/hosts/vue: each `npm ci` from its own lock, then the
 * tarball), which type-check (with the README's snippets), build with Vite and, served next to
 * the real reference server, load a call through `api-base` and through a `source`, play it and
 * receive the `crec-*` events, in Chromium and Firefox. Also: importing the packed library and
 * bundle in Node does not throw.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, resolve } from "node:path";
import type { Browser } from "puppeteer-core";
import { fixtureDataset } from "../support/fixture-dataset.js";
import { Client, startServer, type RunningServer } from "../support/server.js";
import { PLAYBACK_BROWSERS } from "../support/playback-browsers.js";

const ROOT = resolve(import.meta.dirname, "../..");
const PACKAGE = join(ROOT, "packages/call-recordings");
const HOSTS = ["react", "vue"] as const;
type Host = (typeof HOSTS)[number];

/** Runs a command to its end; rejects with its output when it fails. */
function run(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk));
    child.on("error", fail);
    child.on("close", (code) => (code === 0 ? done(output) : fail(new Error(`${command} ${args.join(" ")} (in ${cwd}) exited ${code}:\n${output}`))));
  });
}

/** The newest modification time of the files under `dir`. */
function newest(dir: string): number {
  return Math.max(0, ...(readdirSync(dir, { recursive: true }) as string[]).map((f) => statSync(join(dir, f)).mtimeMs));
}

/**
 * The README's snippets marked `<!-- test/hosts: FILE -->` just above their code block: written
 * into the host app that checks them (`.vue` the Vue app, the others the React app).
 */
function readmeSnippets(): { host: Host; file: string; code: string }[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  return [...readme.matchAll(/<!-- test\/hosts: (\S+) -->\s*```\w*\n([\s\S]*?)```/g)].map((m) => ({
    host: m[1]!.endsWith(".vue") ? "vue" : "react",
    file: m[1]!,
    code: m[2]!,
  }));
}

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml" };

/** Serves a host's build, and passes everything else (the API and its audio) to the reference server as it is. */
async function serveHost(dist: string, api: RunningServer): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://host").pathname);
    if (!path.startsWith("/api/")) {
      const file = join(dist, path === "/" ? "index.html" : path);
      if (!file.startsWith(dist) || !existsSync(file) || !statSync(file).isFile()) {
        res.writeHead(404).end("not found");
        return;
      }
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
      return;
    }
    const upstream = request({ host: "127.0.0.1", port: api.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe("the package in a React and a Vue host", { timeout: 900_000 }, () => {
  let work: string;
  let tarball: string;
  let packed: { path: string }[];
  let api: RunningServer;
  const apps = new Map<Host, { dir: string; origin: string; server: Server }>();
  /** What alice may play of the call the hosts show, as the API says. */
  let expected: { recordings: number; firstId: string };

  before(async () => {
    work = mkdtempSync(join(tmpdir(), "crec-hosts-"));
    // The package carries what the build made (`npm test` builds just before); built here when
    // it is missing or older than the sources, as its `prepack` would.
    const dist = join(PACKAGE, "dist");
    if (!existsSync(dist) || newest(dist) < Math.max(newest(join(ROOT, "components")), newest(join(ROOT, "src")))) {
      await run("node", ["--import", "tsx", "scripts/build.ts", "--package"], ROOT);
    }
    const pack = JSON.parse(await run("npm", ["pack", "-w", "call-recordings", "--ignore-scripts", "--json", "--pack-destination", work], ROOT)) as { filename: string; files: { path: string }[] }[];
    tarball = join(work, pack[0]!.filename);
    packed = pack[0]!.files;

    // Each host from its own lock, then the tarball, then the README's snippets beside its own code.
    await Promise.all(
      HOSTS.map(async (host) => {
        const dir = join(work, host);
        cpSync(join(ROOT, "test/hosts", host), dir, { recursive: true, filter: (src) => !/[\\/](node_modules|dist)$/.test(src) });
        await run("npm", ["ci", "--no-audit", "--no-fund", "--prefer-offline"], dir);
        await run("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--prefer-offline", tarball], dir);
        for (const snippet of readmeSnippets().filter((s) => s.host === host)) {
          mkdirSync(join(dir, "src"), { recursive: true });
          writeFileSync(join(dir, "src", snippet.file), snippet.code);
        }
      }),
    );

    api = await startServer({ dataset: fixtureDataset() });
    const alice = new Client(api.url);
    await alice.signIn("alice");
    const call = await alice.json<{ recordings: { id: string }[] }>("/api/calls/c-transfer");
    assert.equal(call.status, 200);
    expected = { recordings: call.body.recordings.length, firstId: call.body.recordings[0]!.id };
    assert.ok(expected.recordings > 0, "alice may play a recording of c-transfer");
  });

  after(async () => {
    for (const app of apps.values()) await new Promise((closed) => app.server.close(closed));
    await api?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test("the tarball holds the built library, its types, the bundle and the manifest, and nothing of the server, extension or tests", () => {
    const paths = packed.map((f) => f.path);
    for (const needed of [
      "package.json",
      "README.md",
      "custom-elements.json",
      "dist/lib/components/index.js",
      "dist/lib/components/index.d.ts",
      "dist/bundle/call-recordings.js",
      "dist/bundle/call-recordings.d.ts",
      "dist/types/jsx.d.ts",
      "dist/types/vue.d.ts",
    ]) {
      assert.ok(paths.includes(needed), `the tarball has ${needed}`);
    }
    const strays = paths.filter((p) => !/^(package\.json|README\.md|custom-elements\.json|dist\/(lib|bundle|types)\/.+)$/.test(p) || /(^|\/)(server|extension|test|bench)\//.test(p));
    assert.deepEqual(strays, [], "nothing else is packed");
    const manifest = JSON.parse(readFileSync(join(PACKAGE, "package.json"), "utf8")) as { dependencies: Record<string, string>; private?: boolean };
    assert.deepEqual(Object.keys(manifest.dependencies).sort(), ["@lit/task", "idb", "lit", "waveform-data"], "the package needs only what the elements import");
  });

  test("importing the packed library and bundle in Node (server-side rendering) does not throw, and gives the classes", async () => {
    const script = `
      const lib = await import("call-recordings");
      const bundle = await import("call-recordings/bundle.js");
      const names = (m) => ["CallSessionRecordings", "RecordingPlayer", "CallLoadError"].filter((n) => typeof m[n] === "function").join(",");
      console.log(JSON.stringify({ lib: names(lib), bundle: names(bundle) }));`;
    const out = await run("node", ["--input-type=module", "-e", script], join(work, "react"));
    const result = JSON.parse(out.trim().split("\n").pop()!) as { lib: string; bundle: string };
    assert.equal(result.lib, "CallSessionRecordings,RecordingPlayer,CallLoadError");
    assert.equal(result.bundle, "CallSessionRecordings,RecordingPlayer,CallLoadError");
  });

  test("each host type-checks (tsc; vue-tsc --strict) with the README's snippets, and builds with Vite", async () => {
    const snippets = readmeSnippets();
    assert.ok(snippets.some((s) => s.host === "react") && snippets.some((s) => s.host === "vue"), "the README marks a React and a Vue snippet for this test");
    await Promise.all(
      HOSTS.map(async (host) => {
        const dir = join(work, host);
        await run("npm", ["run", "typecheck"], dir);
        await run("npm", ["run", "build"], dir);
        apps.set(host, { dir, ...(await serveHost(join(dir, "dist"), api)) });
      }),
    );
  });

  for (const [name, launch] of Object.entries(PLAYBACK_BROWSERS)) {
    test(`in ${name}: each host loads the call through api-base and through its source, plays it and hears the crec-* events`, async () => {
      assert.equal(apps.size, HOSTS.length, "the hosts were built (the test before)");
      const browser: Browser = await launch();
      try {
        for (const host of HOSTS) {
          for (const mode of ["api", "source"] as const) {
            const what = `${host} host, ${mode === "api" ? "api-base" : "source"}`;
            const { origin } = apps.get(host)!;
            const page = await browser.newPage();
            try {
              await page.goto(`${origin}/`);
              const signedIn = await page.evaluate(() =>
                fetch("/api/session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "alice", password: "alice-pass" }) }).then((r) => r.status),
              );
              assert.equal(signedIn, 200, `${what}: alice signs in`);
              await page.goto(`${origin}/?call=c-transfer&mode=${mode}`);
              const events = () => page.$$eval("#events li", (items) => items.map((li) => li.textContent ?? ""));

              await page.waitForFunction((line) => [...document.querySelectorAll("#events li")].some((li) => li.textContent === line), { timeout: 30_000 }, `crec-loaded c-transfer ${expected.recordings}`);
              await page.waitForSelector('call-session-recordings[status="ready"]');

              await page.locator('call-session-recordings >>> button[part~="play-button"]').click();
              await page.waitForFunction((line) => [...document.querySelectorAll("#events li")].some((li) => li.textContent === line), { timeout: 30_000 }, `crec-play ${expected.firstId}`);
              // crec-timeupdate moves the host's own counter, re-rendering the host each time.
              await page.waitForFunction(() => Number(document.querySelector("#position")?.textContent) >= 2, { timeout: 30_000 }).catch(async (error: unknown) => {
                const seen = await page.evaluate(() => ({
                  position: document.querySelector("#position")?.textContent,
                  player: document.querySelector("recording-player")?.getAttribute("status"),
                  status: document.querySelector("recording-player")?.shadowRoot?.querySelector('[part~="status"]')?.textContent?.trim(),
                }));
                throw new Error(`${what}: 2 s played within 30 s (${JSON.stringify(seen)}; events: ${(await events()).join(" | ")})`, { cause: error });
              });

              const getCalls = await page.evaluate(() => window.getCallCount);
              assert.equal(getCalls, mode === "source" ? 1 : 0, `${what}: the call is read ${mode === "source" ? "once through the host's source, not again on every re-render" : "through api-base, not the source"} (events: ${(await events()).join(" | ")})`);
              const sectionShown = await page.$eval("call-session-recordings", (el) => el.shadowRoot?.querySelectorAll('[part~="recording-bar"]').length ?? 0);
              assert.equal(sectionShown, expected.recordings, `${what}: a bar per recording on the timeline`);
            } finally {
              await page.close();
            }
          }
        }
      } finally {
        await browser.close();
      }
    });
  }
});

declare global {
  interface Window {
    getCallCount: number;
  }
}
