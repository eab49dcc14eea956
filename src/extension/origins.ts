/**
 * Reporting origins the companion extension works on: the reference server's as `npm start`
 * serves it (built in) and the ones the user adds in the options page. Pure functions on URL
 * strings, shared by the manifest, the background (which checks every sender and every audio URL
 * against them), the content scripts, the options page and the tests.
 */

/** The origins the extension is enabled for out of the box: the reference server as `npm start` serves it. */
export const BUILT_IN_ORIGINS: readonly string[] = ["http://127.0.0.1:8787", "http://localhost:8787"];

/**
 * The host permissions the manifest declares, granted at install: the loopback hosts on every
 * port. Being granted is not being enabled: only the built-in origins (and those the user adds)
 * get the content scripts and have their requests accepted. Declaring them makes enabling
 * another local port (a development server, the fixture servers, the tests' free ports) one
 * click in the options page, with no browser prompt.
 */
export const LOOPBACK_HOST_PERMISSIONS: readonly string[] = ["http://127.0.0.1/*", "http://localhost/*"];

/** The origin of an http(s) URL, or null for anything else (or anything unparsable). */
export function httpOrigin(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
  if (parsed.username || parsed.password) return null;
  return parsed.origin;
}

/** Whether an origin is one of the built-in ones (the reference server's, exactly: http, port 8787). */
export function isBuiltInOrigin(origin: string): boolean {
  return BUILT_IN_ORIGINS.includes(origin);
}

/** Whether an origin is enabled: built in, or one the user added. */
export function isEnabledOrigin(origin: string, userOrigins: readonly string[]): boolean {
  return isBuiltInOrigin(origin) || userOrigins.includes(origin);
}

/** Whether a URL is an http(s) URL on an enabled origin. */
export function isEnabledUrl(url: string, userOrigins: readonly string[]): boolean {
  const origin = httpOrigin(url);
  return origin !== null && isEnabledOrigin(origin, userOrigins);
}

/**
 * The match pattern that grants an origin's host permission: the host on every port. Firefox
 * match patterns cannot name a port, and Chrome's without one cover every port, so permissions
 * are asked and checked host-wide; the background still checks the exact origin of every sender
 * and URL, and the content script runs only on an enabled origin.
 */
export function matchPatternFor(origin: string): string {
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
}

/**
 * The match pattern that names an origin's port too (`http://localhost:8787/*`; the scheme's
 * default port spelled out), for browsers whose content-script patterns may name one (Chrome):
 * the content scripts go to that origin's pages only.
 */
export function portMatchPatternFor(origin: string): string {
  const url = new URL(origin);
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return `${url.protocol}//${url.hostname}:${port}/*`;
}

/** Whether a match pattern names a port (`http://localhost:8787/*`). */
export function patternNamesPort(pattern: string): boolean {
  return /^[a-z]+:\/\/[^/]*:\d+\//.test(pattern);
}

/**
 * The content-script match patterns for origins: port by port where the browser's patterns may
 * name one (Chrome), host-wide where they may not (Firefox: the content script checks the exact
 * origin before it does anything), each pattern once.
 */
export function contentScriptMatches(origins: readonly string[], namesPorts: boolean): string[] {
  return [...new Set(origins.map(namesPorts ? portMatchPatternFor : matchPatternFor))];
}

/** The JSON API's paths under content-script match patterns, left out of them: they are not pages. */
export function apiExcludeMatches(matches: readonly string[]): string[] {
  return matches.map((m) => m.replace(/\/\*$/, "/api/*"));
}

export type OriginInput = { ok: true; origin: string } | { ok: false; problem: string };

/**
 * Reads what a user typed in the options page: "https://reports.example.com",
 * "reports.example.com:8443/reports/call-list" (https assumed) or a full URL of any page there.
 */
export function parseOriginInput(input: string): OriginInput {
  const text = input.trim();
  if (text === "") return { ok: false, problem: "Type the address of the reporting site." };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, problem: `"${text.slice(0, 80)}" is not a web address.` };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { ok: false, problem: "Only http and https sites can be enabled." };
  }
  if (url.username || url.password) return { ok: false, problem: "Leave the user name and password out of the address." };
  if (!url.hostname || url.hostname.includes("*")) return { ok: false, problem: "Name one site, without wildcards." };
  if (isBuiltInOrigin(url.origin)) return { ok: false, problem: `${url.origin} is built in: it is always enabled.` };
  return { ok: true, origin: url.origin };
}
