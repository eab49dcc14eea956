/**
 * The extension's manifest for each browser. What it may do is listed here and nowhere else:
 * test/extension/manifest.test.ts asserts the permissions, so adding one is a deliberate change.
 * Why each is there: {@link common}.
 */
import { apiExcludeMatches, BUILT_IN_ORIGINS, contentScriptMatches, LOOPBACK_HOST_PERMISSIONS } from "../src/extension/origins.js";

export type TargetBrowser = "chrome" | "firefox";

/** The schema of browser policy's settings (Chrome), copied into the build as it is. */
export const MANAGED_SCHEMA = "extension/managed_schema.json";

/** Gives unpacked Chrome builds a stable id (fpkcpcfiphkmobdkoilabmmoinkdodpm), for tests and development. */
export const CHROME_KEY =
  "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsyEY2rQ6Oublfw2HvTJHF56nDez+0uC+rdILeTAG9fHor2RQ3H3zCdZII2K84ySQ/1DvN6wBITD9rS2xy15PKQ08wq5RoekK5C0t4/1LKq6KTTqBZsOvU7EzA+me9uNothqNY2cxl9bogF78nsd2XWY3c12/2GthjKr4VOUiJGVCrcYpi1pZKtq4DH/nZZyS3cgsNwNxk9xFMXI+BzKpSqbrDrOtH5NnaY5qIC9iWgvFk9tl6Evpy4nN1G7U6sUCPm4n9Hapvz100oHgtJo9A7zd79Qvi8g+QKcJXRx3wBeyV9Ak6A5gfXk9CbXbmiPV1Ab+AQ4dzs5kjj9J1TOkmQIDAQAB";
export const CHROME_EXTENSION_ID = "fpkcpcfiphkmobdkoilabmmoinkdodpm";
export const FIREFOX_EXTENSION_ID = "call-recordings@call-recordings.example";

/** Source paths of the two content scripts (the build turns them into standalone files). */
export const CONTENT_SCRIPTS = {
  /** Page's world, document_start: the components and the extension's playback engine. */
  page: "extension/content/page-world.ts",
  /** Isolated world, document_start: the private channel, the relay and the page features. */
  isolated: "extension/content/isolated.ts",
} as const;

/** The isolated content script's style sheet (the Call List marks; the undefined elements' sentinel), there before the page's first layout. */
export const CONTENT_STYLES = ["extension/content/content.css"] as const;

/**
 * The keyboard commands, listed on chrome://extensions/shortcuts and about:addons: Alt+Shift
 * with the player's own keys (K play/pause, J back, L forward; YouTube's), which Chrome and
 * Firefox both leave free (Chrome refuses Alt+Shift+P, for one).
 */
export const COMMANDS = {
  "toggle-play": { suggested_key: { default: "Alt+Shift+K" }, description: "Play or pause the call recording" },
  "skip-back": { suggested_key: { default: "Alt+Shift+J" }, description: "Back 10 seconds in the call recording" },
  "skip-forward": { suggested_key: { default: "Alt+Shift+L" }, description: "Forward 10 seconds in the call recording" },
  "open-session": { suggested_key: { default: "Alt+Shift+O" }, description: "Open the playing call's Call Session view" },
} as const;

export type CommandName = keyof typeof COMMANDS;

/** The content scripts' match patterns for the built-in origins: Chrome's name the port, Firefox's cannot. */
export function builtInMatches(browser: TargetBrowser): string[] {
  return contentScriptMatches(BUILT_IN_ORIGINS, browser === "chrome");
}

/**
 * What both browsers' manifests hold. The permissions:
 *
 * - `storage`: the playback state and the enabled origins outlive the service worker.
 * - `scripting`: content scripts for reporting origins the user enables at run time.
 * - `downloads`: the player's download button saves a recording under its readable name.
 * - `offscreen` (Chrome): the audio plays in an offscreen document; Firefox's background page
 *   plays it itself.
 * - Host permissions: the loopback hosts (`127.0.0.1`, `localhost`) on every port, granted at
 *   install, so that enabling another local port in the options page needs no browser prompt;
 *   other reporting origins are optional and asked for in the options page. Granted is not
 *   enabled: the content scripts go only to the built-in origins (the reference server as
 *   `npm start` serves it, port 8787) and those the user enables. Chrome's content-script
 *   patterns name the port; Firefox's cannot, so there they cover the loopback hosts and the
 *   content script checks the exact origin before it does anything.
 */
function common(version: string, browser: TargetBrowser) {
  const matches = builtInMatches(browser);
  // Pages of the reporting interface that are not pages: the JSON API.
  const excludeMatches = apiExcludeMatches(matches);
  const contentScripts = [
    {
      matches: [...matches],
      exclude_matches: excludeMatches,
      js: [CONTENT_SCRIPTS.page],
      run_at: "document_start",
      world: "MAIN",
    },
    {
      matches: [...matches],
      exclude_matches: excludeMatches,
      js: [CONTENT_SCRIPTS.isolated],
      css: [...CONTENT_STYLES],
      run_at: "document_start",
    },
  ];
  return {
    manifest_version: 3,
    name: "Call Recordings",
    short_name: "Call Recordings",
    version,
    description: "Plays call recordings in your call-reporting interface and keeps them playing while you browse other reports.",
    icons: { 16: "extension/icons/icon-16.png", 32: "extension/icons/icon-32.png", 48: "extension/icons/icon-48.png", 128: "extension/icons/icon-128.png" },
    action: {
      default_title: "Call Recordings",
      default_popup: "extension/popup/popup.html",
      default_icon: { 16: "extension/icons/icon-16.png", 32: "extension/icons/icon-32.png" },
    },
    options_ui: { page: "extension/options/options.html", open_in_tab: true },
    commands: COMMANDS,
    host_permissions: [...LOOPBACK_HOST_PERMISSIONS],
    optional_host_permissions: ["https://*/*", "http://*/*"],
    content_scripts: contentScripts,
  };
}

export function chromeManifest(version: string) {
  return {
    ...common(version, "chrome"),
    key: CHROME_KEY,
    minimum_chrome_version: "116",
    permissions: ["storage", "scripting", "downloads", "offscreen"],
    background: { service_worker: "extension/background/main.ts", type: "module" },
    /** Browser policy's settings (storage.managed), checked by Chrome against this schema; Firefox reads policies.json and takes none. */
    storage: { managed_schema: MANAGED_SCHEMA },
  };
}

export function firefoxManifest(version: string) {
  return {
    ...common(version, "firefox"),
    permissions: ["storage", "scripting", "downloads"],
    background: { scripts: ["extension/background/main.ts"], type: "module" },
    browser_specific_settings: {
      gecko: {
        id: FIREFOX_EXTENSION_ID,
        strict_min_version: "142.0",
        data_collection_permissions: { required: ["none"] },
      },
    },
  };
}

export function manifest(browser: TargetBrowser, version: string) {
  return browser === "chrome" ? chromeManifest(version) : firefoxManifest(version);
}
