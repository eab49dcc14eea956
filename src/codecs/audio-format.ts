/**
 * What audio a file holds, judged from its first bytes alone, never from its name (a name is
 * only a hint, for the one format with no header: raw GSM). The server sets content types from
 * it, the extension accepts only audio answers for downloads with it, and the player chooses
 * between the browser's decoder and one of ours (`decoder`) with it.
 */

import type { FrameLayout } from "./frame-layout.js";

/**
 * Bytes worth reading from the start of a file to sniff it (64 suffice to recognise it).
 *
 * How many bytes it needs: 12 recognise every container, and 64 also read a WAV's `fmt ` chunk
 * when it comes first, as every common writer puts it (even WAVE_FORMAT_EXTENSIBLE ends at byte
 * 60), and see which codec an Ogg stream carries. The WAV `data` chunk's position is found when
 * its header lies within the bytes given: ffmpeg puts a `LIST` chunk before it (about byte 90),
 * Broadcast WAV a `bext` chunk of 600 bytes or more. Hence this: read that many
 * (or the whole file when shorter) and pass them all.
 */
export const SNIFF_BYTES = 4096;

/** The file extension for audio of each kind a download may be (the kinds `sniffAudioFormat` names). */
const AUDIO_EXTENSIONS: Record<string, string> = {
  wav: ".wav",
  mp3: ".mp3",
  aac: ".aac",
  ogg: ".ogg",
  flac: ".flac",
  webm: ".webm",
  mp4: ".m4a",
  "amr-nb": ".amr",
  "amr-wb": ".amr",
  au: ".au",
  gsm: ".gsm",
};

/** The extension a download of audio of `kind` is saved with, or null for what is not audio. */
export function audioExtension(kind: string): string | null {
  return Object.hasOwn(AUDIO_EXTENSIONS, kind) ? AUDIO_EXTENSIONS[kind]! : null;
}

/** Up to `count` bytes of a response's body; the rest is let go (a server may ignore Range). */
export async function readUpTo(response: Response, count: number): Promise<Uint8Array> {
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(await response.arrayBuffer()).slice(0, count);
  const out = new Uint8Array(count);
  let filled = 0;
  try {
    while (filled < count) {
      const { done, value } = await reader.read();
      if (done || !value) break;
      const take = Math.min(value.length, count - filled);
      out.set(value.subarray(0, take), filled);
      filled += take;
    }
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  return out.subarray(0, filled);
}

/** WAV format tags (mmreg.h) that this module names. */
export const WAVE_FORMAT = {
  PCM: 0x0001,
  MS_ADPCM: 0x0002,
  IEEE_FLOAT: 0x0003,
  ALAW: 0x0006,
  MULAW: 0x0007,
  IMA_ADPCM: 0x0011,
  G726_ADPCM: 0x0045,
  GSM610: 0x0031,
  MPEGLAYER3: 0x0055,
  /** Microsoft's registered tag for G.722 (mmreg.h). ffmpeg 5 reads it as G.726 and never writes it. */
  G722_ADPCM: 0x0065,
  /** The tag ffmpeg writes for G.722 (and reads). */
  G722_FFMPEG: 0x028f,
  EXTENSIBLE: 0xfffe,
} as const;

export type WavCodec = "pcm" | "float" | "alaw" | "mulaw" | "gsm610" | "g722" | "other";

/** A WAV's `fmt ` chunk, with WAVE_FORMAT_EXTENSIBLE resolved to its sub-format's tag. */
export interface WavFormat {
  formatTag: number;
  codec: WavCodec;
  channels: number;
  /** As declared. G.722 is always decoded at 16 kHz whatever a file declares. */
  sampleRate: number;
  byteRate: number;
  blockAlign: number;
  bitsPerSample: number;
  /** For GSM 6.10: samples per block from the chunk's extra field (320 in the WAV49 framing). */
  samplesPerBlock: number | null;
}

/** Decoders of ours that can play a recording the browser cannot. */
export type AudioDecoderId = "gsm610-wav49" | "gsm610-raw" | "g722";

interface Common {
  /** A human name for messages: "GSM 6.10 in WAV", "AMR-NB", "Ogg Opus". */
  name: string;
  /** The content type to serve it with. */
  contentType: string;
  /** Whether browsers (Chromium, Firefox) play it with an `<audio>` element as it is. */
  browserPlays: boolean;
  /** Our decoder for it when browsers do not play it and one of ours can; otherwise null. */
  decoder: AudioDecoderId | null;
}

export type SniffedAudio =
  | (Common & {
      kind: "wav";
      /** Null when the `fmt ` chunk is not within the given bytes (or is malformed). */
      format: WavFormat | null;
      /** Offset of the `data` chunk's payload, when its header is within the given bytes. */
      dataOffset: number | null;
      /** The data chunk's declared size (0 or 0xFFFFFFFF from writers that could not seek back: clamp to the file). */
      dataLength: number | null;
      /**
       * Samples per channel from the `fact` chunk, when it precedes the data: the exact length of
       * compressed audio, whose last block is padded (sox's GSM: 36000 samples in 113 blocks of 320).
       */
      factSamples: number | null;
    })
  | (Common & { kind: "mp3"; /** 1, 2 or 3; null when only an ID3 tag is visible. */ layer: 1 | 2 | 3 | null })
  | (Common & { kind: "aac" })
  | (Common & { kind: "ogg"; /** The first stream's codec, when its first packet is within the bytes. */ codec: "opus" | "vorbis" | "flac" | "speex" | null })
  | (Common & { kind: "flac" })
  | (Common & { kind: "webm" })
  | (Common & { kind: "mp4" })
  | (Common & { kind: "amr-nb" })
  | (Common & { kind: "amr-wb" })
  | (Common & { kind: "au" })
  | (Common & { kind: "gsm" })
  | (Common & { kind: "unknown" });

export type AudioKind = SniffedAudio["kind"];

/** Where the bytes came from: only raw GSM, which has no header, is recognised by this. */
export interface SniffHint {
  fileName?: string | null;
  contentType?: string | null;
}

const GSM_RAW_FRAME = 33;

function ascii(bytes: Uint8Array, at: number, text: string): boolean {
  if (at + text.length > bytes.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

function u16(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8);
}

function u32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

function result<K extends AudioKind>(
  kind: K,
  name: string,
  contentType: string,
  browserPlays: boolean,
  decoder: AudioDecoderId | null = null,
): Common & { kind: K } {
  return { kind, name, contentType, browserPlays, decoder };
}

function wavCodec(tag: number): WavCodec {
  switch (tag) {
    case WAVE_FORMAT.PCM:
      return "pcm";
    case WAVE_FORMAT.IEEE_FLOAT:
      return "float";
    case WAVE_FORMAT.ALAW:
      return "alaw";
    case WAVE_FORMAT.MULAW:
      return "mulaw";
    case WAVE_FORMAT.GSM610:
      return "gsm610";
    case WAVE_FORMAT.G722_ADPCM:
    case WAVE_FORMAT.G722_FFMPEG:
      return "g722";
    default:
      return "other";
  }
}

const OTHER_WAV_NAMES: Record<number, string> = {
  [WAVE_FORMAT.MS_ADPCM]: "Microsoft ADPCM in WAV",
  [WAVE_FORMAT.IMA_ADPCM]: "IMA ADPCM in WAV",
  [WAVE_FORMAT.G726_ADPCM]: "G.726 in WAV",
  [WAVE_FORMAT.MPEGLAYER3]: "MP3 in WAV",
};

function readFmt(bytes: Uint8Array, at: number, size: number): WavFormat | null {
  if (size < 16 || at + 16 > bytes.length) return null;
  let formatTag = u16(bytes, at);
  const bitsPerSample = u16(bytes, at + 14);
  const extra = size >= 18 && at + 18 <= bytes.length ? u16(bytes, at + 16) : 0;
  if (formatTag === WAVE_FORMAT.EXTENSIBLE) {
    // The sub-format GUID starts with the ordinary format tag.
    if (size < 40 || extra < 22 || at + 26 > bytes.length) return null;
    formatTag = u16(bytes, at + 24);
  }
  const codec = wavCodec(formatTag);
  const samplesPerBlock = codec === "gsm610" && extra >= 2 && at + 20 <= bytes.length ? u16(bytes, at + 18) : null;
  return {
    formatTag,
    codec,
    channels: u16(bytes, at + 2),
    sampleRate: u32(bytes, at + 4),
    byteRate: u32(bytes, at + 8),
    blockAlign: u16(bytes, at + 12),
    bitsPerSample,
    samplesPerBlock,
  };
}

function describeWav(format: WavFormat | null): Common {
  const wav = (name: string, browserPlays: boolean, decoder: AudioDecoderId | null = null) =>
    ({ name, contentType: "audio/wav", browserPlays, decoder });
  if (!format) return wav("WAV", false);
  const { codec, bitsPerSample: bits, channels, blockAlign } = format;
  switch (codec) {
    case "pcm":
      return wav(`${bits}-bit PCM in WAV`, [8, 16, 24, 32].includes(bits) && channels > 0);
    case "float":
      return wav(`${bits}-bit float in WAV`, bits === 32 && channels > 0);
    case "alaw":
      return wav("G.711 A-law in WAV", bits === 8 && channels > 0);
    case "mulaw":
      return wav("G.711 µ-law in WAV", bits === 8 && channels > 0);
    case "gsm610": {
      // Only the Microsoft framing (two frames in 65 bytes) is known to exist in WAV.
      const wav49 = channels === 1 && blockAlign === 65 && (format.samplesPerBlock ?? 320) === 320;
      return wav("GSM 6.10 in WAV", false, wav49 ? "gsm610-wav49" : null);
    }
    case "g722":
      return wav("G.722 in WAV", false, channels === 1 ? "g722" : null);
    default: {
      const hex = format.formatTag.toString(16).toUpperCase().padStart(4, "0");
      return wav(OTHER_WAV_NAMES[format.formatTag] ?? `WAV with format 0x${hex}`, false);
    }
  }
}

function sniffWav(bytes: Uint8Array): SniffedAudio {
  let format: WavFormat | null = null;
  let dataOffset: number | null = null;
  let dataLength: number | null = null;
  let factSamples: number | null = null;
  // Walk the chunks after "RIFF" size "WAVE"; each is id, size, payload padded to even length.
  let at = 12;
  while (at + 8 <= bytes.length) {
    const size = u32(bytes, at + 4);
    if (ascii(bytes, at, "fmt ") && !format) format = readFmt(bytes, at + 8, size);
    if (ascii(bytes, at, "fact") && size >= 4 && at + 12 <= bytes.length) factSamples = u32(bytes, at + 8);
    if (ascii(bytes, at, "data")) {
      dataOffset = at + 8;
      dataLength = size;
      break; // what follows the data is not needed, and a streamed data size may be bogus
    }
    at += 8 + size + (size & 1);
  }
  return { kind: "wav", ...describeWav(format), format, dataOffset, dataLength, factSamples };
}

/** MPEG audio frame header at `at`: returns the layer, or 0 when it is not one (or is ADTS AAC, layer bits 00: returns -1). */
function mpegLayer(bytes: Uint8Array, at: number): number {
  if (at + 4 > bytes.length) return 0;
  const b1 = bytes[at + 1]!;
  const b2 = bytes[at + 2]!;
  if (bytes[at] !== 0xff || (b1 & 0xe0) !== 0xe0) return 0;
  const version = (b1 >> 3) & 3;
  const layerBits = (b1 >> 1) & 3;
  if (layerBits === 0) return (b1 & 0xf6) === 0xf0 ? -1 : 0; // ADTS: MPEG-2/4, layer 00
  if (version === 1) return 0; // reserved
  if ((b2 >> 4) === 0xf || ((b2 >> 2) & 3) === 3) return 0; // bad bit rate or sample rate
  return 4 - layerBits;
}

function sniffMpeg(bytes: Uint8Array, at: number, afterId3: boolean): SniffedAudio | null {
  // After an ID3v2 tag anything unrecognised (the tag ends beyond the bytes given, or padding
  // follows it) is taken as MP3: the tag is MP3's, and ADTS AAC and FLAC are recognised first.
  const layer = mpegLayer(bytes, at);
  if (layer === -1) return result("aac", "AAC", "audio/aac", true);
  if (layer > 0) {
    const l = layer as 1 | 2 | 3;
    return { ...result("mp3", l === 3 ? "MP3" : `MPEG audio layer ${l === 1 ? "I" : "II"}`, "audio/mpeg", true), layer: l };
  }
  return afterId3 ? { ...result("mp3", "MP3", "audio/mpeg", true), layer: null } : null;
}

function sniffOgg(bytes: Uint8Array): SniffedAudio {
  // Page header: 27 bytes, then the segment table; the first packet follows it.
  let codec: "opus" | "vorbis" | "flac" | "speex" | null = null;
  if (bytes.length > 27) {
    const p = 27 + bytes[26]!;
    if (ascii(bytes, p, "OpusHead")) codec = "opus";
    else if (ascii(bytes, p, "\x01vorbis")) codec = "vorbis";
    else if (ascii(bytes, p, "\x7fFLAC")) codec = "flac";
    else if (ascii(bytes, p, "Speex   ")) codec = "speex";
  }
  switch (codec) {
    case "opus":
      return { ...result("ogg", "Ogg Opus", "audio/ogg", true), codec };
    case "vorbis":
      return { ...result("ogg", "Ogg Vorbis", "audio/ogg", true), codec };
    case "flac":
      return { ...result("ogg", "Ogg FLAC", "audio/ogg", true), codec };
    case "speex":
      return { ...result("ogg", "Ogg Speex", "audio/ogg", false), codec };
    default:
      return { ...result("ogg", "Ogg", "audio/ogg", true), codec };
  }
}

function hintedGsm(hint: SniffHint | undefined): boolean {
  const name = (hint?.fileName ?? "").toLowerCase();
  const type = (hint?.contentType ?? "").toLowerCase().split(";")[0]!.trim();
  return name.endsWith(".gsm") || type === "audio/gsm" || type === "audio/x-gsm";
}

/** Raw GSM has no header: every 33-byte frame starts with the nibble 0xD. Checks each frame start within the bytes. */
function looksLikeRawGsm(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  for (let at = 0; at < bytes.length; at += GSM_RAW_FRAME) if (bytes[at]! >> 4 !== 0xd) return false;
  return true;
}

/**
 * Recognise audio from a file's first bytes (see {@link SNIFF_BYTES}). Never throws; anything
 * not recognised, including too few bytes, is `kind: "unknown"`, served as
 * `application/octet-stream`.
 */
export function sniffAudioFormat(bytes: Uint8Array, hint?: SniffHint): SniffedAudio {
  if (ascii(bytes, 0, "RIFF") && ascii(bytes, 8, "WAVE")) return sniffWav(bytes);
  if (ascii(bytes, 0, "OggS")) return sniffOgg(bytes);
  if (ascii(bytes, 0, "fLaC")) return result("flac", "FLAC", "audio/flac", true);
  if (ascii(bytes, 0, "#!AMR-WB\n")) return result("amr-wb", "AMR-WB", "audio/amr-wb", false);
  if (ascii(bytes, 0, "#!AMR\n")) return result("amr-nb", "AMR-NB", "audio/amr", false);
  if (ascii(bytes, 0, ".snd")) return result("au", "Sun/NeXT audio", "audio/basic", false);
  if (ascii(bytes, 4, "ftyp")) return result("mp4", "MP4 audio", "audio/mp4", true);
  if (bytes.length >= 4 && u32(bytes, 0) === 0xa3df451a) return result("webm", "WebM", "audio/webm", true);
  if (ascii(bytes, 0, "ID3") && bytes.length >= 10) {
    // ID3v2: a 10-byte header whose size is 4 bytes of 7 bits each; a footer adds 10 more.
    const size = ((bytes[6]! & 0x7f) << 21) | ((bytes[7]! & 0x7f) << 14) | ((bytes[8]! & 0x7f) << 7) | (bytes[9]! & 0x7f);
    const end = 10 + size + (bytes[5]! & 0x10 ? 10 : 0);
    if (ascii(bytes, end, "fLaC")) return result("flac", "FLAC", "audio/flac", true);
    return sniffMpeg(bytes, end, true)!;
  }
  const mpeg = sniffMpeg(bytes, 0, false);
  if (mpeg) return mpeg;
  if (hintedGsm(hint) && looksLikeRawGsm(bytes)) return result("gsm", "GSM 6.10", "audio/gsm", false, "gsm610-raw");
  return result("unknown", "an unknown format", "application/octet-stream", false);
}

/**
 * The content type to announce a recording with where a player chooses how to play it before
 * fetching it (the API's `contentType`): the sniffed one, with RFC 2361's `codec` parameter
 * (the WAV format tag in hex) for a WAV the browsers do not decode, so a player can hand it to
 * our decoders at once: `audio/wav; codec=31` for GSM 6.10, `audio/wav; codec=28f` for G.722.
 */
export function announcedContentType(sniffed: SniffedAudio): string {
  if (sniffed.kind === "wav" && sniffed.format && !sniffed.browserPlays) return `${sniffed.contentType}; codec=${sniffed.format.formatTag.toString(16)}`;
  return sniffed.contentType;
}

/** WAV format tags (hex, as in {@link announcedContentType}) our decoders play. */
export const DECODED_WAV_CODECS: readonly string[] = [WAVE_FORMAT.GSM610, WAVE_FORMAT.G722_ADPCM, WAVE_FORMAT.G722_FFMPEG].map((tag) => tag.toString(16));

/**
 * The fixed-size block layout of a sniffed recording, for mapping times to byte offsets
 * (see frame-layout.ts): PCM, float and G.711 WAV, GSM 6.10 in both framings and G.722.
 * Null for everything else, and for a WAV whose data chunk was not within the sniffed bytes.
 */
export function frameLayoutOf(sniffed: SniffedAudio): FrameLayout | null {
  if (sniffed.kind === "gsm") return { dataOffset: 0, dataLength: null, blockBytes: GSM_RAW_FRAME, blockSamples: 160, sampleRate: 8000 };
  if (sniffed.kind !== "wav" || !sniffed.format || sniffed.dataOffset === null) return null;
  const { format, dataOffset } = sniffed;
  // Writers that stream leave the size at 0 or 0xFFFFFFFF: unknown rather than zero.
  const dataLength = sniffed.dataLength && sniffed.dataLength !== 0xffffffff ? sniffed.dataLength : null;
  switch (format.codec) {
    case "gsm610":
      return sniffed.decoder ? { dataOffset, dataLength, blockBytes: 65, blockSamples: 320, sampleRate: 8000 } : null;
    case "g722":
      return sniffed.decoder ? { dataOffset, dataLength, blockBytes: 1, blockSamples: 2, sampleRate: 16000 } : null;
    case "pcm":
    case "float":
    case "alaw":
    case "mulaw":
      return format.blockAlign > 0 && format.sampleRate > 0
        ? { dataOffset, dataLength, blockBytes: format.blockAlign, blockSamples: 1, sampleRate: format.sampleRate }
        : null;
    default:
      return null;
  }
}
