/**
 * Hostile text in every text field of a dataset (test/support/hostile-dataset.ts) — the
 * customer, groups, users, devices, phone numbers, ids, and a saved filter's name typed by a
 * user — shown as text on every legacy page that shows it, never as markup; and the download
 * file names made of it safe in `Content-Disposition`. Also: who sees the audit report, and
 * that playback starts and downloads land in it (who, which, when, how).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { attachmentHeader } from "../../server/recording-audio.js";
import { fileNameFromDisposition, safeFileName } from "../../src/extension/download-name.js";
import { ALL_HOSTILE, HOSTILE_IDS, HOSTILE_TEXT, hostileDataset } from "../support/hostile-dataset.js";
import { Client, startServer, type RunningServer } from "../support/server.js";
import { signedInClients } from "../support/signed-in.js";
import { csrfOf, getPage, postForm, signInForm } from "./legacy-helpers.js";

let server: RunningServer;
const as = signedInClients(
  () => server.url,
  (c, user) => {
    const key = Object.entries(HOSTILE_IDS).find(([, id]) => id === user)?.[0];
    return signInForm(c, user, key ? `${key}-pass` : `${user}-pass`);
  },
  303,
);

/** What the pages' `html` template makes of a text. */
const escaped = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/** Every hostile string that would mean something as markup. */
const MARKUP = ALL_HOSTILE.filter((s) => /[<>"']/.test(s));

let checkedPages = 0;
let checkedNames = 0;
let checkedStrings = 0;

/** A page shows each of `shown` as text, isolated, and nothing hostile as markup. */
function assertShownAsText(path: string, html: string, shown: string[]): void {
  for (const raw of MARKUP) assert.ok(!html.includes(raw), `${path}: ${JSON.stringify(raw)} appears raw`);
  assert.doesNotMatch(html, /<script|<img|<svg|<b[\s>]|<i>|<u>/i, `${path}: an element came from the data`);
  assert.doesNotMatch(html, /<[^>]*\son[a-z]+\s*=/i, `${path}: an event handler attribute`);
  assert.equal(html.match(/<h1[\s>]/g)?.length, 1, `${path}: one heading of its own, none from the data`);
  assert.equal(html.match(/<\/table>/g)?.length ?? 0, html.match(/<table[\s>]/g)?.length ?? 0, `${path}: no table closed by the data`);
  for (const text of shown) {
    assert.ok(html.includes(`<bdi>${escaped(text)}</bdi>`), `${path}: ${JSON.stringify(text.slice(0, 60))} shown as text, in an isolate`);
    checkedStrings++;
  }
  checkedPages++;
}

before(async () => {
  server = await startServer({ dataset: hostileDataset() });
});
after(async () => {
  console.log(
    `hostile text: ${ALL_HOSTILE.length} hostile strings (${MARKUP.length} of them markup or quotes), ${checkedStrings} placements shown as text on ${checkedPages} legacy pages, ${checkedNames} download names and headers safe`,
  );
  await server.close();
});

const T = HOSTILE_TEXT;
const ID = HOSTILE_IDS;
const call = `/reports/call-session?call=${encodeURIComponent(ID.call)}`;
const conference = `/reports/call-session?call=${encodeURIComponent(ID.conference)}`;

describe("hostile names, numbers, groups and ids in the legacy pages", () => {
  test("the reports show every one as text, to an administrator", async () => {
    const admin = await as("admin");
    const pages: [string, string[]][] = [
      ["/reports/call-list", [T.customer, T.from, T.to, T.fromB, T.groupB]],
      [call, [T.from, T.to, T.groupA, T.groupB, T.userA, T.userC, T.userD, T.deviceA, T.deviceB, ID.call]],
      [conference, [T.fromB, T.from, T.userB, T.deviceB, T.groupB, ID.conference]],
      ["/reports/calls-per-group?from=2026-11-20&to=2026-11-20", [T.groupA, T.groupB]],
      ["/admin/users", [T.userA, T.userB, T.userC, T.userD, ID.userA, ID.userB, T.groupA, T.groupB]],
      ["/admin/devices", [T.deviceA, T.deviceB, ID.deviceA, ID.deviceB, T.userA, T.userC]],
      ["/admin/recordings", [T.customer]],
      ...(["userA", "userB", "userC", "userD"] as const).map((k): [string, string[]] => [`/admin/users/${encodeURIComponent(ID[k])}`, [T[k], ID[k]]]),
      ...(["deviceA", "deviceB"] as const).map((k): [string, string[]] => [`/admin/devices/${encodeURIComponent(ID[k])}`, [T[k]]]),
    ];
    for (const [path, shown] of pages) {
      const page = await getPage(admin, path);
      assert.equal(page.status, 200, path);
      assertShownAsText(path, page.html, shown);
    }
  });

  test("a user whose name and id are hostile sees them as text wherever they are signed in", async () => {
    const eve = await as(ID.userA);
    for (const path of ["/reports/call-list", call, "/reports/calls-per-group"]) {
      const page = await getPage(eve, path);
      assert.equal(page.status, 200, path);
      assert.ok(page.html.includes(`Signed in as <strong><bdi>${escaped(T.userA)}</bdi></strong>`), `${path}: signed in as text`);
      assertShownAsText(path, page.html, [T.userA]);
    }
  });

  test("a saved filter's hostile name is shown as text, and its link stays on the site", async () => {
    const eve = await as(ID.userA);
    const list = await getPage(eve, "/reports/call-list");
    const name = `<img src=x onerror=alert(7)>"'\u202E`;
    const saved = await postForm(eve, "/reports/call-list/saved-filters", { csrf: csrfOf(list.html), name, query: `group=${encodeURIComponent(ID.groupA)}` });
    assert.equal(saved.status, 303);
    const back = await getPage(eve, saved.location!);
    assert.ok(!back.html.includes(name));
    assert.ok(back.html.includes(`<bdi>${escaped(name)}</bdi>`));
    const href = /<li data-saved-filter-id="\d+"><a href="([^"]*)">/.exec(back.html)?.[1];
    assert.equal(href, `/reports/call-list?group=${escaped(encodeURIComponent(ID.groupA))}`);
    checkedPages++;
    checkedStrings++;
  });
});

describe("download file names", () => {
  /** RFC 6266 with RFC 5987's ext-value: only attr-chars and percent escapes after UTF-8''. */
  const DISPOSITION = /^attachment; filename="([\x20-\x7e]*)"; filename\*=UTF-8''((?:[A-Za-z0-9!#$&+.^_`|~-]|%[0-9A-F]{2})*)$/;

  function assertSafeDisposition(header: string | null, what: string): string {
    assert.ok(header, `${what}: has Content-Disposition`);
    const m = DISPOSITION.exec(header);
    assert.ok(m, `${what}: ${JSON.stringify(header)} is a plain attachment with an RFC 5987 name`);
    const [, plain, extended] = m;
    const name = decodeURIComponent(extended!);
    for (const n of [plain!, name]) {
      assert.doesNotMatch(n, /["\\/\r\n\0:*?<>|]/, `${what}: ${JSON.stringify(n)} holds no quote, separator or control character`);
      assert.equal(safeFileName(n), n, `${what}: ${JSON.stringify(n)} is saved as it is on every system`);
      assert.match(n, /\.wav$/, what);
    }
    assert.equal(fileNameFromDisposition(header), name, `${what}: a browser reads the UTF-8 name`);
    checkedNames++;
    return name;
  }

  test("every recording of the hostile calls downloads under a safe, readable name", async () => {
    const names: string[] = [];
    for (const callId of [ID.call, ID.conference]) {
      const { status, body } = await (await as("admin")).json<{ recordings: { id: string; downloadUrl: string }[] }>(`/api/calls/${encodeURIComponent(callId)}`);
      assert.equal(status, 200);
      assert.ok(body.recordings.length > 0);
      for (const r of body.recordings) {
        const res = await fetch(r.downloadUrl);
        assert.equal(res.status, 200);
        await res.arrayBuffer();
        names.push(assertSafeDisposition(res.headers.get("content-disposition"), `${callId} ${r.id}`));
      }
    }
    assert.equal(names.length, 4);
    // Still readable: the people are named, as far as safe characters go.
    assert.ok(names.some((n) => n.includes("Eve_gnp.exe")), names.join("\n"));
    assert.ok(names.some((n) => n.includes("Carriage_Content-Disposition")), names.join("\n"));
  });

  test("the header itself is safe whatever name it is given", () => {
    for (const name of [
      `a"b\\c/d\r\nSet-Cookie: x=1; e'(f)*!.wav`,
      `..\\..\\windows\\system32\\evil.wav`,
      `\u202Evaw.exe`,
      `名前 😀 ünïcode.wav`,
      `${"x".repeat(300)}.wav`,
    ]) {
      const header = attachmentHeader(name);
      assert.doesNotMatch(header, /[\r\n]/, name);
      const m = DISPOSITION.exec(header);
      assert.ok(m, `${JSON.stringify(header)} is a plain attachment with an RFC 5987 name`);
      assert.doesNotMatch(m[1]!, /["\\/]/, `${JSON.stringify(m[1])}: the plain name holds no quote or separator`);
      assert.equal(decodeURIComponent(m[2]!), name, "the UTF-8 name is the name, for the browser to make safe");
      checkedNames++;
    }
  });
});

describe("the audit report", () => {
  test("playback starts and downloads are audited: who, which recording of which call, when, and how", async () => {
    const started = new Date().toISOString();
    const eve = await as(ID.userA);
    const { body } = await eve.json<{ recordings: { id: string; audioUrl: string; downloadUrl: string }[] }>(`/api/calls/${encodeURIComponent(ID.call)}`);
    const rec = body.recordings[0]!;
    // The player's first request starts playback; its later range requests (seeks) do not.
    await (await fetch(rec.audioUrl, { headers: { range: "bytes=0-" } })).arrayBuffer();
    await (await fetch(rec.audioUrl, { headers: { range: "bytes=4000-" } })).arrayBuffer();
    await (await fetch(rec.audioUrl, { method: "HEAD" })).arrayBuffer();
    await (await fetch(rec.downloadUrl)).arrayBuffer();

    const page = await getPage(await as("admin"), "/admin/audit");
    assert.equal(page.status, 200);
    const rows = [...page.html.matchAll(/<tr data-audit-id="\d+" data-action="(play|download)">([\s\S]*?)<\/tr>/g)]
      .map((m) => ({ action: m[1], cells: m[2]! }))
      .filter((r) => r.cells.includes(`(<bdi>${escaped(ID.userA)}</bdi>)`));
    assert.deepEqual(rows.map((r) => r.action), ["download", "play"], "one playback start and one download, newest first");
    for (const { action, cells } of rows) {
      const when = /<time datetime="([^"]+)"/.exec(cells)?.[1];
      assert.ok(when && when >= started.slice(0, 19), `${action}: when (${when})`);
      assert.ok(cells.includes(`<bdi>${escaped(T.userA)}</bdi> <span class="muted">(<bdi>${escaped(ID.userA)}</bdi>)</span>`), `${action}: who, as text`);
      assert.ok(cells.includes(`<td>${action === "play" ? "Playback" : "Download"}</td>`), `${action}: how`);
      assert.ok(cells.includes(`<bdi>${rec.id}</bdi>`), `${action}: which recording`);
      assert.ok(cells.includes(`<bdi>call ${escaped(ID.call)}</bdi>`), `${action}: of which call`);
    }
    assertShownAsText("/admin/audit", page.html, [T.userA, ID.userA]);
  });

  test("only administrators see it: every other user gets 403, a signed-out visitor the sign-in page", async () => {
    for (const key of ["userA", "userB", "userC", "userD"] as const) {
      const page = await getPage(await as(ID[key]), "/admin/audit?action=play");
      assert.equal(page.status, 403, `${key} (playback ${hostileDataset().users.find((u) => u.id === ID[key])!.playback})`);
      assert.ok(!page.html.includes('data-action="play"'), `${key}: no entry shown`);
      const api = await (await as(ID[key])).fetch("/api/admin/audit");
      assert.equal(api.status, 403, `${key}: the API's audit too`);
    }
    const visitor = await getPage(new Client(server.url), "/admin/audit");
    assert.equal(visitor.status, 302);
    assert.match(visitor.location ?? "", /^\/login\?next=%2Fadmin%2Faudit/);
  });
});
