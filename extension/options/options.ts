/**
 * The options page: the reporting sites the extension works on (another is added by asking for
 * its host permission in the user's click, removed by giving it back; policy's are marked "Set by
 * your organization") and each site's setting (src/extension/site-settings.ts): its profile, and
 * whether its own players are carried into the background. A custom profile is checked here and
 * again by the background, every problem listed by its path; "Try on this tab" shows what it finds.
 */
import browser from "webextension-polyfill";
import type { OriginsAnswer, SitesAnswer, TryAnswer } from "../../src/extension/extension-messages.js";
import { matchPatternFor, parseOriginInput } from "../../src/extension/origins.js";
import { parseSiteProfileJson } from "../../src/extension/site-profile.js";
import { isOrigin, profileProblemPath, type SettingProblem, type SiteSummary } from "../../src/extension/site-settings.js";
import { ask } from "../shared/ask.js";

/*
 * Hooks for the end-to-end tests (stable; change them with the tests):
 *
 * - `#sites > li[data-site="<origin or pattern>"]`: one per site, its `<code>` the origin (the
 *   only `<code>` in the item); `data-managed="true"` when policy enables it, `data-built-in`.
 * - within a site's item, `[data-field=…]`: `profile` (the `<select>`: `auto`, `custom`, or a
 *   built-in profile's id), `carry` (the page-media checkbox), `custom-json` (the textarea),
 *   `import-file` (the file input), `problems` (role="alert", the textarea's aria-describedby: a
 *   `<li>` per problem, `path: message`), `status` (role="status": "Saved." or why not),
 *   `try-result` (role="status": what a try found, `data-tab="none"` when no tab of the site is
 *   open; `[data-count="rows|callIds|media|recordingLinks"]` and `[data-session-call-id]` in it).
 * - `[data-action=…]`: `save`, `import`, `export` (downloads `<profile id>.json`), `try`,
 *   `remove`, `allow` (a policy's site the browser has not granted access to yet).
 * - `#origin`, `#add`, `#problem`: adding a site; `#sites-problem`: the list could not be read.
 */

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const problem = $("problem");
const MAX_IMPORT = 100_000;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
/** A background error's text without the request's name the message carries before it. */
const remoteText = (error: unknown, type: string) => message(error).replace(new RegExp(`^${type}: `), "");

let builtInProfiles: SitesAnswer["builtInProfiles"] = [];
let serial = 0;

/** Lists problems in a site's alert region, each as `path: message`. */
function showProblems(region: HTMLElement, problems: readonly SettingProblem[], intro: string): void {
  if (problems.length === 0) {
    region.replaceChildren();
    return;
  }
  region.replaceChildren(
    el("p", {}, intro),
    el("ul", {}, ...problems.map((p) => el("li", {}, el("span", { className: "path" }, p.path), `: ${p.message}`))),
  );
}

/** A background refusal's lines (`path: message` each) back as problems. */
function problemsFromError(text: string): SettingProblem[] {
  return text.split("\n").map((line) => {
    const at = line.indexOf(": ");
    return at > 0 ? { path: line.slice(0, at), message: line.slice(at + 2) } : { path: "setting", message: line };
  });
}

/** The settings form of one site. */
function siteSettings(origin: string, summary: SiteSummary): HTMLFieldSetElement {
  const n = ++serial;
  const ids = { profile: `profile-${n}`, carry: `carry-${n}`, json: `custom-${n}`, problems: `problems-${n}`, file: `import-${n}`, hint: `custom-hint-${n}` };
  const locked = summary.managed;

  const select = el("select", { id: ids.profile, disabled: locked });
  select.dataset.field = "profile";
  select.append(
    el("option", { value: "auto" }, "Recognize automatically"),
    ...builtInProfiles.map((p) => el("option", { value: p.id }, p.name)),
    el("option", { value: "custom" }, "Custom profile"),
  );
  select.value = summary.profile;
  if (select.value !== summary.profile) select.value = "auto";

  const carry = el("input", { type: "checkbox", id: ids.carry, checked: summary.carryPageMedia, disabled: locked });
  carry.dataset.field = "carry";

  const saved = summary.customProfile ?? summary.savedCustomProfile;
  const json = el("textarea", { id: ids.json, spellcheck: false, readOnly: locked, value: saved ? JSON.stringify(saved, null, 2) : "" });
  json.dataset.field = "custom-json";
  json.placeholder = '{ "version": 1, "id": "my-pbx", "name": "…", "pages": ["/reports/**"], "recordings": { "kind": "page-media" } }';
  json.setAttribute("aria-describedby", `${ids.hint} ${ids.problems}`);

  const problems = el("div", { id: ids.problems, className: "problems" });
  problems.setAttribute("role", "alert");
  problems.dataset.field = "problems";
  const status = el("p", { className: "status" });
  status.setAttribute("role", "status");
  status.dataset.field = "status";
  const tryResult = el("div", { className: "try-result" });
  tryResult.setAttribute("role", "status");
  tryResult.dataset.field = "try-result";

  const file = el("input", { type: "file", id: ids.file, accept: ".json,application/json", hidden: true, tabIndex: -1 });
  file.dataset.field = "import-file";
  file.setAttribute("aria-hidden", "true");

  const button = (text: string, action: string, label: string) => {
    const b = el("button", { type: "button", disabled: locked && action !== "try" }, text);
    b.dataset.action = action;
    b.setAttribute("aria-label", label);
    return b;
  };
  const importButton = button("Import…", "import", `Import a custom profile file for ${origin}`);
  const exportButton = button("Export", "export", `Export the custom profile of ${origin}`);
  exportButton.disabled = false;
  const saveButton = button("Save", "save", `Save the settings of ${origin}`);
  const tryButton = button("Try on this tab", "try", `Try on this tab of ${origin}: the chosen profile on its most recently used tab`);

  const customArea = el(
    "div",
    { className: "custom-area", hidden: select.value !== "custom" },
    el("label", { htmlFor: ids.json }, "Custom profile (JSON)"),
    el("p", { id: ids.hint, className: "hint" }, "Paste a site profile, or import one from a file. The format is described in the extension's profiles/README.md."),
    json,
    el("div", { className: "actions" }, importButton, exportButton, file),
  );

  /** The custom profile in the textarea, checked; its problems listed when it has any. */
  const checkedCustom = (intro = "This profile has problems, so nothing was changed:") => {
    const parsed = parseSiteProfileJson(json.value);
    if (!parsed.ok) showProblems(problems, parsed.problems.map((p) => ({ path: profileProblemPath(p.path), message: p.message })), intro);
    else showProblems(problems, [], "");
    return parsed;
  };

  select.addEventListener("change", () => {
    customArea.hidden = select.value !== "custom";
    status.textContent = "";
    if (select.value !== "custom") showProblems(problems, [], "");
  });

  saveButton.addEventListener("click", () => {
    status.textContent = "";
    const custom = select.value === "custom";
    if (custom && !checkedCustom().ok) {
      status.textContent = "Not saved.";
      json.focus();
      return;
    }
    showProblems(problems, [], "");
    const setting = { profile: select.value, carryPageMedia: carry.checked, ...(custom ? { customProfile: json.value } : {}) };
    ask({ type: "sites/set", origin, setting }).then(
      () => {
        status.textContent = "Saved.";
      },
      (error: unknown) => {
        showProblems(problems, problemsFromError(remoteText(error, "sites/set")), "Not saved:");
        status.textContent = "Not saved.";
      },
    );
  });

  importButton.addEventListener("click", () => file.click());
  file.addEventListener("change", () => {
    const chosen = file.files?.[0];
    file.value = "";
    if (!chosen) return;
    if (chosen.size > MAX_IMPORT) {
      showProblems(problems, [{ path: chosen.name, message: `is larger than ${MAX_IMPORT / 1000} kB` }], "Not imported:");
      return;
    }
    chosen.text().then(
      (text) => {
        json.value = text;
        select.value = "custom";
        customArea.hidden = false;
        status.textContent = checkedCustom(`${chosen.name} is imported, but has problems:`).ok ? `Imported ${chosen.name}: save to use it.` : "";
        json.focus();
      },
      (error: unknown) => showProblems(problems, [{ path: chosen.name, message: `could not be read (${message(error)})` }], "Not imported:"),
    );
  });

  exportButton.addEventListener("click", () => {
    const parsed = checkedCustom("This profile has problems, so it was not exported:");
    if (!parsed.ok) return;
    const blob = new Blob([`${JSON.stringify(parsed.profile, null, 2)}\n`], { type: "application/json" });
    const link = el("a", { href: URL.createObjectURL(blob), download: `${parsed.profile.id}.json` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  });

  tryButton.addEventListener("click", () => {
    tryResult.replaceChildren();
    delete tryResult.dataset.tab;
    const custom = select.value === "custom" && !locked;
    if (custom && !checkedCustom("This profile has problems, so it was not tried:").ok) return;
    tryResult.textContent = "Trying…";
    ask({ type: "site/try", origin, profile: select.value, ...(custom ? { customProfile: json.value } : {}) }).then(
      (answer) => showTry(tryResult, answer),
      (error: unknown) => {
        tryResult.textContent = `Could not try it: ${remoteText(error, "site/try")}`;
      },
    );
  });

  const fieldset = el(
    "fieldset",
    { className: "site-settings" },
    el("legend", { className: "visually-hidden" }, `How ${origin} is read`),
    el("div", { className: "field" }, el("label", { htmlFor: ids.profile }, "Profile"), select),
    el("div", { className: "field" }, carry, el("label", { htmlFor: ids.carry }, "Carry this site's own audio players into the background")),
    customArea,
    problems,
    el("div", { className: "actions" }, saveButton, tryButton),
    status,
    tryResult,
  );
  return fieldset;
}

/** What a try found, in words, with the numbers marked for the tests. */
function showTry(region: HTMLElement, answer: TryAnswer): void {
  if (answer.tab === null) {
    region.dataset.tab = "none";
    region.textContent = "No open tab of this site: open one of its pages and try again.";
    return;
  }
  region.dataset.tab = "found";
  const r = answer.result;
  const count = (name: string, value: number) => {
    const b = el("strong", {}, String(value));
    b.dataset.count = name;
    return b;
  };
  const items: (HTMLElement | string)[][] = [
    [`Profile: ${r.profile ? r.profile.name : "none recognizes this page"}`, r.profile && !r.coversPage ? " (this page is not one of its pages)" : ""],
    ["Call List rows: ", count("rows", r.rows), ", distinct call ids: ", count("callIds", r.callIds)],
    ["Audio and video players on the page: ", count("media", r.media), ", links to recordings: ", count("recordingLinks", r.recordingLinks)],
  ];
  if (r.sessionView) {
    const id = el("span", { className: "call-id" }, r.sessionCallId ?? "not found");
    id.dataset.sessionCallId = r.sessionCallId ?? "";
    items.push(["Call Session view of call ", id]);
  }
  for (const p of r.problems) items.push([p]);
  region.replaceChildren(
    el("p", {}, `On the tab "${answer.tab.title || answer.tab.url}" (${r.page}):`),
    el("ul", {}, ...items.map((parts) => el("li", {}, ...parts))),
  );
}

function item(origin: string, attrs: Record<string, string>, ...extra: HTMLElement[]): HTMLLIElement {
  const li = el("li", {}, el("code", {}, origin), ...extra);
  li.dataset.site = origin;
  Object.assign(li.dataset, attrs);
  return li;
}

function render(origins: OriginsAnswer, sites: SitesAnswer): void {
  builtInProfiles = sites.builtInProfiles;
  const managed = new Map(sites.managedOrigins.map((m) => [m.origin, m.granted]));
  const settings = (origin: string) => {
    const summary = sites.sites[origin];
    return summary && isOrigin(origin) ? [siteSettings(origin, summary)] : [];
  };
  const note = (text: string, className = "built-in") => el("span", { className }, text);
  const rows: HTMLLIElement[] = [
    ...origins.builtIn.map((origin) =>
      item(origin, { builtIn: "true" }, note(" (built in: the reference server as npm start serves it)"), ...settings(origin)),
    ),
    ...origins.user
      .filter((o) => !managed.has(o) && !origins.builtIn.includes(o))
      .map((origin) => {
        const remove = el("button", { type: "button" }, "Remove");
        remove.dataset.action = "remove";
        remove.setAttribute("aria-label", `Remove ${origin}`);
        remove.addEventListener("click", () => void removeOrigin(origin));
        return item(origin, {}, remove, ...settings(origin));
      }),
    ...[...managed].map(([origin, granted]) => {
      const extra: HTMLElement[] = [note("Set by your organization", "managed-note")];
      if (!granted) {
        const allow = el("button", { type: "button" }, "Allow access");
        allow.dataset.action = "allow";
        allow.setAttribute("aria-label", `Allow access to ${origin}, which your organization enabled`);
        allow.addEventListener("click", () => {
          browser.permissions.request({ origins: [matchPatternFor(origin)] }).then(
            async (ok) => {
              if (ok) await refresh();
              else problem.textContent = `Access to ${origin} was not allowed.`;
            },
            (error: unknown) => {
              problem.textContent = `Could not ask for access to ${origin}: ${message(error)}`;
            },
          );
        });
        extra.push(allow);
      }
      return item(origin, { managed: "true" }, ...extra, ...settings(origin));
    }),
  ];
  const list = $("sites");
  list.replaceChildren(...rows);
  list.removeAttribute("aria-busy");
}

async function refresh(): Promise<void> {
  try {
    const [origins, sites] = await Promise.all([ask({ type: "origins/get" }), ask({ type: "sites/get" })]);
    $("sites-problem").textContent = "";
    render(origins, sites);
  } catch (error) {
    $("sites-problem").textContent = `Could not read the sites: ${message(error)}`;
  }
}

async function removeOrigin(origin: string): Promise<void> {
  problem.textContent = "";
  try {
    const answer = await ask({ type: "origins/remove", origin });
    // The permission covers the host on every port: keep it while another enabled origin needs
    // it, and always when the manifest grants it (the loopback hosts), which cannot be given back.
    const pattern = matchPatternFor(origin);
    const declared = browser.runtime.getManifest().host_permissions ?? [];
    if (!declared.includes(pattern) && !answer.user.some((o) => matchPatternFor(o) === pattern)) await browser.permissions.remove({ origins: [pattern] });
    await refresh();
  } catch (error) {
    problem.textContent = `Could not remove ${origin}: ${message(error)}`;
  }
}

$("add").addEventListener("submit", (event) => {
  event.preventDefault();
  problem.textContent = "";
  const input = $<HTMLInputElement>("origin");
  const parsed = parseOriginInput(input.value);
  if (!parsed.ok) {
    problem.textContent = parsed.problem;
    return;
  }
  // Asked at once, inside the click: browsers grant permissions only in answer to the user.
  browser.permissions.request({ origins: [matchPatternFor(parsed.origin)] }).then(
    async (granted) => {
      if (!granted) {
        problem.textContent = `Access to ${parsed.origin} was not allowed, so it was not added.`;
        return;
      }
      await ask({ type: "origins/add", origin: parsed.origin });
      input.value = "";
      await refresh();
    },
    (error: unknown) => {
      problem.textContent = `Could not add ${parsed.origin}: ${message(error)}`;
    },
  );
});

async function showShortcuts(): Promise<void> {
  const commands = await browser.commands.getAll();
  $("shortcuts").replaceChildren(
    ...commands
      .filter((c) => c.description)
      .map((c) => {
        const li = document.createElement("li");
        const key = document.createElement("kbd");
        key.textContent = c.shortcut || "not set";
        li.append(key, ` ${c.description}`);
        return li;
      }),
  );
  $("shortcuts-hint").textContent = navigator.userAgent.includes("Firefox")
    ? "Change them in about:addons, under the gear menu's Manage Extension Shortcuts."
    : "Change them at chrome://extensions/shortcuts.";
}

void refresh();
void showShortcuts();
