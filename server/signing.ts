/**
 * Short-lived signed URLs for audio, downloads and peaks. They work without the session cookie (an
 * extension's background context streams them) and name the user they were issued to, whose
 * permission is checked again on every request.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Db } from "./db.js";
import { getMeta, setMeta } from "./db.js";

export type SignedPurpose = "audio" | "download" | "peaks";

/** How long a signed URL works, in seconds. */
export const URL_LIFETIME: Record<SignedPurpose, number> = { audio: 15 * 60, download: 5 * 60, peaks: 15 * 60 };

/** The server's signing secret, generated on first start and kept in the database. */
export function signingSecret(db: Db): Buffer {
  let hex = getMeta(db, "signing_secret");
  if (!hex) {
    hex = randomBytes(32).toString("hex");
    setMeta(db, "signing_secret", hex);
  }
  return Buffer.from(hex, "hex");
}

function mac(secret: Buffer, purpose: SignedPurpose, recordingId: string, userId: string, expires: number): string {
  return createHmac("sha256", secret).update(`${purpose}\n${recordingId}\n${userId}\n${expires}`).digest("base64url");
}

/** The query string (`u`, `exp`, `sig`) for a signed URL. */
export function signQuery(secret: Buffer, purpose: SignedPurpose, recordingId: string, userId: string, now = Date.now()): string {
  const expires = Math.floor(now / 1000) + URL_LIFETIME[purpose];
  const sig = mac(secret, purpose, recordingId, userId, expires);
  return new URLSearchParams({ u: userId, exp: String(expires), sig }).toString();
}

export type SignatureCheck = { ok: true; userId: string } | { ok: false; reason: "missing" | "expired" | "invalid" };

/** Checks a signed URL's query for this recording and purpose. */
export function verifySignature(
  secret: Buffer,
  purpose: SignedPurpose,
  recordingId: string,
  query: { u?: string | undefined; exp?: string | undefined; sig?: string | undefined },
  now = Date.now(),
): SignatureCheck {
  const { u, exp, sig } = query;
  if (!u || !exp || !sig) return { ok: false, reason: "missing" };
  if (!/^\d{1,12}$/.test(exp)) return { ok: false, reason: "invalid" };
  const expected = Buffer.from(mac(secret, purpose, recordingId, u, Number(exp)));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "invalid" };
  if (Number(exp) * 1000 <= now) return { ok: false, reason: "expired" };
  return { ok: true, userId: u };
}
