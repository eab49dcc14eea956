/**
 * Where `<call-session-recordings>` gets a call from. A `CallSource` is the small interface a
 * host implements when its API differs from the reference server's; `apiCallSource(apiBase)`
 * is the one for the reference server's JSON API (`GET {apiBase}/calls/{id}`, cookie session).
 * `loadCall` checks whatever a source returns (src/calls/call-payload.ts), so a malformed answer is
 * a `CallLoadError`, never a crash further on.
 *
 * No DOM at import; runs in pages and workers alike.
 */
import { parseCallPayload, type CallDetails, type CallPayload } from "./call-payload.js";
import { ShapeError } from "../shape.js";

/**
 * What a host implements to feed the element from its own API.
 *
 * `getCall` resolves with the call in the `CallPayload` shape (checked on arrival; extra keys
 * are ignored), or `null` when there is no such call for this user. It rejects when loading
 * fails (a `CallLoadError` lets it say what to tell the user) and should stop when `signal`
 * aborts: the element aborts a load that a newer one replaced.
 */
export interface CallSource {
  getCall(callId: string, options: { signal: AbortSignal }): Promise<CallPayload | null>;
  /** Resolves relative URLs in the answer (default: the page's address). */
  readonly baseUrl?: string;
}

export type CallLoadErrorKind = "network" | "status" | "unauthorized" | "malformed";

/** Why a call could not be loaded, with the sentence the element shows. */
export class CallLoadError extends Error {
  override name = "CallLoadError";
  readonly kind: CallLoadErrorKind;
  readonly status: number | undefined;
  /** What to tell the user. */
  readonly userMessage: string;

  constructor(kind: CallLoadErrorKind, message: string, options: { status?: number; userMessage?: string; cause?: unknown } = {}) {
    super(message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.kind = kind;
    this.status = options.status;
    this.userMessage = options.userMessage ?? defaultUserMessage(kind, options.status);
  }
}

function defaultUserMessage(kind: CallLoadErrorKind, status: number | undefined): string {
  switch (kind) {
    case "unauthorized":
      return "Your session has ended. Sign in again to play this call's recordings.";
    case "malformed":
      return "The server's answer about this call's recordings could not be read.";
    case "status":
      return `The server could not list this call's recordings (error ${status ?? "unknown"}).`;
    case "network":
      return "This call's recordings could not be loaded: the server did not answer.";
  }
}

/** True for the rejection of an aborted load. */
export function isAbort(error: unknown): boolean {
  return (error instanceof DOMException || error instanceof Error) && error.name === "AbortError";
}

export interface ApiSourceOptions {
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
  /** Resolves `apiBase` and relative URLs (default: the page's address). */
  baseUrl?: string;
  /** Default "same-origin": the reference server's cookie session. */
  credentials?: RequestCredentials;
}

/** The API's base as an absolute URL ending in "/". */
export function resolveApiBase(apiBase: string, baseUrl: string | undefined = globalThis.location?.href): string {
  const url = new URL(apiBase || "/api", baseUrl);
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  url.search = "";
  url.hash = "";
  return url.href;
}

/** The reference server's API as a `CallSource`. */
export function apiCallSource(apiBase: string, options: ApiSourceOptions = {}): CallSource {
  const base = resolveApiBase(apiBase, options.baseUrl);
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  return {
    baseUrl: base,
    async getCall(callId, { signal }) {
      const url = new URL(`calls/${encodeURIComponent(callId)}`, base);
      let response: Response;
      try {
        response = await doFetch(url, { signal, credentials: options.credentials ?? "same-origin", headers: { accept: "application/json" } });
      } catch (error) {
        if (isAbort(error)) throw error;
        throw new CallLoadError("network", `GET ${url.pathname} failed: ${String(error)}`, { cause: error });
      }
      if (response.status === 404) return null;
      if (!response.ok) {
        const detail = await errorDetail(response);
        const kind = response.status === 401 ? "unauthorized" : "status";
        throw new CallLoadError(kind, `GET ${url.pathname} answered ${response.status}${detail ? `: ${detail}` : ""}`, { status: response.status });
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch (error) {
        if (isAbort(error)) throw error;
        throw new CallLoadError("malformed", `GET ${url.pathname}: the answer is not JSON`, { cause: error });
      }
      return body as CallPayload;
    },
  };
}

/** The `{"error": "..."}` of an error answer, if it has one (for logs, never shown as markup). */
async function errorDetail(response: Response): Promise<string> {
  try {
    const body: unknown = await response.json();
    const message = typeof body === "object" && body !== null ? (body as { error?: unknown }).error : undefined;
    return typeof message === "string" ? message.slice(0, 200) : "";
  } catch {
    // An error answer without a JSON body says enough through its status.
    return "";
  }
}

/**
 * Loads a call from a source and checks it: the call, `null` when the source knows no such
 * call, or a rejection with a `CallLoadError` (or the AbortError of an aborted load).
 */
export async function loadCall(source: CallSource, callId: string, signal: AbortSignal): Promise<CallDetails | null> {
  let payload: unknown;
  try {
    payload = await source.getCall(callId, { signal });
  } catch (error) {
    if (isAbort(error) || error instanceof CallLoadError) throw error;
    throw new CallLoadError("network", `loading call ${callId} failed: ${String(error)}`, { cause: error });
  }
  signal.throwIfAborted();
  if (payload === null || payload === undefined) return null;
  try {
    const call = parseCallPayload(payload, source.baseUrl ?? globalThis.location?.href);
    if (call.id !== callId) throw new ShapeError(`call.id: asked for "${callId.slice(0, 40)}", got "${call.id.slice(0, 40)}"`);
    return call;
  } catch (error) {
    if (error instanceof ShapeError) throw new CallLoadError("malformed", `call ${callId}: ${error.message}`, { cause: error });
    throw new CallLoadError("malformed", `call ${callId}: ${String(error)}`, { cause: error });
  }
}
