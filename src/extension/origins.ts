/**
 * Reporting origins the companion extension works on: the reference server's (built in, any
 * port) and the ones the user adds in the options page. Pure functions on URL strings, shared by
 * the background (which checks every sender and every audio URL against them), the options page
 * and the tests.
 */

/** Hosts the extension is enabled for out of the box, on any port, over plain HTTP. */
export const BUILT_IN_HOSTS: readonly string[] = ["localhost", "127.0.0.1"];

/** The static host permissions and content-script matches for the built-in hosts. */
export const BUILT_IN_MATCHES: readonly string[] = BUILT_IN_HOSTS.map((host) => `http://${host}/*`);

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

/** Whether an origin is one of the built-in ones (http on localhost or 127.0.0.1, any port). */
export function isBuiltInOrigin(origin: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  return parsed.protocol === "http:" && BUILT_IN_HOSTS.includes(parsed.hostname) && parsed.origin === origin;
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
 * The match pattern that grants (and injects into) an origin. Firefox match patterns cannot
 * name a port, so the pattern covers the host on every port; the background still checks the
 * exact origin of every sender and URL.
 */
export function matchPatternFor(origin: string): string {
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
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
  if (isBuiltInOrigin(url.origin)) return { ok: false, problem: `${url.origin} is always enabled.` };
  return { ok: true, origin: url.origin };
}
