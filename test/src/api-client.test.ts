import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { apiCallSource, CallLoadError, loadCall, resolveApiBase } from "../../src/calls/api-client.js";
import { fixtureDataset } from "../support/fixture-dataset.js";
import { Client, startServer, type RunningServer } from "../support/server.js";

describe("the API client against the reference server", () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ dataset: fixtureDataset() });
  });
  after(() => server.close());

  const sourceFor = (client: Client) =>
    apiCallSource("/api", { baseUrl: server.url, fetch: (input, init) => client.fetch(new URL(String(input)).pathname, init) });

  test("loads a call with only the recordings the user may play, checked", async () => {
    const alice = new Client(server.url);
    await alice.signIn("alice");
    const call = await loadCall(sourceFor(alice), "c-transfer", new AbortController().signal);
    assert.equal(call?.recordings.length, 2);
    assert.match(call!.recordings[0]!.audioUrl, /^http:\/\/127\.0\.0\.1:\d+\/api\/recordings\/[^/]+\/audio\?/);
    const carol = new Client(server.url);
    await carol.signIn("carol");
    assert.equal((await loadCall(sourceFor(carol), "c-transfer", new AbortController().signal))?.recordings.length, 0);
  });

  test("an unknown call is null; signed out is an unauthorized error", async () => {
    const admin = new Client(server.url);
    await admin.signIn("admin");
    assert.equal(await loadCall(sourceFor(admin), "c-nope", new AbortController().signal), null);
    const nobody = new Client(server.url);
    await assert.rejects(loadCall(sourceFor(nobody), "c-alice", new AbortController().signal), (error: unknown) => error instanceof CallLoadError && error.kind === "unauthorized" && error.status === 401);
  });

  test("an answer that is not JSON, or not a call, is malformed; an unreachable server is a network error", async () => {
    const html = apiCallSource("/api", { baseUrl: "http://x.invalid", fetch: async () => new Response("<html>", { status: 200 }) });
    await assert.rejects(loadCall(html, "c", new AbortController().signal), (e: unknown) => e instanceof CallLoadError && e.kind === "malformed");
    const wrong = apiCallSource("/api", { baseUrl: "http://x.invalid", fetch: async () => Response.json({ id: "c", start: "x", recordings: [] }) });
    await assert.rejects(loadCall(wrong, "c", new AbortController().signal), (e: unknown) => e instanceof CallLoadError && e.kind === "malformed" && /call\.start/.test(e.message));
    const down = apiCallSource("/api", { baseUrl: "http://x.invalid", fetch: async () => { throw new TypeError("fetch failed"); } });
    await assert.rejects(loadCall(down, "c", new AbortController().signal), (e: unknown) => e instanceof CallLoadError && e.kind === "network");
  });

  test("an aborted load rejects with the abort, not an error to show", async () => {
    const abort = new AbortController();
    const slow = apiCallSource("/api", { baseUrl: "http://x.invalid", fetch: (_input, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")))) });
    const pending = loadCall(slow, "c", abort.signal);
    abort.abort();
    await assert.rejects(pending, (e: unknown) => e instanceof DOMException && e.name === "AbortError");
  });

  test("the API base resolves against the page and always ends in a slash", () => {
    assert.equal(resolveApiBase("/api", "https://r.example/reports/x?y=1"), "https://r.example/api/");
    assert.equal(resolveApiBase("https://api.example/v2/", "https://r.example/"), "https://api.example/v2/");
  });
});
