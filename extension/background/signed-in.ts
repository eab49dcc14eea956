/**
 * Who is signed in on a reporting site, asked of the site itself (`GET {apiBase}/me` with its
 * cookies), so that what plays stays with the person who started it on a shared browser.
 */

export type SignedIn = { kind: "user"; id: string } | { kind: "nobody" } | { kind: "unknown" };

/** Asks the site; "unknown" when it cannot say (no such endpoint, a failure, no answer). */
export async function whoIsSignedIn(apiBase: string, fetchImpl: typeof fetch = fetch): Promise<SignedIn> {
  let response: Response;
  try {
    const url = new URL("me", apiBase.endsWith("/") ? apiBase : `${apiBase}/`);
    response = await fetchImpl(url, { credentials: "include", cache: "no-store", headers: { accept: "application/json" }, signal: AbortSignal.timeout(10_000) });
  } catch {
    return { kind: "unknown" };
  }
  if (response.status === 401 || response.status === 403) return { kind: "nobody" };
  if (!response.ok) return { kind: "unknown" };
  try {
    const body: unknown = await response.json();
    const id = typeof body === "object" && body !== null ? (body as { id?: unknown }).id : undefined;
    return typeof id === "string" && id.length > 0 && id.length <= 200 ? { kind: "user", id } : { kind: "unknown" };
  } catch {
    return { kind: "unknown" };
  }
}

/** Whether what `owner` started must stop, now that the site says `now` is signed in. */
export function ownerLeft(owner: string | null | undefined, now: SignedIn): boolean {
  if (now.kind === "nobody") return true;
  if (now.kind === "user") return owner != null && owner !== now.id;
  return false;
}
