/**
 * The file name a download is saved under: the server's readable name from `Content-Disposition`
 * (RFC 6266: `filename*` in UTF-8 preferred over the plain `filename`), made safe for every
 * operating system's file system and for the browsers' download APIs, which refuse names with
 * path separators, reserved characters or leading dots.
 */

/** Which extension each kind of audio takes: one table, shared with the server (src/codecs). */
export { audioExtension } from "../codecs/audio-format.js";

/** The name a Content-Disposition header gives, or null. */
export function fileNameFromDisposition(header: string | null | undefined): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*([^;]+)/i.exec(header);
  if (extended) {
    const value = extended[1]!.trim().replace(/^"(.*)"$/, "$1");
    const match = /^([\w-]+)'[^']*'(.*)$/.exec(value);
    if (match) {
      try {
        const decoded = decodeURIComponent(match[2]!);
        if (decoded) return decoded;
      } catch {
        // A malformed extended name: fall back to the plain one.
      }
    }
  }
  const plain = /filename\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]+)/i.exec(header);
  if (!plain) return null;
  const value = plain[2] !== undefined ? plain[2].replace(/\\(.)/g, "$1") : plain[1]!.trim();
  return value || null;
}

/** A name safe to save under: no folders, no reserved characters, not hidden, not too long. */
export function safeFileName(name: string, fallback = "recording.wav"): string {
  let safe = [...name]
    .map((c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f || '\\/:*?"<>|'.includes(c) ? "_" : c))
    .join("")
    // Invisible format characters: bidi isolates from the titles, and overrides that would
    // show "evil\u202Efdp.exe" as "evilexe.pdf". The browsers' download APIs refuse some of them.
    .replace(/\p{Cf}/gu, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^[.\s]+|[.\s]+$/g, "");
  if (safe.length > 180) {
    const dot = safe.lastIndexOf(".");
    const ext = dot > 0 && safe.length - dot <= 8 ? safe.slice(dot) : "";
    safe = safe.slice(0, 180 - ext.length).trim() + ext;
  }
  return safe || fallback;
}


/**
 * A safe name that ends as the audio it holds: whatever extension the server gave
 * (`invoice.pdf.exe`) is replaced with the audio's own (`invoice.pdf.wav`), so a saved
 * recording never opens as anything else.
 */
export function audioFileName(name: string, extension: string, fallback = "recording"): string {
  const safe = safeFileName(name, `${fallback}${extension}`);
  const dot = safe.lastIndexOf(".");
  const stem = dot > 0 && safe.length - dot <= 8 ? safe.slice(0, dot) : safe;
  return safeFileName(`${stem.trim() || fallback}${extension}`, `${fallback}${extension}`);
}
