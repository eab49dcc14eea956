/**
 * The options page: the reporting sites the extension works on. The reference server's are
 * always on; another site is added by asking the browser for its host permission (here, in the
 * user's click, as browsers require) and then telling the background, which registers the
 * content scripts for it. Removing a site gives the permission back.
 */
import browser from "webextension-polyfill";
import type { OriginsAnswer } from "../../src/extension/extension-messages.js";
import { matchPatternFor, parseOriginInput } from "../../src/extension/origins.js";
import { ask } from "../shared/ask.js";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const problem = $("problem");

function item(text: string, extra?: HTMLElement): HTMLLIElement {
  const li = document.createElement("li");
  const code = document.createElement("code");
  code.textContent = text;
  li.append(code);
  if (extra) li.append(extra);
  return li;
}

function render(answer: OriginsAnswer): void {
  const list = $("sites");
  list.replaceChildren(
    ...answer.builtIn.map((origin) => {
      const note = document.createElement("span");
      note.className = "built-in";
      note.textContent = " (always on: the reference server, any port)";
      return item(origin, note);
    }),
    ...answer.user.map((origin) => {
      const remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", `Remove ${origin}`);
      remove.addEventListener("click", () => void removeOrigin(origin));
      return item(origin, remove);
    }),
  );
}

async function removeOrigin(origin: string): Promise<void> {
  problem.textContent = "";
  try {
    const answer = await ask({ type: "origins/remove", origin });
    // The permission covers the host on every port: keep it while another enabled origin needs it.
    const pattern = matchPatternFor(origin);
    if (!answer.user.some((o) => matchPatternFor(o) === pattern)) await browser.permissions.remove({ origins: [pattern] });
    render(answer);
  } catch (error) {
    problem.textContent = `Could not remove ${origin}: ${error instanceof Error ? error.message : String(error)}`;
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
      render(await ask({ type: "origins/add", origin: parsed.origin }));
      input.value = "";
    },
    (error: unknown) => {
      problem.textContent = `Could not add ${parsed.origin}: ${error instanceof Error ? error.message : String(error)}`;
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

ask({ type: "origins/get" }).then(render, (error: unknown) => {
  problem.textContent = `Could not read the sites: ${String(error)}`;
});
void showShortcuts();
