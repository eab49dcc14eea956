/**
 * What the extension may do is this test's to guard: adding a permission, a host, or a way
 * for pages to reach the extension means changing the expectations here, deliberately.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { chromeManifest, COMMANDS, firefoxManifest } from "../../extension/manifest.js";

const chrome = chromeManifest("1.2.3");
const firefox = firefoxManifest("1.2.3");

describe("the manifest's permissions", () => {
  test("Chrome: storage, scripting, downloads and offscreen, nothing else", () => {
    assert.deepEqual([...chrome.permissions].sort(), ["downloads", "offscreen", "scripting", "storage"]);
  });

  test("Firefox: the same without offscreen (its background page plays the audio)", () => {
    assert.deepEqual([...firefox.permissions].sort(), ["downloads", "scripting", "storage"]);
  });

  test("host access is the loopback hosts only, granted at install; other sites are optional, asked for at run time", () => {
    for (const m of [chrome, firefox]) {
      assert.deepEqual(m.host_permissions, ["http://127.0.0.1/*", "http://localhost/*"]);
      assert.deepEqual(m.optional_host_permissions, ["https://*/*", "http://*/*"]);
      const everything = JSON.stringify(m);
      assert.ok(!everything.includes("<all_urls>"));
      assert.ok(!everything.includes("*://*/*"));
    }
  });

  test("pages cannot reach the extension: nothing web accessible, not externally connectable, no remote code", () => {
    for (const m of [chrome, firefox]) {
      assert.equal("web_accessible_resources" in m, false);
      assert.equal("externally_connectable" in m, false);
      assert.equal("content_security_policy" in m, false, "the browsers' default policy: no remote or eval'd code");
    }
  });

  test("content scripts: the page's world and the isolated one, at document_start, on the reference server's pages but not its API", () => {
    for (const m of [chrome, firefox]) {
      assert.equal(m.content_scripts.length, 2);
      const [page, isolated] = m.content_scripts;
      assert.equal(page!.world, "MAIN");
      assert.equal("world" in isolated!, false);
      // The Call List marks' style sheet comes with the isolated script, before the page's first layout.
      assert.deepEqual((isolated as { css?: string[] }).css, ["extension/content/content.css"]);
      assert.equal("css" in page!, false);
      for (const script of m.content_scripts) assert.equal(script.run_at, "document_start");
    }
  });

  test("Chrome's content scripts go to the reference server's origins as `npm start` serves them, port 8787 only", () => {
    for (const script of chrome.content_scripts) {
      assert.deepEqual(script.matches, ["http://127.0.0.1:8787/*", "http://localhost:8787/*"]);
      assert.deepEqual(script.exclude_matches, ["http://127.0.0.1:8787/api/*", "http://localhost:8787/api/*"]);
    }
  });

  test("Firefox's patterns cannot name a port: its content scripts go to the loopback hosts, and check the exact origin there", () => {
    for (const script of firefox.content_scripts) {
      assert.deepEqual(script.matches, ["http://127.0.0.1/*", "http://localhost/*"]);
      assert.deepEqual(script.exclude_matches, ["http://127.0.0.1/api/*", "http://localhost/api/*"]);
      assert.ok(script.matches.every((m) => firefox.host_permissions.includes(m)), "no pattern beyond the declared host permissions");
    }
  });
});

describe("the rest of the manifest", () => {
  test("four keyboard commands, each described for the browsers' shortcut pages", () => {
    assert.deepEqual(Object.keys(COMMANDS), ["toggle-play", "skip-back", "skip-forward", "open-session"]);
    for (const command of Object.values(chrome.commands)) {
      assert.ok(command.description.length > 10);
      assert.match(command.suggested_key.default, /^(Alt|Ctrl)\+Shift\+\w+$/);
    }
  });

  test("Chrome runs a module service worker and has a stable development id", () => {
    assert.deepEqual(chrome.background, { service_worker: "extension/background/main.ts", type: "module" });
    assert.equal(typeof chrome.key, "string");
  });

  test("Firefox runs an event page and declares its id, minimum version and data collection", () => {
    assert.deepEqual(firefox.background, { scripts: ["extension/background/main.ts"], type: "module" });
    assert.equal("key" in firefox, false);
    const gecko = firefox.browser_specific_settings.gecko;
    assert.match(gecko.id, /@/);
    assert.ok(Number.parseFloat(gecko.strict_min_version) >= 142);
    assert.deepEqual(gecko.data_collection_permissions, { required: ["none"] });
  });

  test("the built manifests, when built, ask for exactly the same", () => {
    for (const [browser, source] of [["chrome", chrome], ["firefox", firefox]] as const) {
      const path = `dist/${browser}/manifest.json`;
      if (!existsSync(path)) continue;
      const built = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
      assert.deepEqual(built.permissions, source.permissions, path);
      assert.deepEqual(built.host_permissions, source.host_permissions, path);
      assert.deepEqual(built.optional_host_permissions, source.optional_host_permissions, path);
      assert.equal("web_accessible_resources" in built, false, `${path}: the build added web accessible resources`);
      if (browser === "chrome") {
        // The offscreen document takes commands only from this worker, by this name.
        assert.deepEqual(built.background, { service_worker: "service-worker-loader.js", type: "module" });
      }
    }
  });
});
