import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { formatProblems } from "../../src/rules/dataset.js";
import { parseCallPayload } from "../../src/calls/call-payload.js";
import {
  fileNameFromUrl,
  rowCallId,
  rowName,
  sessionUrlFromPath,
  type RowLike,
  callIdFromHref,
  callIdFromValue,
  coversPage,
  detects,
  expandTemplate,
  isSignOut,
  mapAnswer,
  matchesPagePattern,
  parseSiteProfile,
  parseSiteProfileJson,
  sessionCallIdFromUrl,
  valueAt,
  type SiteProfile,
} from "../../src/extension/site-profile.js";
import { builtInProfile, builtInProfiles } from "../../extension/profiles/index.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- the tests break profiles on purpose */

const BUILT_IN = ["reference", "fusionpbx", "freepbx"] as const;

function builtIn(id: (typeof BUILT_IN)[number]): any {
  return JSON.parse(readFileSync(new URL(`../../extension/profiles/${id}.json`, import.meta.url), "utf8"));
}

function parsed(id: (typeof BUILT_IN)[number]): SiteProfile {
  const result = parseSiteProfile(builtIn(id));
  assert.ok(result.ok, result.ok ? "" : formatProblems(result.problems));
  return result.profile;
}

/** A small valid custom profile, for a made-up interface. */
function custom(): any {
  return {
    version: 1,
    id: "acme-cdr",
    name: "Acme CDR",
    pages: ["/cdr/**"],
    callList: { rowSelector: "table#calls > tbody > tr", callId: { attribute: "data-uid" }, markCell: "td.when" },
    recordings: { kind: "template", url: "/cdr/audio/{callId}.wav" },
  };
}

/** The problems of a custom profile changed by `change`, as `path: message` lines. */
function problemsWith(change: (p: any) => void): string[] {
  const p = custom();
  change(p);
  const result = parseSiteProfile(p);
  assert.equal(result.ok, false, "the broken profile was accepted");
  return result.ok ? [] : result.problems.map((x) => `${x.path}: ${x.message}`);
}

describe("site profiles: the built-in ones", () => {
  for (const id of BUILT_IN) {
    test(`${id}.json is a valid profile with its id, a detect block and a sign-out URL`, () => {
      const profile = parsed(id);
      assert.equal(profile.id, id);
      assert.equal(profile.version, 1);
      assert.ok(profile.detect, "built-in profiles are recognized by path and markup");
      assert.ok((profile.signOut ?? []).length > 0);
      assert.ok(profile.callList);
    });
  }

  test("the extension's list of built-in profiles is the three files, each exactly as the validator reads it", () => {
    assert.deepEqual(builtInProfiles().map((p) => p.id), ["reference", "fusionpbx", "freepbx"]);
    // The content script takes them unchecked: what it reads must be what the validator returns.
    for (const profile of builtInProfiles()) assert.deepEqual(profile, parsed(profile.id as (typeof BUILT_IN)[number]));
    assert.equal(builtInProfile("nope"), undefined);
  });

  test("a valid custom profile passes, and optional keys stay absent", () => {
    const result = parseSiteProfile(custom());
    assert.ok(result.ok);
    assert.deepEqual(Object.keys(result.profile).sort(), ["callList", "id", "name", "pages", "recordings", "version"]);
  });

  test("the JSON text of a profile is parsed, and a syntax error is a problem of the whole profile", () => {
    assert.ok(parseSiteProfileJson(JSON.stringify(custom())).ok);
    const broken = parseSiteProfileJson("{ \"version\": 1,");
    assert.equal(broken.ok, false);
    assert.equal(broken.ok ? "" : broken.problems[0]!.path, "profile");
    assert.match(broken.ok ? "" : broken.problems[0]!.message, /^is not valid JSON/);
  });
});

describe("site profiles: every problem named by its path", () => {
  test("version: absent, another number, or not a number", () => {
    assert.deepEqual(problemsWith((p) => delete p.version), ["profile.version: is required (this extension reads version 1)"]);
    // Another version says only that: its other keys may mean anything.
    assert.deepEqual(
      problemsWith((p) => {
        p.version = 2;
        p.newKey = true;
      }),
      ["profile.version: this extension reads version 1 profiles; this one is version 2"],
    );
    assert.deepEqual(problemsWith((p) => (p.version = "1")), ["profile.version: this extension reads version 1 profiles; this one is a version of a string"]);
  });

  test("not an object at all", () => {
    for (const value of [undefined, null, [], "profile", 3]) {
      const result = parseSiteProfile(value);
      assert.equal(result.ok, false);
      assert.equal(result.ok ? "" : result.problems[0]!.path, "profile");
    }
  });

  test("required keys, unknown keys and wrong types", () => {
    assert.deepEqual(
      problemsWith((p) => {
        delete p.id;
        delete p.recordings;
        p.colour = "blue";
        p.name = 7;
      }),
      [
        "profile.colour: unknown key; expected one of version, id, name, pages, detect, callList, callSession, recordings, recordingOrigins, timeZone, timeFormat, signOut",
        "profile.id: is required",
        "profile.name: expected a string, got number",
        "profile.recordings: is required",
      ],
    );
  });

  test("every broken part reported at once, nothing half accepted", () => {
    const lines = problemsWith((p) => {
      p.id = "Acme CDR";
      p.pages = ["cdr", "/ok", "/x?"];
      p.callList.rowSelector = "tr[data-uid";
      p.callList.markCell = "";
      p.callList.nameFields = ["td.a", "td.b)"];
      p.timeZone = "Mars/Olympus";
      p.timeFormat = "24-hour";
      p.signOut = "/logout";
      p.recordingOrigins = ["https://rec.example.com/path", "ftp://x.example.com"];
    });
    assert.deepEqual(lines, [
      'profile.id: must be lower-case letters, digits and dashes, like "my-pbx"',
      'profile.pages[0]: must start with "/" (a path, with optional ?query conditions), like "/reports/call-list"',
      'profile.pages[2]: has an empty query after "?"',
      'profile.callList.rowSelector: is not a CSS selector (an unclosed "[")',
      "profile.callList.markCell: must not be empty",
      'profile.callList.nameFields[1]: is not a CSS selector (an unmatched ")")',
      'profile.recordingOrigins[0]: must be an origin alone (scheme, host and port), like "https://rec.example.com"',
      "profile.recordingOrigins[1]: must be an http or https origin",
      'profile.timeZone: is not an IANA time zone, like "Europe/London" (got "Mars/Olympus")',
      "profile.timeFormat: expected one of 24h, 12h",
      "profile.signOut: expected an array, got string",
    ]);
  });

  test("call id sources: an attribute or a link, each with a pattern that has a capture group", () => {
    assert.deepEqual(problemsWith((p) => (p.callList.callId = {})), [
      'profile.callList.callId: needs "attribute" (with an optional "pattern") or "linkSelector" and "hrefPattern"',
    ]);
    assert.deepEqual(problemsWith((p) => (p.callList.callId = { linkSelector: "a.details" })), ["profile.callList.callId.hrefPattern: is required"]);
    assert.deepEqual(problemsWith((p) => (p.callList.callId = { linkSelector: "a", hrefPattern: "id=\\d+" })), [
      'profile.callList.callId.hrefPattern: must have a capture group for the call id, like "[?&]id=([0-9a-f-]+)"',
    ]);
    const [unclosed] = problemsWith((p) => (p.callList.callId = { attribute: "href", pattern: "id=(\\d+" }));
    assert.match(unclosed!, /^profile\.callList\.callId\.pattern: is not a regular expression \(/);
    assert.deepEqual(problemsWith((p) => (p.callList.callId = { attribute: "data uid" })), ["profile.callList.callId.attribute: is not an attribute name"]);
    // A pattern that could take exponential time on an unlucky href is refused.
    assert.deepEqual(problemsWith((p) => (p.callList.callId = { linkSelector: "a", hrefPattern: "id=((\\w+)+)$" })), [
      "profile.callList.callId.hrefPattern: must not repeat a group that itself repeats, like (a+)+: it can take forever on some links",
    ]);
    assert.deepEqual(problemsWith((p) => (p.callList.callId = { attribute: "href", hrefPattern: "x(y)" })), [
      "profile.callList.callId.hrefPattern: unknown key; expected one of attribute, pattern",
    ]);
  });

  test("the Call Session view: path, call id and mount point", () => {
    assert.deepEqual(
      problemsWith((p) => (p.callSession = { path: "details?id=*", callId: { query: "" } })),
      [
        'profile.callSession.path: must start with "/" (a path, with optional ?query conditions), like "/reports/call-list"',
        "profile.callSession.callId.query: must not be empty",
        "profile.callSession.mountSelector: is required",
      ],
    );
    assert.deepEqual(
      problemsWith((p) => (p.callSession = { path: "/cdr/view", callId: { attribute: "data-id" }, mountSelector: "main" })),
      ['profile.callSession.callId: needs "query" (a parameter of the page\'s URL) or "selector" and "attribute"'],
    );
  });

  test("recording sources: each kind's keys, templates' placeholders, answers' field paths", () => {
    assert.deepEqual(problemsWith((p) => (p.recordings = { kind: "ftp" })), ["profile.recordings.kind: expected one of page-media, api, template"]);
    assert.deepEqual(problemsWith((p) => (p.recordings = { kind: "page-media", url: "/x" })), [
      "profile.recordings.url: unknown key; expected one of kind",
    ]);
    assert.deepEqual(problemsWith((p) => (p.recordings = { kind: "api" })), ["profile.recordings.base: is required"]);
    assert.deepEqual(problemsWith((p) => (p.recordings = { kind: "api", base: "/api/{callId}" })), ["profile.recordings.base: takes no placeholders, got {callId}"]);
    assert.deepEqual(
      problemsWith((p) => (p.recordings = { kind: "template", url: "javascript:alert({callId})", downloadUrl: "/d/{call}", body: "uid={callId}" })),
      [
        "profile.recordings.url: must be an http or https URL",
        "profile.recordings.downloadUrl: has an unknown placeholder {call}; expected {callId} or {recordingId}",
        'profile.recordings.body: is only sent with "method": "POST"',
      ],
    );
    assert.deepEqual(
      problemsWith((p) => (p.recordings = { kind: "template", url: "//evil.example/{callId}", method: "PUT", answer: { list: "items[", fields: { url: "a", start: "" } } })),
      [
        'profile.recordings.url: must be a path ("/…") or an http(s) URL, not a scheme-relative one',
        "profile.recordings.method: expected one of GET, POST",
        'profile.recordings.answer.list: is not a field path, like "files.wav" or "recordings[0].url"',
        "profile.recordings.answer.fields.url: unknown key; expected one of id, audioUrl, downloadUrl, start, end, durationSeconds, contentType, segment",
        "profile.recordings.answer.fields.audioUrl: is required",
        "profile.recordings.answer.fields.start: must not be empty",
      ],
    );
  });

  test("a selector check from the browser can replace the check of the selector's form", () => {
    const p = custom();
    p.callList.rowSelector = "tr:has-no-such-pseudo";
    assert.ok(parseSiteProfile(p).ok);
    const result = parseSiteProfile(p, { selectorIsValid: (s) => !s.includes("has-no-such") });
    assert.deepEqual(result.ok ? [] : result.problems, [{ path: "profile.callList.rowSelector", message: "is not a valid CSS selector" }]);
  });
});

describe("site profiles: page patterns", () => {
  test("paths: * within a segment, ** across, the whole path", () => {
    assert.ok(matchesPagePattern("/app/xml_cdr/xml_cdr.php", "http://pbx.example/app/xml_cdr/xml_cdr.php"));
    assert.ok(!matchesPagePattern("/app/xml_cdr/xml_cdr.php", "http://pbx.example/app/xml_cdr/xml_cdr.php.bak"));
    assert.ok(matchesPagePattern("/app/*/xml_cdr.php", "/app/xml_cdr/xml_cdr.php"));
    assert.ok(!matchesPagePattern("/app/*", "/app/xml_cdr/xml_cdr.php"));
    assert.ok(matchesPagePattern("/app/**", "/app/xml_cdr/xml_cdr.php?show=all"));
    assert.ok(!matchesPagePattern("/app/**", "/application"));
    assert.ok(matchesPagePattern("/core/**", "/core/dashboard/"));
  });

  test("queries: a value, any non-empty value, presence; other parameters allowed in any order", () => {
    assert.ok(matchesPagePattern("/admin/config.php?display=cdr", "/admin/config.php?foo=1&display=cdr"));
    assert.ok(!matchesPagePattern("/admin/config.php?display=cdr", "/admin/config.php?display=dashboard"));
    assert.ok(!matchesPagePattern("/admin/config.php?display=cdr", "/admin/config.php"));
    assert.ok(matchesPagePattern("/x?id=*", "/x?id=abc"));
    assert.ok(!matchesPagePattern("/x?id=*", "/x?id="));
    assert.ok(matchesPagePattern("/x?debug", "/x?debug"));
    assert.ok(matchesPagePattern("/admin/config.php?logout=true", "http://pbx.example/admin/config.php?logout=true"));
  });

  test("the built-in profiles cover their fixtures' pages and recognize them by path and markup", () => {
    const fusion = parsed("fusionpbx");
    const free = parsed("freepbx");
    const reference = parsed("reference");
    for (const url of ["/app/xml_cdr/xml_cdr.php", "/app/xml_cdr/xml_cdr_details.php?id=0e1f6a43-93c2-4d7b-8f3e-2a1b0c9d8e7f", "/core/dashboard/"]) {
      assert.ok(coversPage(fusion, `http://127.0.0.1:8790${url}`), url);
    }
    assert.ok(!coversPage(fusion, "http://127.0.0.1:8790/"), "the login page is not a reporting page");
    for (const url of ["/admin/config.php?display=cdr", "/admin/config.php?display=dashboard", "/admin/config.php"]) {
      assert.ok(coversPage(free, url), url);
    }
    assert.ok(coversPage(reference, "/reports/call-list?hasRecording=1"));

    const yes = () => true;
    assert.ok(detects(fusion, "/app/xml_cdr/xml_cdr.php", yes));
    assert.ok(!detects(fusion, "/app/xml_cdr/xml_cdr.php", () => false), "the markup must be there too");
    assert.ok(!detects(fusion, "/admin/config.php?display=cdr", yes));
    assert.ok(detects(free, "/admin/config.php?display=cdr", yes));
    assert.ok(!detects(free, "/admin/config.php?display=dashboard", yes));
    assert.ok(detects(reference, "/reports/call-list", yes));

    assert.ok(isSignOut(fusion, "http://127.0.0.1:8790/logout.php"));
    assert.ok(isSignOut(free, "/admin/config.php?logout=true"));
    assert.ok(!isSignOut(free, "/admin/config.php?display=cdr"));
    assert.ok(isSignOut(reference, "/logout"));
  });

  test("the Call Session view's call id from its URL", () => {
    const id = "0e1f6a43-93c2-4d7b-8f3e-2a1b0c9d8e7f";
    assert.equal(sessionCallIdFromUrl(parsed("fusionpbx"), `http://pbx.example/app/xml_cdr/xml_cdr_details.php?id=${id}`), id);
    assert.equal(sessionCallIdFromUrl(parsed("fusionpbx"), "http://pbx.example/app/xml_cdr/xml_cdr.php?id=x"), null);
    assert.equal(sessionCallIdFromUrl(parsed("freepbx"), "/admin/config.php?display=cdr&action=cel_show&uid=1763630043.12"), "1763630043.12");
    // The reference view names its call in the markup, not (only) the URL.
    assert.equal(sessionCallIdFromUrl(parsed("reference"), "/reports/call-session?call=c-1001"), null);
  });
});

describe("site profiles: call ids, templates and answers", () => {
  test("call ids from attributes and hrefs, with the built-in patterns", () => {
    const fusion = parsed("fusionpbx").callList!.callId;
    assert.ok("attribute" in fusion);
    const uuid = "0e1f6a43-93c2-4d7b-8f3e-2a1b0c9d8e7f";
    assert.equal(callIdFromValue(`xml_cdr_details.php?id=${uuid}&show=all`, fusion.pattern), uuid);
    assert.equal(callIdFromValue("xml_cdr_details.php?id=not-a-uuid", fusion.pattern), null);
    const free = parsed("freepbx").callList!.callId;
    assert.ok("hrefPattern" in free);
    assert.equal(callIdFromHref("/admin/config.php?display=cdr&action=download_audio&cdr_file=1763630043.12", free.hrefPattern), "1763630043.12");
    assert.equal(callIdFromHref("/admin/config.php?display=cdr&action=download_audio&cdr_file=a%20b", free.hrefPattern), "a b");
    assert.equal(callIdFromHref(null, free.hrefPattern), null);
    assert.equal(callIdFromValue(" c-1001 "), "c-1001");
    assert.equal(callIdFromValue(""), null);
  });

  test("URL templates: values percent-encoded, resolved against the page", () => {
    const fusion = parsed("fusionpbx").recordings;
    assert.equal(fusion.kind, "template");
    if (fusion.kind !== "template") return;
    assert.equal(
      expandTemplate(fusion.url, { callId: "0e1f6a43-93c2-4d7b-8f3e-2a1b0c9d8e7f" }, "http://127.0.0.1:8790/app/xml_cdr/xml_cdr.php"),
      "http://127.0.0.1:8790/app/xml_cdr/download.php?id=0e1f6a43-93c2-4d7b-8f3e-2a1b0c9d8e7f&t=record",
    );
    assert.equal(expandTemplate("/a/{callId}?r={recordingId}", { callId: "x/y&z", recordingId: "1" }), "/a/x%2Fy%26z?r=1");
    assert.throws(() => expandTemplate("/a/{recordingId}", { callId: "x" }), /needs \{recordingId\}/);
  });

  test("an answer's fields mapped to the player's recording fields, ready for the payload check", () => {
    const free = parsed("freepbx").recordings;
    assert.ok(free.kind === "template" && free.answer);
    if (free.kind !== "template" || !free.answer) return;
    const answer = { status: true, files: { wav: "ajax.php?module=cdr&command=playback&file=in-2001-x.wav" } };
    const mapped = mapAnswer(answer, free.answer, { callId: "1763630043.12", baseUrl: "http://127.0.0.1:8791/admin/ajax.php", callStart: "2026-11-20T09:14:03Z" });
    assert.ok(mapped.ok);
    if (!mapped.ok) return;
    assert.deepEqual(mapped.recordings, [
      { id: "1763630043.12", start: "2026-11-20T09:14:03Z", audioUrl: "http://127.0.0.1:8791/admin/ajax.php?module=cdr&command=playback&file=in-2001-x.wav" },
    ]);
    // Lengthless: the payload check wants a duration or an end, which the player learns from the audio otherwise.
    const call = parseCallPayload({ id: "1763630043.12", start: "2026-11-20T09:14:03Z", recordings: mapped.recordings.map((r) => ({ ...r, durationSeconds: 120 })) });
    assert.equal(call.recordings[0]!.audioUrl, "http://127.0.0.1:8791/admin/ajax.php?module=cdr&command=playback&file=in-2001-x.wav");
  });

  test("a list of recordings, with every problem named by its path in the answer", () => {
    const mapping = { list: "data.items", fields: { id: "rid", audioUrl: "media.url", durationSeconds: "secs", segment: "leg" } };
    const ok = mapAnswer({ data: { items: [{ rid: 7, media: { url: "/a/7.wav" }, secs: 12.5, leg: 0 }, { rid: "8", media: { url: "https://rec.example/8.wav" } }] } }, mapping, {
      callId: "c",
      baseUrl: "http://pbx.example/api/x",
    });
    assert.ok(ok.ok);
    assert.deepEqual(ok.ok ? ok.recordings.map((r) => [r.id, r.audioUrl, r.durationSeconds, r.segment]) : [], [
      ["7", "http://pbx.example/a/7.wav", 12.5, 0],
      ["8", "https://rec.example/8.wav", undefined, undefined],
    ]);
    const bad = mapAnswer({ data: { items: [{ media: {} }, { media: { url: "javascript:x" }, secs: -1, leg: 1.5 }] } }, mapping, { callId: "c", baseUrl: "http://pbx.example/" });
    assert.deepEqual(bad.ok ? [] : bad.problems.map((p) => `${p.path}: ${p.message}`), [
      "answer.data.items[0].media.url: is required (the recording's audio)",
      "answer.data.items[1].media.url: must be an http or https URL",
      "answer.data.items[1].secs: must be from 0 to 604800",
      "answer.data.items[1].leg: must be a whole number",
    ]);
    const notList = mapAnswer({ data: {} }, mapping, { callId: "c", baseUrl: "http://pbx.example/" });
    assert.deepEqual(notList.ok ? [] : notList.problems, [{ path: "answer.data.items", message: "expected an array of recordings, got nothing" }]);
  });

  test("field paths read objects and arrays, and nothing from prototypes", () => {
    assert.equal(valueAt({ a: [{ b: 1 }] }, "a[0].b"), 1);
    assert.equal(valueAt({ a: {} }, "a.toString"), undefined);
    assert.equal(valueAt({ a: [1] }, "a.length"), undefined);
    assert.equal(valueAt(null, "a"), undefined);
  });
});

describe("site profiles: never half applied, never a crash", () => {
  /** Every path to a value in a JSON value, with the value. */
  function leaves(value: unknown, path: (string | number)[] = []): { path: (string | number)[]; value: unknown }[] {
    if (value !== null && typeof value === "object") {
      const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
      return [{ path, value }, ...entries.flatMap(([k, v]) => leaves(v, [...path, k]))];
    }
    return [{ path, value }];
  }

  function withValue(root: any, path: (string | number)[], value: unknown): any {
    const copy = structuredClone(root);
    if (path.length === 0) return value;
    let at = copy;
    for (const key of path.slice(0, -1)) at = at[key];
    if (value === undefined) {
      if (Array.isArray(at)) at.splice(path.at(-1) as number, 1);
      else delete at[path.at(-1)!];
    } else at[path.at(-1)!] = value;
    return copy;
  }

  const REPLACEMENTS: unknown[] = [undefined, null, 0, -1, 1.5, "", " ", "x".repeat(5000), "((", "{callId}", true, [], [null], {}, { kind: "api" }, "/**", "\u202e"];

  for (const id of BUILT_IN) {
    test(`${id}.json with any one value removed or replaced: a profile or named problems, never an exception`, () => {
      const original = builtIn(id);
      let refused = 0;
      for (const leaf of leaves(original)) {
        for (const replacement of REPLACEMENTS) {
          const broken = withValue(original, leaf.path, replacement);
          let result;
          assert.doesNotThrow(() => (result = parseSiteProfile(broken)), `${leaf.path.join(".")} = ${JSON.stringify(replacement)}`);
          const r = result as unknown as ReturnType<typeof parseSiteProfile>;
          if (r.ok) {
            // What is accepted is whole: it parses again to itself.
            const again = parseSiteProfile(JSON.parse(JSON.stringify(r.profile)));
            assert.ok(again.ok);
            assert.deepEqual(again.profile, r.profile);
          } else {
            refused++;
            assert.ok(r.problems.length > 0);
            for (const p of r.problems) {
              assert.match(p.path, /^profile(\.|\[|$)/, JSON.stringify(p));
              assert.ok(p.message.length > 0 && p.message.length < 400, JSON.stringify(p));
            }
          }
        }
      }
      assert.ok(refused > 50, `only ${refused} broken variants were refused`);
    });
  }
});

describe("reading a page with a profile: rows, names, Call Session addresses, file names", () => {
  /** A row as the DOM gives it, from a map of attributes and of selector → (href, text). */
  const row = (attributes: Record<string, string>, inside: Record<string, { href?: string; text?: string }>): RowLike => ({
    getAttribute: (name) => attributes[name] ?? null,
    querySelector: (selector) => {
      const found = inside[selector];
      return found ? { getAttribute: (name: string) => (name === "href" ? (found.href ?? null) : null), textContent: found.text ?? null } : null;
    },
  });

  test("a row's call id comes from an attribute, through a pattern, or from a link's href", () => {
    assert.equal(rowCallId(row({ "data-id": "42" }, {}), { attribute: "data-id" }), "42");
    assert.equal(rowCallId(row({ href: "xml_cdr_details.php?id=ab-1" }, {}), { attribute: "href", pattern: "[?&]id=([^&]+)" }), "ab-1");
    assert.equal(rowCallId(row({}, { "a.dl": { href: "config.php?cdr_file=1700000000.5&x=1" } }), { linkSelector: "a.dl", hrefPattern: "[?&]cdr_file=([^&#]+)" }), "1700000000.5");
    assert.equal(rowCallId(row({}, {}), { linkSelector: "a.dl", hrefPattern: "cdr_file=(.+)" }), null, "a row without the link has no call");
  });

  test("a row's name joins its fields' text, white space collapsed, and skips the empty ones", () => {
    const r = row({}, { ".caller": { text: "  Alice\n  Smith " }, ".empty": { text: "   " }, ".number": { text: "+44 20" } });
    assert.equal(rowName(r, [".caller", ".empty", ".missing", ".number"]), "Alice Smith · +44 20");
    assert.equal(rowName(r, [".caller"], 5), "Alice");
  });

  test("a Call Session address is the profile's path with the call id, only when the path has one simple *", () => {
    assert.equal(sessionUrlFromPath("/app/xml_cdr/xml_cdr_details.php?id=*", "a b/c", "http://pbx:8790"), "http://pbx:8790/app/xml_cdr/xml_cdr_details.php?id=a%20b%2Fc");
    assert.equal(sessionUrlFromPath("/reports/**", "1", "http://x"), null);
    assert.equal(sessionUrlFromPath("/a/*/b/*", "1", "http://x"), null);
    assert.equal(sessionUrlFromPath(undefined, "1", "http://x"), null);
  });

  test("a recording is named by its file, or by the parameter of a script's address that holds one", () => {
    assert.equal(fileNameFromUrl("http://pbx/rec/2024/out%20200.wav?sig=1"), "out 200.wav");
    assert.equal(fileNameFromUrl("http://pbx/admin/ajax.php?module=cdr&command=playback&file=2024%2F05%2Fout-200-1.wav"), "out-200-1.wav");
    assert.equal(fileNameFromUrl("http://pbx/app/xml_cdr/download.php?id=1&t=record"), "download.php");
    assert.equal(fileNameFromUrl("not a url"), "");
  });
});
