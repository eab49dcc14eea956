/**
 * The reporting origins the extension works on: the built-in ones (the reference server as
 * `npm start` serves it), and those the user enabled in the options page (each with its host
 * permission, granted there). For the added ones the content scripts are registered at run time,
 * with the same files the manifest names.
 */
import browser, { type Scripting } from "webextension-polyfill";
import { STORAGE_KEYS } from "../../src/extension/extension-messages.js";
import { array, check, string } from "../../src/shape.js";
import { apiExcludeMatches, contentScriptMatches, httpOrigin, isEnabledOrigin, matchPatternFor, patternNamesPort } from "../../src/extension/origins.js";
import { managedOrigins } from "../../src/extension/site-settings.js";

const SCRIPT_IDS = { page: "crec-page-world", isolated: "crec-isolated" } as const;
const originList = array(string({ min: 1, max: 300 }), { max: 200 });

export class ReportingOrigins {
  #cache: Promise<string[]> | null = null;
  #managedCache: Promise<string[]> | null = null;
  /**
   * The changes (add, remove, prune, each registering the scripts), one at a time. Run together
   * (the worker starting as the options page adds a site, or two sites added at once), two would
   * read the same list and keep only one site, or both register the scripts: "Duplicate script ID".
   */
  #queue: Promise<unknown> = Promise.resolve();

  constructor() {
    browser.storage.onChanged.addListener((changes, area) => {
      if (area === "local" && STORAGE_KEYS.origins in changes) this.#cache = null;
      if (area === "local" && STORAGE_KEYS.managed in changes) this.#managedCache = null;
    });
    browser.permissions.onAdded.addListener(() => (this.#managedCache = null));
    browser.permissions.onRemoved.addListener(() => (this.#managedCache = null));
  }

  /** The origins the user added. */
  added(): Promise<string[]> {
    this.#cache ??= browser.storage.local.get(STORAGE_KEYS.origins).then((stored) => {
      const checked = check(originList, stored[STORAGE_KEYS.origins] ?? []);
      return checked.ok ? checked.value.filter((o) => httpOrigin(o) === o) : [];
    });
    return this.#cache;
  }

  /** The origins browser policy enables (as the background mirrored it), each with whether the browser granted access to it. */
  async managed(): Promise<{ origin: string; granted: boolean }[]> {
    const stored = (await browser.storage.local.get(STORAGE_KEYS.managed))[STORAGE_KEYS.managed] as { origins?: unknown } | undefined;
    const origins = managedOrigins(stored?.origins).filter((o) => httpOrigin(o) === o);
    return Promise.all(origins.map(async (origin) => ({ origin, granted: await browser.permissions.contains({ origins: [matchPatternFor(origin)] }) })));
  }

  /** The enabled origins besides the built-in ones: those the user added, and policy's that the browser granted access to. */
  async user(): Promise<string[]> {
    this.#managedCache ??= this.managed().then((all) => all.filter((m) => m.granted).map((m) => m.origin));
    const [added, managed] = await Promise.all([this.added(), this.#managedCache]);
    return [...new Set([...added, ...managed])];
  }

  async isEnabled(origin: string): Promise<boolean> {
    return isEnabledOrigin(origin, await this.user());
  }

  #serial<T>(change: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(change);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Enables an origin whose host permission the user granted. */
  add(origin: string): Promise<string[]> {
    return this.#serial(async () => {
      if (httpOrigin(origin) !== origin) throw new TypeError(`${origin} is not an http(s) origin`);
      const granted = await browser.permissions.contains({ origins: [matchPatternFor(origin)] });
      if (!granted) throw new Error(`the browser has not granted access to ${origin}`);
      const user = await this.added();
      const next = user.includes(origin) ? user : [...user, origin];
      await this.#save(next);
      return next;
    });
  }

  remove(origin: string): Promise<string[]> {
    return this.#serial(async () => {
      const next = (await this.added()).filter((o) => o !== origin);
      await this.#save(next);
      return next;
    });
  }

  /** Drops origins whose permission the user took back in the browser's own settings. */
  prune(): Promise<void> {
    return this.#serial(async () => {
      const user = await this.added();
      const kept: string[] = [];
      for (const origin of user) if (await browser.permissions.contains({ origins: [matchPatternFor(origin)] })) kept.push(origin);
      this.#managedCache = null;
      if (kept.length !== user.length) await this.#save(kept);
      else await this.#register();
    });
  }

  /**
   * Injects the content scripts into the added origins' pages (and only theirs). Where the
   * manifest's patterns name the port (Chrome), each origin is registered with its port
   * (`http://localhost:34567/*`), beside the built-in `http://localhost:8787/*`. Where they cannot
   * (Firefox), an origin is registered host-wide, unless the manifest's scripts already go to that
   * host (another loopback port): registering it again would inject them twice there. The content
   * script runs only on an enabled origin.
   */
  async #register(): Promise<void> {
    const user = await this.user();
    const declared = browser.runtime.getManifest().content_scripts ?? [];
    const declaredMatches = declared.flatMap((s) => s.matches ?? []);
    const matches = contentScriptMatches(user, declaredMatches.some(patternNamesPort)).filter((m) => !declaredMatches.includes(m));
    const registered = await browser.scripting.getRegisteredContentScripts({ ids: Object.values(SCRIPT_IDS) });
    if (matches.length === 0) {
      if (registered.length > 0) await browser.scripting.unregisterContentScripts({ ids: registered.map((s) => s.id) });
      return;
    }
    const pageJs = declared.find((s) => (s as { world?: string }).world === "MAIN")?.js;
    const isolated = declared.find((s) => (s as { world?: string }).world !== "MAIN");
    if (!pageJs || !isolated?.js) throw new Error("the manifest names no content scripts");
    const excludeMatches = apiExcludeMatches(matches);
    const scripts: Scripting.RegisteredContentScript[] = [
      { id: SCRIPT_IDS.page, js: pageJs, matches, excludeMatches, runAt: "document_start", world: "MAIN" },
      { id: SCRIPT_IDS.isolated, js: isolated.js, css: isolated.css, matches, excludeMatches, runAt: "document_start" },
    ];
    // At every start (they persist across sessions) they are mostly as they should be: a page
    // loading meanwhile must not find them gone, so they are never unregistered to be registered again.
    const same = (a: readonly string[] | undefined, b: readonly string[] | undefined) => JSON.stringify([...(a ?? [])].sort()) === JSON.stringify([...(b ?? [])].sort());
    const current = (script: Scripting.RegisteredContentScript) => {
      const r = registered.find((x) => x.id === script.id);
      return r !== undefined && same(r.matches, script.matches) && same(r.excludeMatches, script.excludeMatches) && same(r.js, script.js) && same(r.css, script.css);
    };
    if (registered.length === scripts.length) {
      if (!scripts.every(current)) await browser.scripting.updateContentScripts(scripts);
      return;
    }
    if (registered.length > 0) await browser.scripting.unregisterContentScripts({ ids: registered.map((s) => s.id) });
    await browser.scripting.registerContentScripts(scripts);
  }

  async #save(origins: string[]): Promise<void> {
    this.#cache = Promise.resolve(origins);
    await browser.storage.local.set({ [STORAGE_KEYS.origins]: origins });
    await this.#register();
  }
}
