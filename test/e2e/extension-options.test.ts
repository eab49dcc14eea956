/**
 * The options page in real Chromium with the built extension (issue 12, items 4 and 5): a site's
 * profile choice, a custom profile pasted (its problems listed by path, nothing stored), saved,
 * read back through Export, a built-in profile chosen instead, "Try on this tab", and no axe
 * violations. Its own browser profile and server.
 *
 *   npm run build && node --import tsx --test test/e2e/extension-options.test.ts
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { CHROME_EXTENSION_ID } from "../../extension/manifest.js";
import { startServer, type RunningServer } from "../support/server.js";
import { builtExtension, e2eDataset, enableOrigin, waitFor } from "../extension/e2e-support.js";

const EXT = `chrome-extension://${CHROME_EXTENSION_ID}`;
type Storage = { chrome: { storage: { local: { get(key: string): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void> } }; runtime: { sendMessage(m: unknown): Promise<unknown> } } };

const CUSTOM = {
  version: 1,
  id: "test-reports",
  name: "Test reports",
  pages: ["/reports/**"],
  callList: { rowSelector: "tr[data-call-id]", callId: { attribute: "data-call-id" }, markCell: "td:first-child" },
  callSession: { path: "/reports/call-session?call=*", callId: { query: "call" }, mountSelector: "#call-session" },
  recordings: { kind: "api", base: "/api" },
};

describe("the options page in Chromium: each site's profile", { timeout: 120_000 }, () => {
  let server: RunningServer;
  let context: BrowserContext;
  let options: Page;
  let profileDir: string;
  let site: string;

  const stored = async (key: string) => (await options.evaluate((k) => (globalThis as unknown as Storage).chrome.storage.local.get(k), key))[key];
  const item = () => options.locator(`#sites > li[data-site="${site}"]`);
  const field = (name: string) => item().locator(`[data-field="${name}"]`);
  const action = (name: string) => item().locator(`[data-action="${name}"]`);

  async function axe(page: Page): Promise<string[]> {
    const source = readFileSync(resolve("node_modules/axe-core/axe.min.js"), "utf8");
    return page.evaluate(async (src) => {
      // Evaluated through the DevTools protocol, which the extension page's CSP does not govern.
      (0, eval)(src);
      const axe = (globalThis as unknown as { axe: { run(c: Element): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe;
      const results = await axe.run(document.documentElement);
      return results.violations.map((v) => `${v.id} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")}`);
    }, source);
  }

  before(async () => {
    profileDir = mkdtempSync(join(tmpdir(), "crec-chromium-options-"));
    server = await startServer({ dataset: e2eDataset() });
    site = server.url.replace(/\/$/, "");
    const dir = builtExtension("chrome");
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: "/usr/bin/chromium",
      headless: true,
      acceptDownloads: true,
      args: [`--disable-extensions-except=${dir}`, `--load-extension=${dir}`, "--no-sandbox"],
    });
    await (context.serviceWorkers()[0] ?? context.waitForEvent("serviceworker"));
    options = context.pages()[0] ?? (await context.newPage());
    options.on("pageerror", (error) => console.error(`page error on ${options.url()}: ${error.message}`));
    await options.goto(`${EXT}/extension/options/options.html`);
    // The test server's origin, enabled as the options page's Add does (its host, 127.0.0.1, is in the manifest's host permissions).
    await enableOrigin(options, site);
    await options.reload();
    await item().waitFor();
  });

  after(async () => {
    await context?.close();
    await server?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  });

  test("every site is listed, and an enabled origin offers auto, each built-in profile by name, and custom, carrying on by default", async () => {
    const sites = await options.locator("#sites > li").evaluateAll((lis) => lis.map((li) => li.querySelector("code")?.textContent));
    assert.ok(sites.includes(site), sites.join(", "));
    const choices = await field("profile").locator("option").evaluateAll((os) => os.map((o) => `${(o as HTMLOptionElement).value}=${o.textContent}`));
    assert.deepEqual(choices, [
      "auto=Recognize automatically",
      "reference=Call recordings reference interface",
      "fusionpbx=FusionPBX Call Detail Records",
      "freepbx=FreePBX CDR Reports",
      "custom=Custom profile",
    ]);
    assert.equal(await field("profile").inputValue(), "auto");
    assert.equal(await field("carry").isChecked(), true);
    assert.equal(await field("custom-json").isVisible(), false, "the custom profile's box shows only when custom is chosen");
    assert.deepEqual(await axe(options), []);
  });

  test("a broken custom profile: every problem listed with its path, tied to the box, and nothing stored", async () => {
    await field("profile").selectOption("custom");
    const broken = { ...CUSTOM, callList: { callId: { attribute: "data-call-id" }, markCell: "td" }, timeZone: "Mars/Olympus" };
    await field("custom-json").fill(JSON.stringify(broken, null, 2));
    await action("save").click();
    const problems = await field("problems").locator("li").allTextContents();
    assert.ok(problems.includes("callList.rowSelector: is required"), problems.join("\n"));
    assert.ok(problems.some((p) => p.startsWith("timeZone: is not an IANA time zone")), problems.join("\n"));
    assert.equal(await field("problems").getAttribute("role"), "alert");
    const describedBy = (await field("custom-json").getAttribute("aria-describedby")) ?? "";
    assert.ok(describedBy.split(" ").includes((await field("problems").getAttribute("id"))!), "the box is described by its problems");
    assert.equal(await stored("sites"), undefined, "nothing was saved");
    // Not valid JSON at all says so, at the profile's root.
    await field("custom-json").fill("{ \"version\": 1, ");
    await action("save").click();
    assert.match((await field("problems").textContent()) ?? "", /profile: is not valid JSON/);
    // The background checks again: a broken profile sent straight to it is refused with its problems.
    const reply = (await options.evaluate(
      ([origin, json]) => (globalThis as unknown as Storage).chrome.runtime.sendMessage({ type: "sites/set", origin, setting: { profile: "custom", customProfile: json } }),
      [site, JSON.stringify(broken)] as const,
    )) as { ok: boolean; error?: { message: string } };
    assert.equal(reply.ok, false);
    assert.match(reply.error?.message ?? "", /callList\.rowSelector: is required/);
    assert.equal(await stored("sites"), undefined, "still nothing saved");
    assert.deepEqual(await axe(options), [], "no violations with the problems shown");
  });

  test("a valid custom profile is saved, shown again after a reload, and exported as <id>.json", async () => {
    await field("profile").selectOption("custom");
    await field("custom-json").fill(JSON.stringify(CUSTOM, null, 2));
    await action("save").click();
    await waitFor("saved", () => field("status").textContent(), (t) => t === "Saved.");
    assert.equal(await field("problems").textContent(), "");
    const sites = (await stored("sites")) as Record<string, { profile: string; customProfile: { id: string }; carryPageMedia: boolean }>;
    assert.equal(sites[site]?.profile, "custom");
    assert.equal(sites[site]?.customProfile.id, "test-reports");
    assert.equal(sites[site]?.carryPageMedia, true);

    await options.reload();
    await item().waitFor();
    assert.equal(await field("profile").inputValue(), "custom");
    const [download] = await Promise.all([options.waitForEvent("download"), action("export").click()]);
    assert.equal(download.suggestedFilename(), "test-reports.json");
    const path = await download.path();
    assert.ok(path && existsSync(path));
    assert.deepEqual(JSON.parse(readFileSync(path, "utf8")), CUSTOM);
  });

  test("importing a file puts its profile in the box, to be saved", async () => {
    const imported = { ...CUSTOM, id: "imported", name: "Imported" };
    await field("import-file").setInputFiles({ name: "imported.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(imported)) });
    await waitFor("imported", () => field("custom-json").inputValue(), (v) => v.includes('"imported"'));
    assert.match((await field("status").textContent()) ?? "", /Imported imported\.json/);
    assert.equal(((await stored("sites")) as Record<string, { customProfile: { id: string } }>)[site]?.customProfile.id, "test-reports", "not saved until Save");
  });

  test("switching to a built-in profile and turning carrying off is saved; the custom profile is kept for later", async () => {
    await field("profile").selectOption("reference");
    assert.equal(await field("custom-json").isVisible(), false);
    await field("carry").uncheck();
    await action("save").click();
    await waitFor("saved", () => field("status").textContent(), (t) => t === "Saved.");
    const sites = (await stored("sites")) as Record<string, { profile: string; customProfile?: { id: string }; carryPageMedia: boolean }>;
    assert.equal(sites[site]?.profile, "reference");
    assert.equal(sites[site]?.carryPageMedia, false);
    assert.equal(sites[site]?.customProfile?.id, "test-reports");
    await options.reload();
    await item().waitFor();
    assert.equal(await field("profile").inputValue(), "reference");
    assert.equal(await field("carry").isChecked(), false);
  });

  test("what browser policy sets is marked as the organization's and cannot be changed", async () => {
    // As the background mirrors storage.managed (Chromium reads policy only from system folders, which the test leaves alone).
    const policy = { origins: ["https://pbx.example.com"], sites: { [site]: { profile: "fusionpbx", carryPageMedia: false } } };
    await options.evaluate((p) => (globalThis as unknown as Storage).chrome.storage.local.set({ managed: p }), policy);
    try {
      await options.reload();
      await item().waitFor();
      assert.equal(await field("profile").inputValue(), "fusionpbx");
      assert.equal(await field("profile").isDisabled(), true);
      assert.equal(await field("carry").isChecked(), false);
      assert.equal(await field("carry").isDisabled(), true);
      assert.equal(await action("save").isDisabled(), true);
      const managed = options.locator('#sites > li[data-site="https://pbx.example.com"]');
      assert.equal(await managed.getAttribute("data-managed"), "true");
      assert.match((await managed.textContent()) ?? "", /Set by your organization/);
      assert.equal(await managed.locator('[data-action="remove"]').count(), 0, "not removable");
      assert.equal(await managed.locator('[data-action="allow"]').count(), 1, "access not granted yet: offered");
      const reply = (await options.evaluate(
        (origin) => (globalThis as unknown as Storage).chrome.runtime.sendMessage({ type: "sites/set", origin, setting: { profile: "auto" } }),
        site,
      )) as { ok: boolean; error?: { message: string } };
      assert.equal(reply.ok, false);
      assert.match(reply.error?.message ?? "", /set by your organization/);
      assert.deepEqual(await axe(options), []);
    } finally {
      await options.evaluate(() => (globalThis as unknown as Storage).chrome.storage.local.set({ managed: { origins: [], sites: {} } }));
      await options.reload();
      await item().waitFor();
    }
  });

  test("Try on this tab: no open tab of the site says so; an open Call List is counted", async () => {
    await action("try").click();
    await waitFor("the try's answer", () => field("try-result").getAttribute("data-tab"), (v) => v === "none");
    assert.match((await field("try-result").textContent()) ?? "", /No open tab of this site/);

    const tab = await context.newPage();
    await tab.goto(`${server.url}/login`);
    await tab.fill("#username", "admin");
    await tab.fill("#password", "admin-pass");
    await Promise.all([tab.waitForURL((url) => url.pathname !== "/login"), tab.click('button[type="submit"]')]);
    await tab.goto(`${server.url}/reports/call-list?hasRecording=true`);
    const rows = await tab.locator("tr[data-call-id]").count();
    await options.bringToFront();
    await action("try").click();
    await waitFor("the try's answer", () => field("try-result").getAttribute("data-tab"), (v) => v === "found");
    const count = async (name: string) => Number(await field("try-result").locator(`[data-count="${name}"]`).textContent());
    assert.equal(await count("rows"), rows);
    assert.ok((await count("callIds")) > 0);
    assert.equal(await count("media"), 0);
    assert.deepEqual(await axe(options), [], "no violations with a try's answer shown");
    await tab.close();
  });
});
