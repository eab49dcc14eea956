/**
 * Whether a recording's announced content type (the API's `contentType`) is one that nothing
 * here plays: neither the browsers' media element nor our decoders. Lists offer such a recording
 * as a download rather than a Play button that could only fail. Unknown or absent types are
 * tried: only a type known to be unplayable answers true. Pure: no DOM.
 */
import { DECODED_WAV_CODECS, WAVE_FORMAT } from "./audio-format.js";

const WAV_TYPES = new Set(["audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave"]);
/** WAV format tags (hex) Chromium and Firefox play: PCM, float, A-law, µ-law (and EXTENSIBLE, which wraps them). */
const BROWSER_WAV_CODECS = new Set(
  [WAVE_FORMAT.PCM, WAVE_FORMAT.IEEE_FLOAT, WAVE_FORMAT.ALAW, WAVE_FORMAT.MULAW, WAVE_FORMAT.EXTENSIBLE].map((tag) => tag.toString(16)),
);
/** Raw GSM 6.10, which our decoder plays. */
const DECODED_TYPES = new Set(["audio/gsm", "audio/x-gsm"]);
/** What Chromium and Firefox play with an `<audio>` element (checked in docs/platform-notes.md or common to both). */
const BROWSER_TYPES = new Set([
  "audio/mpeg",
  "audio/mp3",
  "audio/ogg",
  "audio/opus",
  "audio/webm",
  "audio/flac",
  "audio/x-flac",
  "audio/aac",
  "audio/mp4",
  "audio/x-m4a",
  "application/ogg",
  "video/ogg",
  "video/webm",
  "video/mp4",
]);
/** Types that say nothing about the format: the player finds out from the bytes. */
const UNKNOWN_TYPES = new Set(["", "application/octet-stream", "binary/octet-stream", "audio/*"]);

/** RFC 2361's `codec` (or `codecs`) parameter of a WAV type, as lower-case hex without leading zeros. */
function wavCodec(type: string): string | null {
  const m = /;\s*codecs?\s*=\s*"?(?:0x)?([0-9a-f]{1,4})"?\s*(?:;|$)/i.exec(type);
  return m ? parseInt(m[1]!, 16).toString(16) : null;
}

/**
 * True when `contentType` names audio nothing here plays (`audio/amr`, `audio/basic`, a WAV of
 * Microsoft ADPCM: `audio/wav; codec=2`). `canPlayType` (the media element's) decides types
 * outside the tables above; without it, such a type counts as unplayable.
 */
export function nothingHerePlays(contentType: string | null | undefined, canPlayType?: (type: string) => string): boolean {
  const type = (contentType ?? "").trim().toLowerCase();
  const base = type.split(";")[0]!.trim();
  if (UNKNOWN_TYPES.has(base)) return false;
  if (WAV_TYPES.has(base)) {
    const codec = wavCodec(type);
    return codec !== null && !BROWSER_WAV_CODECS.has(codec) && !DECODED_WAV_CODECS.includes(codec);
  }
  if (DECODED_TYPES.has(base) || BROWSER_TYPES.has(base)) return false;
  try {
    return canPlayType ? canPlayType(type) === "" : true;
  } catch {
    return true;
  }
}
