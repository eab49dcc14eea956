/**
 * The audio and download endpoints behind signed URLs: the signature, then the permission of
 * the user it was issued to (read afresh), then the bytes, with HTTP ranges done right.
 */
import { createHash } from "node:crypto";
import { Hono, type Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { mayPlayCallSeq, loadAccount, type Account } from "./access.js";
import { GENERATOR_VERSION, contentType, wavSize, wavStream } from "./audio.js";
import { getCall, recordingAudio } from "./calls.js";
import type { Db } from "./db.js";
import { parseRange } from "./http-range.js";
import { verifySignature, type SignedPurpose } from "./signing.js";
import { recordAudit } from "./audit.js";
import { handleError } from "./errors.js";
import { openRecordingFile, RecordingFileError, type OpenedRecordingFile } from "./recording-files.js";

/**
 * A player asks for many ranges in one listen (the start, then after every seek): requests by
 * the same user for the same recording and purpose within this many minutes of the entry they
 * would repeat are one entry.
 */
export const AUDIT_MERGE_MINUTES = 10;

export interface AudioRoutesOptions {
  db: Db;
  secret: Buffer;
}

/**
 * Content-Disposition for a download, with an ASCII fallback and the UTF-8 name (RFC 6266).
 * Whatever the name holds, the header stays one header: the fallback keeps printable ASCII
 * without quotes or path separators, and the UTF-8 name is percent-encoded down to RFC 5987's
 * attr-chars (`encodeURIComponent` leaves `'`, `(`, `)` and `*`, which end the value early in
 * a strict parser).
 */
export function attachmentHeader(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\/]/g, "_");
  const extended = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${extended}`;
}

/**
 * The recording a signed URL names and the user it was signed for, who may still play it: a
 * tampered, unsigned or expired URL is refused with 403, and a recording that is gone or that the
 * user may no longer play with 404. Permission is checked now, not only when the URL was signed:
 * a revoked scope stops at once.
 */
export function signedRecording(c: Context, db: Db, secret: Buffer, purpose: SignedPurpose, id: string): { spec: NonNullable<ReturnType<typeof recordingAudio>>; account: Account } {
  const check = verifySignature(secret, purpose, id, { u: c.req.query("u"), exp: c.req.query("exp"), sig: c.req.query("sig") });
  if (!check.ok) {
    const message =
      check.reason === "expired" ? "this link has expired; reload the call to get a new one" : check.reason === "missing" ? "this link is not signed" : "this link's signature is not valid";
    throw new HTTPException(403, { message });
  }
  const spec = recordingAudio(db, id);
  const account = loadAccount(db, check.userId);
  if (!spec || !account || !mayPlayCallSeq(db, account, spec.callSeq)) {
    throw new HTTPException(404, { message: "no such recording" });
  }
  return { spec, account };
}

/** Routes under /api/recordings/:id/{audio,download}. */
export function audioRoutes({ db, secret }: AudioRoutesOptions): Hono {
  const app = new Hono();
  app.onError(handleError);

  const serve = (purpose: SignedPurpose) =>
    app.on(["GET", "HEAD"], `/:id/${purpose}`, async (c) => {
      const id = c.req.param("id");
      const { spec, account } = signedRecording(c, db, secret, purpose, id);
      // A recording kept as a file is read from disk as it is now: its size, and its type from its header.
      let file: OpenedRecordingFile | null = null;
      if (spec.file !== null) {
        try {
          file = await openRecordingFile(spec.file);
        } catch (error) {
          if (!(error instanceof RecordingFileError)) throw error;
          console.error(`recording ${id}: ${error.message}: ${spec.file}`);
          throw new HTTPException(error.missing ? 404 : 500, { message: error.missing ? "the recording's file is missing on the server" : "the recording's file cannot be read on the server" });
        }
      }
      const size = file ? file.size : wavSize(spec);
      const version = file ? `file:${file.version}` : `${GENERATOR_VERSION}:${spec.format}:${spec.samples}:${spec.seed}:${spec.voice}`;
      const etag = `"${createHash("sha256").update(`${id}:${version}`).digest("base64url").slice(0, 22)}"`;
      const headers = new Headers({
        "Content-Type": file ? file.contentType : contentType(spec.format),
        "Accept-Ranges": "bytes",
        ETag: etag,
        // Not kept: whether these bytes may be heard is decided afresh on every request, and a
        // cached copy would play on after the user's access was revoked or they signed out.
        "Cache-Control": "private, no-store, no-transform",
        "X-Content-Type-Options": "nosniff",
      });
      if (purpose === "download") {
        const call = getCall(db, account, spec.callId);
        const fileName = call?.recordings.find((r) => r.id === id)?.fileName ?? `${id}.wav`;
        headers.set("Content-Disposition", attachmentHeader(fileName));
      }
      // Every GET that is answered with the recording (any range, or a 304 for a copy the client
      // already has) is a listen or a download: the log must not depend on which bytes were asked for.
      const audit = () => {
        if (c.req.method !== "GET") return;
        recordAudit(db, { actor: account.id, action: purpose === "download" ? "download" : "play", subject: id, detail: `call ${spec.callId}` }, { dedupeSeconds: AUDIT_MERGE_MINUTES * 60 });
      };
      if (c.req.header("if-none-match") === etag) {
        await file?.close();
        audit();
        return new Response(null, { status: 304, headers });
      }

      const ifRange = c.req.header("if-range");
      const range = ifRange !== undefined && ifRange !== etag ? { kind: "whole" as const } : parseRange(c.req.header("range"), size);
      if (range.kind === "unsatisfiable") {
        await file?.close();
        headers.set("Content-Range", `bytes */${size}`);
        headers.set("Content-Type", "application/json");
        return new Response(JSON.stringify({ error: `range "${c.req.header("range")}" cannot be satisfied: the recording has ${size} bytes` }), {
          status: 416,
          headers,
        });
      }
      const [start, end] = range.kind === "partial" ? [range.start, range.end] : [0, size - 1];
      audit();
      headers.set("Content-Length", String(end - start + 1));
      if (range.kind === "partial") headers.set("Content-Range", `bytes ${start}-${end}/${size}`);
      const status = range.kind === "partial" ? 206 : 200;
      if (c.req.method === "HEAD" || size === 0) {
        await file?.close();
        return new Response(null, { status, headers });
      }
      return new Response(file ? file.stream(start, end) : wavStream(spec, start, end), { status, headers });
    });

  serve("audio");
  serve("download");
  return app;
}
