import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Client, startServer, type RunningServer } from "../support/server.js";
import { signedInClients } from "../support/signed-in.js";
import { fixtureDataset, PLAYABLE, RECORDING_COUNT } from "../support/fixture-dataset.js";

interface CallList {
  calls: { id: string; recordings: number; start: string }[];
  next: string | null;
}
interface CallDetail {
  id: string;
  segments: { index: number; user: { id: string } | null }[];
  recordings: { id: string; segment: number | null; audioUrl: string; downloadUrl: string; durationSeconds: number; participants: { id: string }[]; contentType: string }[];
}

let server: RunningServer;
const as = signedInClients(() => server.url, (c, user) => c.signIn(user), 200);

before(async () => {
  server = await startServer({ dataset: fixtureDataset() });
});
after(async () => {
  await server.close();
});

describe("signing in", () => {
  test("a wrong password is refused with 401 and no cookie", async () => {
    const c = new Client(server.url);
    const res = await c.signIn("alice", "nope");
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), { error: "wrong username or password" });
    assert.equal(c.cookie, "");
  });

  test("the session cookie is HttpOnly and SameSite", async () => {
    const res = await fetch(`${server.url}/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "alice", password: "alice-pass" }),
    });
    assert.equal(res.status, 200);
    const cookie = res.headers.get("set-cookie") ?? "";
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
  });

  test("/api/me tells who is signed in and their scope; signed out it is 401", async () => {
    const c = await as("bob");
    assert.deepEqual((await c.json("/api/me")).body, {
      id: "bob",
      name: "Bob Tester",
      admin: false,
      playback: "primary-group",
      primaryGroup: "sales",
      memberGroups: ["support"],
    });
    const anon = new Client(server.url);
    const res = await anon.json("/api/me");
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { error: "sign in first" });
  });

  test("signing out ends the session", async () => {
    const c = new Client(server.url);
    await c.signIn("carol");
    assert.equal((await c.fetch("/api/me")).status, 200);
    const cookie = c.cookie;
    assert.equal((await c.fetch("/api/session", { method: "DELETE" })).status, 204);
    const res = await fetch(`${server.url}/api/me`, { headers: { cookie } });
    assert.equal(res.status, 401, "the old cookie no longer works");
  });

  test("malformed sign-in bodies get a 4xx that says what is wrong", async () => {
    const post = (body: string, type = "application/json") =>
      fetch(`${server.url}/api/session`, { method: "POST", headers: { "content-type": type }, body });
    assert.equal((await post("{not json")).status, 400);
    assert.equal((await post("[]")).status, 400);
    assert.equal((await post('{"username":1,"password":2}')).status, 400);
    assert.equal((await post("username=a", "application/x-www-form-urlencoded")).status, 415);
    const big = await post(JSON.stringify({ username: "a", password: "x".repeat(40_000) }));
    assert.equal(big.status, 413);
    assert.match(((await big.json()) as { error: string }).error, /too large/);
  });

  test("a cross-site request cannot sign in", async () => {
    const res = await fetch(`${server.url}/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://evil.example" },
      body: JSON.stringify({ username: "alice", password: "alice-pass" }),
    });
    assert.equal(res.status, 403);
  });
});

describe("the call list", () => {
  for (const [user, playable] of Object.entries(PLAYABLE)) {
    test(`${user} sees recordings counted only on the calls their scope allows`, async () => {
      const c = await as(user);
      const all = (await c.json<CallList>("/api/calls?limit=100")).body;
      assert.equal(all.calls.length, 8, "every call is listed");
      for (const call of all.calls) {
        const expected = playable.includes(call.id) ? RECORDING_COUNT[call.id] : 0;
        assert.equal(call.recordings, expected, `${call.id} for ${user}`);
      }
      const filtered = (await c.json<CallList>("/api/calls?hasRecording=true")).body;
      assert.deepEqual(filtered.calls.map((x) => x.id).sort(), [...playable].sort());
    });
  }

  test("calls are listed newest first and page with a cursor", async () => {
    const c = await as("dave");
    const seen: string[] = [];
    let cursor: string | null = "";
    let pages = 0;
    while (cursor !== null) {
      const res: { body: CallList } = await c.json<CallList>(`/api/calls?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      seen.push(...res.body.calls.map((x) => x.start));
      cursor = res.body.next;
      pages++;
    }
    assert.equal(pages, 3);
    assert.equal(seen.length, 8);
    assert.deepEqual(seen, [...seen].sort().reverse());
  });

  test("date and direction filters narrow the list", async () => {
    const c = await as("dave");
    const morning = (await c.json<CallList>("/api/calls?from=2026-11-20T10:00:00Z&to=2026-11-20T12:00:00Z")).body;
    assert.deepEqual(morning.calls.map((x) => x.id), ["c-transfer", "c-bob"]);
    const internal = (await c.json<CallList>("/api/calls?direction=internal")).body;
    assert.deepEqual(internal.calls.map((x) => x.id), ["c-conference", "c-quiet", "c-frank-off"]);
  });

  test("bad query parameters are refused with what is wrong", async () => {
    const c = await as("dave");
    for (const [query, message] of [
      ["limit=0", /limit/],
      ["limit=abc", /limit/],
      ["direction=sideways", /direction/],
      ["from=yesterday", /from/],
      ["cursor=garbage", /cursor/],
      ["hasRecording=maybe", /hasRecording/],
    ] as const) {
      const res = await c.json<{ error: string }>(`/api/calls?${query}`);
      assert.equal(res.status, 400, query);
      assert.match(res.body.error, message);
    }
  });

  test("signed out, the list is 401", async () => {
    assert.equal((await fetch(`${server.url}/api/calls`)).status, 401);
  });
});

describe("one call", () => {
  test("a transferred call has one recording per recorded segment, labelled with who was on it", async () => {
    const c = await as("alice");
    const call = (await c.json<CallDetail>("/api/calls/c-transfer")).body;
    assert.equal(call.segments.length, 3);
    assert.deepEqual(call.recordings.map((r) => r.segment), [1, 2]);
    assert.deepEqual(call.recordings.map((r) => r.participants.map((p) => p.id)), [["bob"], ["alice"]]);
    assert.deepEqual(call.recordings.map((r) => r.durationSeconds), [90, 120]);
    assert.equal(call.recordings[0]!.contentType, "audio/wav");
  });

  test("a conference has one recording for the whole conference, playable by a late joiner", async () => {
    const c = await as("alice");
    const call = (await c.json<CallDetail>("/api/calls/c-conference")).body;
    assert.equal(call.recordings.length, 1);
    assert.equal(call.recordings[0]!.segment, null);
    assert.equal(call.recordings[0]!.durationSeconds, 600, "from the first join to the last leave");
  });

  test("a call outside the user's scope is shown without recordings", async () => {
    const c = await as("alice");
    const res = await c.json<CallDetail>("/api/calls/c-bob");
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.recordings, []);
  });

  test("an unknown call is 404", async () => {
    const c = await as("alice");
    const res = await c.json<{ error: string }>("/api/calls/c-nope");
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { error: "no such call" });
  });
});

describe("audio", () => {
  async function recording(user = "alice", callId = "c-alice") {
    const c = await as(user);
    const call = (await c.json<CallDetail>(`/api/calls/${callId}`)).body;
    return call.recordings[0]!;
  }

  test("the whole file is a WAV of the segment's length, and says it accepts ranges", async () => {
    const rec = await recording();
    const res = await fetch(rec.audioUrl);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("accept-ranges"), "bytes");
    assert.equal(res.headers.get("content-type"), "audio/wav");
    assert.ok(res.headers.get("etag"));
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.equal(bytes.subarray(0, 4).toString(), "RIFF");
    assert.equal(bytes.subarray(8, 12).toString(), "WAVE");
    assert.equal(Number(res.headers.get("content-length")), bytes.length);
    const format = bytes.readUInt16LE(20);
    const sampleRate = bytes.readUInt32LE(24);
    assert.equal(sampleRate, 8000);
    const bytesPerSecond = format === 7 ? 8000 : 16000;
    const header = format === 7 ? 58 : 44;
    assert.equal((bytes.length - header) / bytesPerSecond, 120);
  });

  test("ranges: the first bytes, the middle, a suffix and an open end are 206 with the right bytes", async () => {
    const rec = await recording();
    const whole = Buffer.from(await (await fetch(rec.audioUrl)).arrayBuffer());
    const size = whole.length;
    for (const [range, start, end] of [
      ["bytes=0-99", 0, 99],
      ["bytes=5000-6999", 5000, 6999],
      ["bytes=-500", size - 500, size - 1],
      [`bytes=${size - 10}-`, size - 10, size - 1],
      [`bytes=${size - 10}-${size + 1000}`, size - 10, size - 1],
    ] as const) {
      const res = await fetch(rec.audioUrl, { headers: { range } });
      assert.equal(res.status, 206, range);
      assert.equal(res.headers.get("content-range"), `bytes ${start}-${end}/${size}`, range);
      const got = Buffer.from(await res.arrayBuffer());
      assert.ok(got.equals(whole.subarray(start, end + 1)), `${range} gives the same bytes as the whole file`);
    }
  });

  test("ranges past the end, reversed, malformed or multiple are 416 with the size", async () => {
    const rec = await recording();
    const size = Number((await fetch(rec.audioUrl, { method: "HEAD" })).headers.get("content-length"));
    for (const range of [`bytes=${size}-`, "bytes=500-100", "bytes=abc", "bytes=-0", "bytes=0-1,5-6", "items=0-1", "bytes=-", "bytes=99999999999999999999-"]) {
      const res = await fetch(rec.audioUrl, { headers: { range } });
      assert.equal(res.status, 416, range);
      assert.equal(res.headers.get("content-range"), `bytes */${size}`, range);
      await res.arrayBuffer();
    }
  });

  test("If-Range with another ETag gets the whole file; If-None-Match with this one gets 304", async () => {
    const rec = await recording();
    const head = await fetch(rec.audioUrl, { method: "HEAD" });
    const etag = head.headers.get("etag")!;
    const stale = await fetch(rec.audioUrl, { headers: { range: "bytes=0-9", "if-range": '"other"' } });
    assert.equal(stale.status, 200);
    await stale.arrayBuffer();
    const fresh = await fetch(rec.audioUrl, { headers: { range: "bytes=0-9", "if-range": etag } });
    assert.equal(fresh.status, 206);
    await fresh.arrayBuffer();
    assert.equal((await fetch(rec.audioUrl, { headers: { "if-none-match": etag } })).status, 304);
  });

  test("each segment sounds different", async () => {
    const c = await as("alice");
    const call = (await c.json<CallDetail>("/api/calls/c-transfer")).body;
    const [a, b] = await Promise.all(call.recordings.map(async (r) => Buffer.from(await (await fetch(r.audioUrl, { headers: { range: "bytes=100-8099" } })).arrayBuffer())));
    assert.ok(!a!.equals(b!));
  });

  test("downloads are attachments with a readable, safe name", async () => {
    const rec = await recording();
    const res = await fetch(rec.downloadUrl);
    assert.equal(res.status, 200);
    assert.equal(
      res.headers.get("content-disposition"),
      `attachment; filename="2026-11-20 0900 +441632960001 to +441632960100 Alice_Tester segment 1.wav"; filename*=UTF-8''2026-11-20%200900%20%2B441632960001%20to%20%2B441632960100%20Alice_Tester%20segment%201.wav`,
    );
    await res.arrayBuffer();
  });

  test("a tampered, swapped or unsigned URL is refused with 403 and no audio", async () => {
    const rec = await recording();
    const url = new URL(rec.audioUrl);
    const cases: [string, URL][] = [];
    const sig = new URL(url);
    sig.searchParams.set("sig", url.searchParams.get("sig")!.replace(/^./, (ch) => (ch === "A" ? "B" : "A")));
    cases.push(["signature changed", sig]);
    const exp = new URL(url);
    exp.searchParams.set("exp", String(Number(url.searchParams.get("exp")) + 3600));
    cases.push(["expiry extended", exp]);
    const who = new URL(url);
    who.searchParams.set("u", "dave");
    cases.push(["user swapped", who]);
    const other = new URL(url);
    other.pathname = other.pathname.replace(/r\d+-\d+/, "r3-2");
    cases.push(["used for another recording", other]);
    const bare = new URL(url);
    bare.search = "";
    cases.push(["unsigned", bare]);
    const download = new URL(url);
    download.pathname = download.pathname.replace("/audio", "/download");
    cases.push(["audio signature used for download", download]);
    for (const [what, u] of cases) {
      const res = await fetch(u);
      assert.equal(res.status, 403, what);
      assert.match(res.headers.get("content-type") ?? "", /json/, what);
    }
  });

  test("an expired URL is refused with 403 saying it expired", async () => {
    const { signQuery } = await import("../../server/signing.js");
    const { signingSecret } = await import("../../server/signing.js");
    const rec = await recording();
    const url = new URL(rec.audioUrl);
    url.search = signQuery(signingSecret(server.db), "audio", rec.id, "alice", Date.now() - 3600_000);
    const res = await fetch(url);
    assert.equal(res.status, 403);
    assert.match(((await res.json()) as { error: string }).error, /expired/);
  });

  test("a URL stops working once its user may no longer play the call", async () => {
    const c = new Client(server.url);
    await c.signIn("carol");
    const call = (await c.json<CallDetail>("/api/calls/c-bob")).body;
    const url = call.recordings[0]!.audioUrl;
    assert.equal((await fetch(url, { headers: { range: "bytes=0-1" } })).status, 206);
    server.db.prepare("UPDATE users SET playback = 'own' WHERE id = 'carol'").run();
    try {
      const res = await fetch(url, { headers: { range: "bytes=0-1" } });
      assert.equal(res.status, 404);
    } finally {
      server.db.prepare("UPDATE users SET playback = 'member-groups' WHERE id = 'carol'").run();
    }
  });

  test("playback starts and downloads are recorded in the audit log", async () => {
    const rec = await recording("frank", "c-conference");
    await (await fetch(rec.audioUrl, { headers: { range: "bytes=0-" } })).arrayBuffer();
    await (await fetch(rec.downloadUrl)).arrayBuffer();
    const rows = server.db.prepare("SELECT actor, action, subject FROM audit_log WHERE actor = 'frank' ORDER BY id").all();
    assert.deepEqual(rows, [
      { actor: "frank", action: "play", subject: rec.id },
      { actor: "frank", action: "download", subject: rec.id },
    ]);
  });
});

describe("errors", () => {
  test("unknown API paths answer JSON 404", async () => {
    const res = await fetch(`${server.url}/api/nothing-here`);
    assert.equal(res.status, 404);
    assert.match(((await res.json()) as { error: string }).error, /no such resource/);
  });

  test("odd ids are 404 or 403, never 500", async () => {
    const c = await as("dave");
    for (const id of ["%00", "..%2F..%2Fetc%2Fpasswd", "'; DROP TABLE calls;--", "x".repeat(3000), "%E2%80%AE"]) {
      const call = await c.fetch(`/api/calls/${id}`);
      assert.equal(call.status, 404, id);
      const audio = await fetch(`${server.url}/api/recordings/${id}/audio?u=dave&exp=9999999999&sig=abc`);
      assert.equal(audio.status, 403, id);
    }
  });
});
