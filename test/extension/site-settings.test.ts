/**
 * The site settings' pure parts (issue 12, items 4 and 5): checking a setting whole, keeping a
 * saved custom profile, the options page's summaries, browser policy read item by item, and what
 * "Try on this tab" counts, with a page given as plain objects.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { builtInProfile, builtInProfiles } from "../../extension/profiles/index.js";
import { readTryMessage } from "../../extension/content/profile-try.js";
import type { RowLike, SiteProfile } from "../../src/extension/site-profile.js";
import {
  checkSiteSetting,
  checkedProfile,
  effectiveSetting,
  mergeSiteSetting,
  profileProblemPath,
  readManagedPolicy,
  siteSummaries,
  tryProfileOn,
  type TryPage,
} from "../../src/extension/site-settings.js";

const IDS = builtInProfiles().map((p) => p.id);
const SITE = "https://reports.example.com";
const reference = builtInProfile("reference")!;

const custom = {
  version: 1,
  id: "my-pbx",
  name: "My PBX",
  pages: ["/cdr/**"],
  callList: { rowSelector: "tr.call", callId: { attribute: "data-id" }, markCell: "td:first-child" },
  callSession: { path: "/cdr/call?id=*", callId: { query: "id" }, mountSelector: "#main" },
  recordings: { kind: "template", url: "/rec/{callId}.wav" },
};

describe("checking a site setting", () => {
  test("auto, a built-in profile by id, and custom with a valid profile pass", () => {
    assert.deepEqual(checkSiteSetting({ profile: "auto" }, IDS), { ok: true, setting: { profile: "auto" } });
    assert.deepEqual(checkSiteSetting({ profile: "fusionpbx", carryPageMedia: false }, IDS), { ok: true, setting: { profile: "fusionpbx", carryPageMedia: false } });
    const checked = checkSiteSetting({ profile: "custom", customProfile: JSON.stringify(custom) }, IDS);
    assert.ok(checked.ok);
    assert.equal((checked.setting.customProfile as SiteProfile).id, "my-pbx");
    assert.ok(checkSiteSetting({ profile: "custom", customProfile: custom }, IDS).ok, "an object does as well as its JSON text");
  });

  test("a broken custom profile is refused with every problem, each by its path without the root", () => {
    const broken = { ...custom, callList: { callId: { attribute: "data-id" }, markCell: "td" }, timeZone: "Mars/Olympus" };
    const checked = checkSiteSetting({ profile: "custom", customProfile: JSON.stringify(broken) }, IDS);
    assert.ok(!checked.ok);
    const lines = checked.problems.map((p) => `${p.path}: ${p.message}`);
    assert.ok(lines.includes("callList.rowSelector: is required"), lines.join("\n"));
    assert.ok(lines.some((l) => l.startsWith("timeZone: is not an IANA time zone")), lines.join("\n"));
  });

  test("JSON that does not parse, an unknown profile, a missing custom profile and stray keys are refused", () => {
    const syntax = checkSiteSetting({ profile: "custom", customProfile: "{ not json" }, IDS);
    assert.ok(!syntax.ok && syntax.problems[0]!.path === "profile" && /not valid JSON/.test(syntax.problems[0]!.message));
    const unknown = checkSiteSetting({ profile: "nope" }, IDS);
    assert.ok(!unknown.ok && unknown.problems[0]!.path === "profile");
    const missing = checkSiteSetting({ profile: "custom" }, IDS);
    assert.ok(!missing.ok && missing.problems[0]!.path === "customProfile");
    const stray = checkSiteSetting({ profile: "auto", carryPageMedia: "yes", extra: 1 }, IDS);
    assert.ok(!stray.ok);
    assert.deepEqual(stray.problems.map((p) => p.path).sort(), ["carryPageMedia", "extra"]);
    assert.equal(profileProblemPath("profile.callList.rowSelector"), "callList.rowSelector");
    assert.equal(profileProblemPath("profile"), "profile");
  });

  test("choosing a built-in profile keeps the custom profile saved before", () => {
    const previous = { profile: "custom", customProfile: custom };
    assert.deepEqual(mergeSiteSetting(previous, { profile: "reference" }), { profile: "reference", customProfile: custom });
    assert.deepEqual(mergeSiteSetting(undefined, { profile: "auto" }), { profile: "auto" });
    const other = { ...custom, id: "other" };
    assert.deepEqual(mergeSiteSetting(previous, { profile: "custom", customProfile: other }), { profile: "custom", customProfile: other });
  });
});

describe("the options page's summaries", () => {
  test("policy over the user's setting, the default for a site nobody set, and the saved custom profile shown whatever is chosen", () => {
    const local = { [SITE]: { profile: "reference", customProfile: custom, carryPageMedia: false }, "https://b.example": { profile: "custom", customProfile: custom } };
    const managed = { "https://b.example": { profile: "freepbx" } };
    const s = siteSummaries([SITE, "https://b.example", "https://c.example"], local, managed);
    assert.equal(s[SITE]!.profile, "reference");
    assert.equal(s[SITE]!.carryPageMedia, false);
    assert.equal(s[SITE]!.customProfile, null, "the effective custom profile only when custom is chosen");
    assert.equal(s[SITE]!.savedCustomProfile?.id, "my-pbx");
    assert.equal(s[SITE]!.managed, false);
    assert.equal(s["https://b.example"]!.profile, "freepbx");
    assert.equal(s["https://b.example"]!.managed, true);
    assert.equal(s["https://b.example"]!.savedCustomProfile, null, "policy's setting names no custom profile");
    assert.deepEqual(s["https://c.example"], { profile: "auto", customProfile: null, carryPageMedia: true, managed: false, savedCustomProfile: null });
    assert.deepEqual(effectiveSetting(SITE, local, managed, checkedProfile), { profile: "reference", customProfile: null, carryPageMedia: false, managed: false });
  });
});

describe("browser policy", () => {
  test("origins and sites are read item by item; what is wrong is left out and said", () => {
    const { policy, problems } = readManagedPolicy(
      {
        origins: [SITE, "https://reports.example.com/path", "ftp://x.example", 7, SITE],
        sites: {
          [SITE]: { profile: "custom", customProfile: JSON.stringify(custom), carryPageMedia: false },
          "https://b.example": { profile: "custom", customProfile: JSON.stringify({ ...custom, callList: { callId: { attribute: "data-id" }, markCell: "td" } }) },
          "not an origin": { profile: "auto" },
          "https://c.example": { profile: "fusionpbx" },
        },
      },
      IDS,
    );
    assert.deepEqual(policy.origins, [SITE]);
    assert.deepEqual(Object.keys(policy.sites).sort(), ["https://c.example", SITE]);
    assert.equal((policy.sites[SITE]!.customProfile as SiteProfile).id, "my-pbx");
    assert.ok(problems.includes('sites["https://b.example"].callList.rowSelector: is required'), problems.join("\n"));
    assert.ok(problems.includes("origins[1]: must be an http(s) origin, like \"https://reports.example.com\""), problems.join("\n"));
    assert.equal(problems.filter((p) => p.startsWith("origins[")).length, 3);
    assert.ok(problems.includes('sites["not an origin"]: is not an http(s) origin'));
  });

  test("no policy, or a policy of the wrong kind, is an empty one", () => {
    assert.deepEqual(readManagedPolicy(undefined, IDS), { policy: { origins: [], sites: {} }, problems: [] });
    assert.deepEqual(readManagedPolicy({}, IDS).policy, { origins: [], sites: {} });
    const wrong = readManagedPolicy({ origins: SITE, sites: [] }, IDS);
    assert.deepEqual(wrong.policy, { origins: [], sites: {} });
    assert.equal(wrong.problems.length, 2);
  });
});

describe("trying a profile on a page", () => {
  const row = (attrs: Record<string, string>, links: Record<string, string> = {}): RowLike => ({
    getAttribute: (name) => attrs[name] ?? null,
    querySelector: (selector) => (selector in links ? { getAttribute: (n: string) => (n === "href" ? links[selector]! : null), textContent: "" } : null),
  });
  const page = (url: string, elements: Record<string, RowLike[]>, media = 0, hrefs: string[] = []): TryPage => ({
    url,
    all: (selector) => {
      if (selector.includes("!!")) throw new SyntaxError("not a selector");
      return elements[selector] ?? [];
    },
    mediaCount: () => media,
    hrefs: () => hrefs,
  });

  test("a Call List: its rows, their distinct call ids, the page's media and recording links", () => {
    const rows = [row({ "data-call-id": "c-1" }), row({ "data-call-id": "c-2" }), row({ "data-call-id": "c-1" }), row({})];
    const result = tryProfileOn(reference, page("http://127.0.0.1:8787/reports/call-list?hasRecording=true", { "tr[data-call-id]": rows }, 2, ["/rec/a.wav", "/reports/x", "https://x.example/f.mp3?x=1", "ajax.php?file=out-1.wav"]));
    assert.deepEqual(result, {
      profile: { id: "reference", name: reference.name },
      page: "/reports/call-list?hasRecording=true",
      coversPage: true,
      rows: 4,
      callIds: 2,
      media: 2,
      recordingLinks: 3,
      sessionView: false,
      sessionCallId: null,
      problems: [],
    });
  });

  test("a Call Session view: its call id, from the element or from the address", () => {
    const session = tryProfileOn(reference, page("http://127.0.0.1:8787/reports/call-session?call=c-9", { "#call-session[data-call-id]": [row({ "data-call-id": "c-9" })] }));
    assert.equal(session.sessionView, true);
    assert.equal(session.sessionCallId, "c-9");
    const mine = checkSiteSetting({ profile: "custom", customProfile: custom }, IDS);
    assert.ok(mine.ok);
    const byQuery = tryProfileOn(mine.setting.customProfile as SiteProfile, page(`${SITE}/cdr/call?id=42`, {}));
    assert.deepEqual([byQuery.sessionView, byQuery.sessionCallId, byQuery.coversPage], [true, "42", true]);
    const elsewhere = tryProfileOn(mine.setting.customProfile as SiteProfile, page(`${SITE}/other`, {}));
    assert.deepEqual([elsewhere.sessionView, elsewhere.coversPage, elsewhere.rows], [false, false, 0]);
  });

  test("a row link's href through a pattern, a selector the browser refuses, and no profile at all", () => {
    const linked: SiteProfile = { ...reference, callList: { rowSelector: "tr", callId: { linkSelector: "a.d", hrefPattern: "id=(\\w+)" }, markCell: "td" } };
    const result = tryProfileOn(linked, page(`${SITE}/reports/x`, { tr: [row({}, { "a.d": "details.php?id=abc" }), row({}, { "a.d": "details.php?id=def" }), row({})] }));
    assert.deepEqual([result.rows, result.callIds], [3, 2]);
    const refused = tryProfileOn({ ...reference, callList: { ...reference.callList!, rowSelector: "tr!!" } }, page(`${SITE}/reports/x`, {}));
    assert.deepEqual(refused.problems, ["callList.rowSelector: the browser refuses this selector"]);
    const none = tryProfileOn(null, page(`${SITE}/x`, {}, 1));
    assert.deepEqual([none.profile, none.rows, none.media, none.coversPage], [null, 0, 1, false]);
  });

  test("the content script reads only well-formed tries", () => {
    assert.deepEqual(readTryMessage({ type: "profile/try", profile: "auto" }), { auto: true });
    assert.deepEqual(readTryMessage({ type: "profile/try", profile: "current" }), { current: true });
    assert.equal((readTryMessage({ type: "profile/try", profile: reference }) as { profile: SiteProfile }).profile.id, "reference");
    assert.equal(readTryMessage({ type: "profile/try", profile: { ...reference, version: 2 } }), null);
    assert.equal(readTryMessage({ type: "profile/try", profile: "auto", extra: 1 }), null);
    assert.equal(readTryMessage({ type: "player/play" }), null);
    assert.equal(readTryMessage("profile/try"), null);
  });
});

describe("the policy schema", () => {
  test("Chrome's manifest names it, a top-level object of the policies origins and sites; Firefox's takes none", async () => {
    const { readFileSync } = await import("node:fs");
    const { chromeManifest, firefoxManifest, MANAGED_SCHEMA } = await import("../../extension/manifest.js");
    assert.deepEqual(chromeManifest("1.0.0").storage, { managed_schema: MANAGED_SCHEMA });
    assert.ok(!("storage" in firefoxManifest("1.0.0")));
    const schema = JSON.parse(readFileSync(MANAGED_SCHEMA, "utf8")) as { type: string; additionalProperties?: unknown; properties: Record<string, { type: string }> };
    assert.equal(schema.type, "object");
    assert.equal(schema.additionalProperties, undefined, "Chrome refuses additionalProperties at the top");
    assert.deepEqual(Object.keys(schema.properties), ["origins", "sites"]);
    // The example policies (extension/policies/) pass the extension's own reading.
    for (const file of ["extension/policies/chromium-managed-policy.json", "extension/policies/firefox-policies.json"]) {
      const json = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
      const third = (json["3rdparty"] ?? (json.policies as Record<string, unknown>)["3rdparty"]) as Record<string, Record<string, unknown>>;
      const settings = Object.values(third.extensions ?? third.Extensions ?? {})[0];
      const read = readManagedPolicy(settings, IDS);
      assert.deepEqual(read.problems, [], file);
      assert.ok(read.policy.origins.length > 0 && Object.keys(read.policy.sites).length > 0, file);
    }
  });
});
