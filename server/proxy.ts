/**
 * What a request says about itself when the server runs behind a reverse proxy
 * (`--trust-proxy`): the client's address, whether the browser used HTTPS, and the origin it
 * asked for. Without the flag every `X-Forwarded-*` header is ignored: any client can set them.
 */
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";

// A context variable rather than the Request: middleware such as bodyLimit replaces `c.req.raw`.
const TRUST = "trustProxy";

/** Marks the request as come through the trusted proxy; the app does it when told to. */
export function trustProxyFor(c: Context): void {
  c.set(TRUST, true);
}

export function trustsProxy(c: Context): boolean {
  return c.get(TRUST) === true;
}

/**
 * The right-most value of a forwarded header: the one our own proxy added. Values to its left
 * came from the client (or proxies we know nothing of) and could say anything.
 */
function forwarded(c: Context, name: string): string | undefined {
  if (!trustsProxy(c)) return undefined;
  const value = c.req.header(name);
  if (!value) return undefined;
  const last = value.split(",").map((v) => v.trim()).filter(Boolean).pop();
  return last && last.length <= 200 ? last : undefined;
}

/** The address of the client: the proxy's word for it when trusted, else the connection's. */
export function clientAddress(c: Context): string {
  const viaProxy = forwarded(c, "x-forwarded-for");
  if (viaProxy) return viaProxy;
  try {
    return getConnInfo(c).remote.address ?? "local";
  } catch {
    // Not served by the Node adapter (an in-process request): all such clients share a key.
    return "local";
  }
}

/** Whether the browser reached us over HTTPS (directly, or at a trusted proxy). */
export function isHttps(c: Context): boolean {
  const proto = forwarded(c, "x-forwarded-proto");
  if (proto !== undefined) return proto.toLowerCase() === "https";
  return new URL(c.req.url).protocol === "https:";
}

const HOST = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** The origin the browser addressed: what `Origin` is compared to, and signed URLs are built on. */
export function requestOrigin(c: Context): string {
  const url = new URL(c.req.url);
  if (!trustsProxy(c)) return url.origin;
  const claimed = forwarded(c, "x-forwarded-host");
  const host = claimed && HOST.test(claimed) ? claimed : url.host;
  return `${isHttps(c) ? "https" : "http"}://${host}`;
}
