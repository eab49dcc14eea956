/**
 * The fixture interfaces (test/fixtures/server.ts) over real HTTP: sign-in and the session
 * cookie, pages refused without it, audio with real ranges, downloads named the way each product
 * names them, and pages holding the markup the built-in site profiles rely on (checked with the
 * profiles' own patterns against the served HTML, no browser).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Script } from "node:vm";
import { FIXTURE_USER, FREEPBX_CALLS, FUSION_CALLS } from "../fixtures/data.js";
import { startFixtureServers, type FixtureServers } from "../fixtures/server.js";
import { wavSize } from "../../server/audio.js";
import {
  callIdFromHref,
  callIdFromValue,
  coversPage,
  expandTemplate,
  isSignOut,
  mapAnswer,
  matchesPagePattern,
  parseSiteProfile,
  sessionCallIdFromUrl,
  type SiteProfile,
} from "../../src/extension/site-profile.js";

function profile(id: string): SiteProfile {
  const result = parseSiteProfile(JSON.parse(readFileSync(new URL(`../../extension/profiles/${id}.json`, import.meta.url), "utf8")));
  assert.ok(result.ok);
  return result.profile;
}

const fusionProfile = profile("fusionpbx");
const freepbxProfile = profile("freepbx");

let servers: FixtureServers;
before(async () => {
  servers = await startFixtureServers({ fusionpbxPort: 0, freepbxPort: 0 });
});
after(() => servers.close());

/** A browser-like client for one site: keeps the cookie, follows nothing by itself. */
class Client {
  cookie = "";
  constructor(readonly origin: string) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set("Cookie", this.cookie);
    const response = await fetch(new URL(path, this.origin), { ...init, headers, redirect: "manual" });
    const set = response.headers.get("set-cookie");
    if (set) this.cookie = set.split(";")[0]!;
    return response;
  }

  async text(path: string): Promise<string> {
    const response = await this.request(path);
    assert.equal(response.status, 200, `${path}: ${response.status}`);
    return response.text();
  }

  form(path: string, fields: Record<string, string>): Promise<Response> {
    return this.request(path, { method: "POST", body: new URLSearchParams(fields) });
  }
}

/** Opening tags of `tag` whose attributes include every one of `attributes` (name, and value when given). */
function tags(html: string, tag: string, attributes: Record<string, string | true>): string[] {
  return [...html.matchAll(new RegExp(`<${tag}\\b[^>]*>`, "gi"))]
    .map((m) => m[0])
    .filter((t) => Object.entries(attributes).every(([name, value]) => (value === true ? attr(t, name) !== null : attr(t, name) === value)));
}

/** An attribute's (entity-decoded) value in an opening tag, quoted either way. */
function attr(tagText: string, name: string): string | null {
  const m = new RegExp(`\\s${name}=(?:'([^']*)'|"([^"]*)")`, "i").exec(tagText);
  const raw = m ? (m[1] ?? m[2] ?? "") : null;
  return raw === null ? null : raw.replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#039;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">");
}

/** Every inline script of a page compiles (the pages' own players are plain scripts, run by no test here). */
function assertScriptsCompile(html: string, page: string): void {
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  assert.ok(scripts.length > 0, page);
  for (const source of scripts) assert.doesNotThrow(() => new Script(source, { filename: page }), page);
}

const hasClass = (tagText: string, name: string) => (attr(tagText, "class") ?? "").split(/\s+/).includes(name);

async function signedInFusion(): Promise<Client> {
  const client = new Client(servers.fusionpbx.origin);
  const response = await client.form("/", { username: FIXTURE_USER.username, password: FIXTURE_USER.password });
  assert.equal(response.status, 302);
  return client;
}

async function signedInFreepbx(): Promise<Client> {
  const client = new Client(servers.freepbx.origin);
  const response = await client.form("/admin/config.php?display=cdr", { username: FIXTURE_USER.username, password: FIXTURE_USER.password });
  assert.equal(response.status, 303);
  return client;
}

describe("fixture server: FusionPBX", () => {
  test("pages and audio redirect to the login page without the session, keeping where to go", async () => {
    const client = new Client(servers.fusionpbx.origin);
    for (const path of ["/core/dashboard/", "/app/xml_cdr/xml_cdr.php", `/app/xml_cdr/download.php?id=${FUSION_CALLS[0]!.uuid}&t=record`]) {
      const response = await client.request(path);
      assert.equal(response.status, 302, path);
      assert.equal(response.headers.get("location"), `/?path=${encodeURIComponent(path)}`);
    }
    const login = await client.text("/?path=%2Fapp%2Fxml_cdr%2Fxml_cdr.php");
    assert.equal(tags(login, "input", { name: "username" }).length, 1);
    assert.equal(tags(login, "input", { name: "password", type: "password" }).length, 1);
  });

  test("a wrong password is refused; the right one sets an HttpOnly PHPSESSID and goes where asked", async () => {
    const client = new Client(servers.fusionpbx.origin);
    const wrong = await client.form("/?path=%2Fapp%2Fxml_cdr%2Fxml_cdr.php", { username: "admin", password: "nope" });
    assert.equal(wrong.status, 302);
    assert.match(wrong.headers.get("location")!, /^\/\?path=.*failed=1/);
    assert.equal(client.cookie, "");
    const right = await client.form("/?path=%2Fapp%2Fxml_cdr%2Fxml_cdr.php", { username: "admin", password: "admin-pass" });
    assert.equal(right.headers.get("location"), "/app/xml_cdr/xml_cdr.php");
    assert.match(right.headers.get("set-cookie")!, /^PHPSESSID=[0-9a-f]{32}; Path=\/; HttpOnly$/);
    assert.equal((await client.request("/app/xml_cdr/xml_cdr.php")).status, 200);
    // Off-site destinations are not followed.
    const other = new Client(servers.fusionpbx.origin);
    const offsite = await other.form("/?path=%2F%2Fevil.example%2F", { username: "admin", password: "admin-pass" });
    assert.equal(offsite.headers.get("location"), "/core/dashboard/");
  });

  test("the list holds the rows, audio elements and links the FusionPBX profile reads", async () => {
    const client = await signedInFusion();
    const url = `${servers.fusionpbx.origin}/app/xml_cdr/xml_cdr.php`;
    assert.ok(coversPage(fusionProfile, url));
    assert.ok(matchesPagePattern(fusionProfile.detect!.path, url));
    const html = await client.text("/app/xml_cdr/xml_cdr.php");
    assert.match(html, /<table class='list'>/);

    const callId = fusionProfile.callList!.callId;
    assert.ok("attribute" in callId);
    // tr.list-row[href*='xml_cdr_details.php?id=']: one per call, the progress and spacer rows left out.
    const rows = tags(html, "tr", {}).filter((t) => hasClass(t, "list-row") && (attr(t, "href") ?? "").includes("xml_cdr_details.php?id="));
    assert.deepEqual(
      rows.map((t) => callIdFromValue(attr(t, callId.attribute), callId.pattern)),
      FUSION_CALLS.map((c) => c.uuid),
    );
    assert.equal(tags(html, "tr", { class: "list-row" }).length, FUSION_CALLS.length * 3, "each call has its progress row and spacer row too");

    const recorded = FUSION_CALLS.filter((c) => c.audio);
    const audios = tags(html, "audio", {}).filter((t) => (attr(t, "id") ?? "").startsWith("recording_audio_"));
    assert.deepEqual(audios.map((t) => attr(t, "id")), recorded.map((c) => `recording_audio_${c.uuid}`));
    const source = fusionProfile.recordings;
    assert.ok(source.kind === "template" && source.downloadUrl);
    for (const [i, call] of recorded.entries()) {
      const tag = audios[i]!;
      assert.equal(attr(tag, "preload"), "none");
      assert.equal(attr(tag, "onended"), `recording_reset('${call.uuid}');`);
      assert.equal(new URL(attr(tag, "src")!, url).href, expandTemplate(source.url, { callId: call.uuid }, url), "the profile's audio template is the page's own src");
      assert.equal(tags(html, "button", { id: `recording_button_${call.uuid}`, onclick: `recording_play('${call.uuid}')` }).length, 1);
      assert.equal(tags(html, "a", { href: `download.php?id=${call.uuid}&t=bin` }).length, 1);
      assert.equal(new URL(`download.php?id=${call.uuid}&t=bin`, url).href, expandTemplate(source.downloadUrl, { callId: call.uuid }, url));
    }
    // The mark cell (td.button) is the recording cell of recorded calls.
    assert.equal((html.match(/<td class='middle button center no-link no-wrap hide-sm-dn'>/g) ?? []).length, recorded.length);
    // The page's own script: play/pause, reset, progress and seek.
    for (const fn of ["recording_play", "recording_reset", "update_progress", "recording_seek"]) assert.match(html, new RegExp(`function ${fn}\\(`));
    assertScriptsCompile(html, "xml_cdr.php");
  });

  test("the details page is the profile's Call Session view, with its own player, and the dashboard is another page", async () => {
    const client = await signedInFusion();
    const call = FUSION_CALLS.find((c) => c.audio)!;
    const url = `${servers.fusionpbx.origin}/app/xml_cdr/xml_cdr_details.php?id=${call.uuid}`;
    assert.equal(sessionCallIdFromUrl(fusionProfile, url), call.uuid);
    const html = await client.text(url);
    assert.equal(tags(html, "div", { id: "main_content" }).length, 1, "the mount point");
    assert.equal(tags(html, "audio", { id: `recording_audio_${call.uuid}` }).length, 1);
    assert.match(html, new RegExp(`window\\.location\\.href='download\\.php\\?id=${call.uuid}&(?:amp;)?t=bin';`));
    assert.match(html, new RegExp(`<script>recording_load\\('${call.uuid}'\\);</script>`));
    assertScriptsCompile(html, "xml_cdr_details.php");
    const unrecorded = FUSION_CALLS.find((c) => !c.audio)!;
    assert.doesNotMatch(await client.text(`/app/xml_cdr/xml_cdr_details.php?id=${unrecorded.uuid}`), /<audio /);
    assert.equal((await client.request("/app/xml_cdr/xml_cdr_details.php?id=00000000-0000-4000-8000-000000000000")).status, 404);

    const dashboard = await client.text("/core/dashboard/");
    assert.ok(coversPage(fusionProfile, `${servers.fusionpbx.origin}/core/dashboard/`));
    assert.match(dashboard, /Recent Calls/);
  });

  test("audio: whole, ranges (206), suffix ranges, HEAD and unsatisfiable ranges (416)", async () => {
    const client = await signedInFusion();
    const call = FUSION_CALLS.find((c) => c.audio)!;
    const size = wavSize(call.audio!);
    const path = `/app/xml_cdr/download.php?id=${call.uuid}&t=record`;

    const whole = await client.request(path);
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get("accept-ranges"), "bytes");
    assert.equal(whole.headers.get("content-type"), "audio/x-wav");
    const bytes = Buffer.from(await whole.arrayBuffer());
    assert.equal(bytes.length, size);
    assert.equal(bytes.toString("ascii", 0, 4), "RIFF");
    assert.equal(bytes.toString("ascii", 8, 12), "WAVE");
    assert.equal(bytes.readUInt16LE(20), 1, "PCM");
    assert.equal(bytes.readUInt32LE(24), 8000, "8 kHz");
    assert.equal(bytes.readUInt16LE(34), 16, "16-bit");
    assert.ok(size > 8000 * 2 * 60, "a few minutes long");

    const part = await client.request(path, { headers: { Range: "bytes=1000-1999" } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get("content-range"), `bytes 1000-1999/${size}`);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), bytes.subarray(1000, 2000));

    const open = await client.request(path, { headers: { Range: `bytes=${size - 10}-` } });
    assert.equal(open.status, 206);
    assert.equal(open.headers.get("content-range"), `bytes ${size - 10}-${size - 1}/${size}`);
    await open.arrayBuffer();

    const suffix = await client.request(path, { headers: { Range: "bytes=-44" } });
    assert.equal(suffix.status, 206);
    assert.deepEqual(Buffer.from(await suffix.arrayBuffer()), bytes.subarray(size - 44));

    const head = await client.request(path, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("content-length"), String(size));

    for (const range of [`bytes=${size}-`, "bytes=5-2", "bytes=0-1,5-6", "items=0-1"]) {
      const refused = await client.request(path, { headers: { Range: range } });
      assert.equal(refused.status, 416, range);
      assert.equal(refused.headers.get("content-range"), `bytes */${size}`);
      await refused.arrayBuffer();
    }
    // The current FusionPBX markup leaves `t` out: the same audio.
    const plain = await client.request(`/app/xml_cdr/download.php?id=${call.uuid}`, { headers: { Range: "bytes=0-3" } });
    assert.equal(plain.status, 206);
    assert.equal(Buffer.from(await plain.arrayBuffer()).toString("ascii"), "RIFF");
  });

  test("each call has audio of its own", async () => {
    const client = await signedInFusion();
    const [a, b] = FUSION_CALLS.filter((c) => c.audio);
    const read = async (uuid: string) =>
      Buffer.from(await (await client.request(`/app/xml_cdr/download.php?id=${uuid}&t=record`, { headers: { Range: "bytes=44-16043" } })).arrayBuffer());
    assert.notDeepEqual(await read(a!.uuid), await read(b!.uuid));
  });

  test("the download (t=bin) is an attachment named {uuid}.wav; the sign-out URL ends the session", async () => {
    const client = await signedInFusion();
    const call = FUSION_CALLS.find((c) => c.audio)!;
    const download = await client.request(`/app/xml_cdr/download.php?id=${call.uuid}&t=bin`);
    assert.equal(download.status, 200);
    assert.equal(download.headers.get("content-disposition"), `attachment; filename="${call.uuid}.wav"`);
    assert.equal(download.headers.get("content-type"), "application/download");
    assert.equal(download.headers.get("content-length"), String(wavSize(call.audio!)));
    await download.arrayBuffer();

    assert.ok(isSignOut(fusionProfile, `${servers.fusionpbx.origin}/logout.php`));
    const out = await client.request("/logout.php");
    assert.equal(out.status, 302);
    assert.equal(out.headers.get("location"), "/");
    assert.equal((await client.request("/app/xml_cdr/xml_cdr.php")).status, 302);
  });
});

describe("fixture server: FreePBX", () => {
  test("signed out, every page shows the login form in its place, and the ajax and audio refuse", async () => {
    const client = new Client(servers.freepbx.origin);
    const call = FREEPBX_CALLS.find((c) => c.audio)!;
    for (const path of ["/admin/config.php?display=cdr", "/admin/config.php?display=dashboard", `/admin/config.php?display=cdr&action=download_audio&cdr_file=${call.uniqueid}`]) {
      const html = await client.text(path);
      assert.equal(tags(html, "input", { name: "username" }).length, 1, path);
      assert.doesNotMatch(html, /cdr_table|RIFF/, path);
    }
    const ajax = await client.form("/admin/ajax.php", { module: "cdr", command: "gethtml5", uid: call.uniqueid });
    assert.equal(ajax.status, 401);
    await ajax.arrayBuffer();
    const wrong = await client.form("/admin/config.php?display=cdr", { username: "admin", password: "nope" });
    assert.equal(wrong.status, 401);
    assert.match(await wrong.text(), /Invalid Username or Password/);
    assert.equal(client.cookie, "");
  });

  test("signing in sets PHPSESSID and shows the page asked for", async () => {
    const client = new Client(servers.freepbx.origin);
    const response = await client.form("/admin/config.php?display=cdr", { username: "admin", password: "admin-pass" });
    assert.equal(response.status, 303);
    assert.equal(response.headers.get("location"), "/admin/config.php?display=cdr");
    assert.match(response.headers.get("set-cookie")!, /^PHPSESSID=[0-9a-f]{32}; Path=\/; HttpOnly$/);
    assert.match(await client.text("/admin/config.php?display=cdr"), /<table id="cdr_table" class="cdr">/);
  });

  test("CDR Reports holds the rows, links and players the FreePBX profile reads", async () => {
    const client = await signedInFreepbx();
    const url = `${servers.freepbx.origin}/admin/config.php?display=cdr`;
    assert.ok(coversPage(freepbxProfile, url));
    assert.ok(matchesPagePattern(freepbxProfile.detect!.path, url));
    const html = await client.text("/admin/config.php?display=cdr");
    assert.equal(tags(html, "div", { id: "maincdr" }).length, 1);

    const callId = freepbxProfile.callList!.callId;
    assert.ok("hrefPattern" in callId);
    // #cdr_table tr.record, each row's download link (a[href*='action=download_audio']) through hrefPattern.
    const table = html.slice(html.indexOf('<table id="cdr_table"'), html.indexOf("</table>", html.indexOf('<table id="cdr_table"')));
    const rows = table.split('<tr class="record">').slice(1);
    assert.equal(rows.length, FREEPBX_CALLS.length);
    const ids = rows.map((row) => {
      const link = tags(row, "a", {}).find((t) => (attr(t, "href") ?? "").includes("action=download_audio"));
      return link ? callIdFromHref(attr(link, "href"), callId.hrefPattern) : null;
    });
    assert.deepEqual(ids, FREEPBX_CALLS.map((c) => (c.audio ? c.uniqueid : null)));

    // cdr_play(row, uid) and the jPlayer rows it opens: playback-N, jquery_jplayer_N, jp_container_N (N from 1).
    FREEPBX_CALLS.forEach((call, k) => {
      const id = k + 1;
      if (call.audio) assert.ok(html.includes(`cdr_play(${id + 1},'${call.uniqueid}'); return false;`), call.uniqueid);
      assert.equal(tags(html, "tr", { id: `playback-${id}`, class: "playback" }).length, 1);
      assert.equal(tags(html, "div", { id: `jquery_jplayer_${id}`, class: "jp-jplayer" }).length, 1);
      assert.equal(tags(html, "div", { id: `jp_container_${id}`, "data-player": `jquery_jplayer_${id}` }).length, 1);
    });
    assert.match(html, /function cdr_play\(rowNum, uid\)/);
    assertScriptsCompile(html, "config.php?display=cdr");
  });

  test("gethtml5 answers the file the profile's answer mapping finds, served with ranges", async () => {
    const client = await signedInFreepbx();
    const call = FREEPBX_CALLS.find((c) => c.audio)!;
    const source = freepbxProfile.recordings;
    assert.ok(source.kind === "template" && source.answer && source.body && source.method === "POST");
    const page = `${servers.freepbx.origin}/admin/config.php?display=cdr`;
    const ask = expandTemplate(source.url, { callId: call.uniqueid }, page);
    const body = expandTemplate(source.body, { callId: call.uniqueid });
    const answer = await client.request(ask, { method: "POST", body, headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    assert.equal(answer.status, 200);
    const mapped = mapAnswer(await answer.json(), source.answer, { callId: call.uniqueid, baseUrl: ask, callStart: call.calldate });
    assert.ok(mapped.ok, mapped.ok ? "" : JSON.stringify(mapped.problems));
    if (!mapped.ok) return;
    const audioUrl = mapped.recordings[0]!.audioUrl;
    assert.match(audioUrl, /\/admin\/ajax\.php\?module=cdr&command=playback&file=in-2001-6175550101-20261120-141403-\d+_12-[0-9a-f]{32}\.wav$/);

    const size = wavSize(call.audio!);
    const part = await client.request(audioUrl, { headers: { Range: "bytes=0-43" } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get("content-range"), `bytes 0-43/${size}`);
    assert.equal(part.headers.get("content-type"), "audio/wav");
    assert.equal(Buffer.from(await part.arrayBuffer()).toString("ascii", 0, 4), "RIFF");
    const refused = await client.request(audioUrl, { headers: { Range: `bytes=${size}-` } });
    assert.equal(refused.status, 416);
    assert.equal(refused.headers.get("content-range"), `bytes */${size}`);
    await refused.arrayBuffer();

    const none = await client.form("/admin/ajax.php", { module: "cdr", command: "gethtml5", uid: FREEPBX_CALLS.find((c) => !c.audio)!.uniqueid });
    assert.deepEqual(await none.json(), { status: false });
  });

  test("the download is an attachment named like the recording file, as the framework sends it", async () => {
    const client = await signedInFreepbx();
    const call = FREEPBX_CALLS.find((c) => c.audio)!;
    assert.ok(freepbxProfile.recordings.kind === "template" && freepbxProfile.recordings.downloadUrl);
    const url = expandTemplate(freepbxProfile.recordings.downloadUrl!, { callId: call.uniqueid }, servers.freepbx.origin);
    const download = await client.request(url);
    assert.equal(download.status, 200);
    assert.equal(download.headers.get("content-disposition"), `attachment; filename=${call.recordingfile}`);
    assert.match(call.recordingfile, /^in-2001-6175550101-20261120-141403-\d+\.12\.wav$/);
    assert.equal(download.headers.get("content-type"), "audio/x-wav; charset=binary");
    assert.equal(Buffer.from(await download.arrayBuffer()).length, wavSize(call.audio!));
  });

  test("the related-records view is the Call Session view, with the call's own player; the dashboard is another page", async () => {
    const client = await signedInFreepbx();
    const call = FREEPBX_CALLS.find((c) => c.audio)!;
    const url = `${servers.freepbx.origin}/admin/config.php?display=cdr&action=cel_show&uid=${encodeURIComponent(call.uniqueid)}`;
    assert.equal(sessionCallIdFromUrl(freepbxProfile, url), call.uniqueid);
    const html = await client.text(url);
    assert.equal(tags(html, "div", { id: "maincdr" }).length, 1);
    assert.match(html, /Related Call Detail Records/);
    assert.ok(html.includes(`cdr_play(2,'${call.uniqueid}')`));
    assert.match(await client.text("/admin/config.php?display=dashboard"), /<h2>Dashboard<\/h2>/);
  });

  test("signing out of one product leaves the other signed in (one PHPSESSID per host)", async () => {
    const free = await signedInFreepbx();
    const fusion = new Client(servers.fusionpbx.origin);
    fusion.cookie = free.cookie;
    assert.equal((await fusion.request("/app/xml_cdr/xml_cdr.php")).status, 302, "signed in to FreePBX only");
    const both = await fusion.form("/", { username: "admin", password: "admin-pass" });
    assert.equal(both.status, 302);
    assert.equal(fusion.cookie, free.cookie, "the same session");

    assert.ok(isSignOut(freepbxProfile, `${servers.freepbx.origin}/admin/config.php?logout=true`));
    const out = await free.request("/admin/config.php?logout=true");
    assert.equal(out.status, 302);
    assert.match(await free.text("/admin/config.php?display=cdr"), /name="username"/);
    assert.equal((await fusion.request("/app/xml_cdr/xml_cdr.php")).status, 200, "still signed in to FusionPBX");
  });
});
