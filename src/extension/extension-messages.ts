/**
 * The companion extension's one messaging contract, shared by every context: the requests the
 * background answers (from pages' content scripts, the popup, the options page and the offscreen
 * audio document), who may send each, their answers, the page channel between the page's world
 * and the content script, and the messages to the audio context. Every message is checked by
 * shape on arrival (closed objects, bounded strings and lists) and by sender (see `SENDERS`);
 * URLs in it must also be on an enabled reporting origin (see `requestUrls`).
 */
import {
  array,
  boolean,
  lazy,
  literal,
  nullable,
  number,
  object,
  oneOf,
  optional,
  string,
  tagged,
  type Infer,
  type Shape,
  ShapeError,
} from "../shape.js";
import type { AudioTarget, PlaybackSession, PlaybackState } from "./background-playback-state.js";
import type { ProfileTryResult, SiteSummary } from "./site-settings.js";

// ---- pieces ------------------------------------------------------------------------------

/** The longest custom site profile, as JSON text, a message may carry. */
export const MAX_PROFILE_JSON = 100_000;

/** The longest name (a call's or a recording's) a message may carry. */
export const MAX_TITLE = 500;

const url = string({ min: 1, max: 4096 });
const id = string({ min: 1, max: 200 });
const title = string({ max: MAX_TITLE });
const seconds = number({ min: 0, max: 60 * 60 * 24 });
const ERROR_KINDS = ["network", "expired", "not-found", "forbidden", "unsupported", "unknown"] as const;

// Made on first use (`lazy`): the content scripts load this module on every page of a site.
const recordingShape = lazy(() => object({
  id,
  src: url,
  downloadUrl: optional(url),
  title,
  durationSeconds: optional(seconds),
  contentType: optional(string({ max: 200 })),
  /** Who a two-channel recording's channels hold, left then right ("Agent: Alice Jones"). */
  channels: optional(array(string({ min: 1, max: 500 }), { max: 8 })),
  /** Its peaks (audiowaveform JSON): the background finds the silences skip silence jumps over. */
  peaksUrl: optional(url),
}));

/** The gain of each channel of a two-channel recording (src/player/channel-mix.ts). */
const channelMixShape = lazy(() => object({ left: number({ min: 0, max: 1 }), right: number({ min: 0, max: 1 }) }));

/** A call and its recordings as a page hands them over (the origin is the sender's). */
const sessionInputShape = lazy(() => object({
  callId: id,
  callTitle: title,
  sessionUrl: url,
  apiBase: url,
  recordings: array(recordingShape, { min: 1, max: 200 }),
}));
export type SessionInput = Infer<typeof sessionInputShape>;

const audioReportShape = lazy(() => object({
  cue: number({ min: 0, integer: true }),
  event: oneOf("state", "ended", "error"),
  cause: optional(string({ max: 40 })),
  position: seconds,
  duration: nullable(seconds),
  paused: boolean,
  waiting: boolean,
  hasMetadata: boolean,
  error: optional(object({ kind: oneOf(...ERROR_KINDS), message: string({ max: 2000 }), status: optional(number({ integer: true, min: 0, max: 999 })) })),
}));

// ---- requests to the background ----------------------------------------------------------

const requestShapes = () => ({
  /** Load recording `index` of a call at `startAt` seconds (and play it when `play`). */
  "player/load": object({ type: literal("player/load"), session: sessionInputShape, index: number({ min: 0, max: 199, integer: true }), startAt: seconds, play: optional(boolean) }),
  "player/play": object({ type: literal("player/play") }),
  "player/pause": object({ type: literal("player/pause") }),
  "player/toggle": object({ type: literal("player/toggle") }),
  /** Jump within the current recording. */
  "player/seek": object({ type: literal("player/seek"), seconds }),
  /** Move by some seconds (negative: back). */
  "player/skip": object({ type: literal("player/skip"), seconds: number({ min: -3600, max: 3600 }) }),
  /** Another recording of the playing call. */
  "player/select": object({ type: literal("player/select"), index: number({ min: 0, max: 199, integer: true }), startAt: seconds, play: boolean }),
  "player/volume": object({ type: literal("player/volume"), volume: number({ min: 0, max: 1 }) }),
  "player/muted": object({ type: literal("player/muted"), muted: boolean }),
  "player/rate": object({ type: literal("player/rate"), rate: number({ min: 0.25, max: 4 }) }),
  /** A two-channel recording's mix: one party alone, or a balance between them. */
  "player/channels": object({ type: literal("player/channels"), mix: channelMixShape }),
  /** Skip silences over 2 s of recordings with peaks (the background skips, for every page). */
  "player/skip-silence": object({ type: literal("player/skip-silence"), on: boolean }),
  /** Fresher signed URLs for recordings of the playing call. */
  "player/urls": object({ type: literal("player/urls"), updates: array(object({ id, src: url, downloadUrl: optional(url) }), { min: 1, max: 200 }) }),
  /** Stop and forget what plays. */
  "player/close": object({ type: literal("player/close") }),
  /** Open (or focus) the playing call's Call Session view. */
  "player/open-session": object({ type: literal("player/open-session") }),
  /** Save a recording of the playing call under its readable name. */
  "player/download": object({ type: literal("player/download"), recordingId: id }),
  "state/get": object({ type: literal("state/get") }),
  /** A page of the site loaded: the background asks the site whether the same person is signed in. */
  "session/verify": object({ type: literal("session/verify") }),
  /** The page's user is signing out (its sign-out URL was followed). */
  "session/signed-out": object({ type: literal("session/signed-out") }),
  "origins/get": object({ type: literal("origins/get") }),
  /** Enable a reporting origin (its host permission was granted in the options page). */
  "origins/add": object({ type: literal("origins/add"), origin: url }),
  "origins/remove": object({ type: literal("origins/remove"), origin: url }),
  /** The options page: every enabled site with its profile and page-media setting (site-settings.ts). */
  "sites/get": object({ type: literal("sites/get") }),
  /** The options page saves a site's setting; a custom profile comes as its JSON text and is checked whole. */
  "sites/set": object({
    type: literal("sites/set"),
    origin: url,
    setting: object({ profile: string({ min: 1, max: 100 }), customProfile: optional(string({ min: 1, max: MAX_PROFILE_JSON })), carryPageMedia: optional(boolean) }),
  }),
  /** The options page tries a profile choice (the unsaved custom JSON, when custom) on the site's most recently used tab. */
  "site/try": object({ type: literal("site/try"), origin: url, profile: string({ min: 1, max: 100 }), customProfile: optional(string({ min: 1, max: MAX_PROFILE_JSON })) }),
  /** A page is about to play (it has players of its own, or the user pressed on it): have the audio context ready. */
  "player/warm": object({ type: literal("player/warm") }),
  /** The page needs the elements (a call to show, or an element of ours on it): the background injects the components into its world. */
  "page/components": object({ type: literal("page/components") }),
  /** The audio context started and wants to know what to do. */
  "audio/ready": object({ type: literal("audio/ready") }),
  "audio/report": object({ type: literal("audio/report"), report: audioReportShape }),
}) satisfies Record<string, Shape<{ type: string }>>;

export type RequestType = keyof ReturnType<typeof requestShapes>;
export type RequestOf<K extends RequestType> = Infer<ReturnType<typeof requestShapes>[K]>;
export type BackgroundRequest = RequestOf<RequestType>;

/** Checks a request's shape; throws a ShapeError naming the problem. */
export const backgroundRequest: Shape<BackgroundRequest> = lazy(() => tagged(requestShapes()));

/** The origins list the options page shows. */
export interface OriginsAnswer {
  /** Always enabled: the reference server as `npm start` serves it (127.0.0.1:8787, localhost:8787). */
  builtIn: string[];
  /** Added by the user, each with its host permission. */
  user: string[];
}

/** What the options page shows of the sites (`sites/get`, `sites/set`). */
export interface SitesAnswer {
  /** Every enabled site that names one origin (built in, added, or enabled by policy), by origin. */
  sites: Record<string, SiteSummary>;
  /** Origins browser policy enables: set by the organization, not removable; each works once the browser grants access to it. */
  managedOrigins: { origin: string; granted: boolean }[];
  /** The built-in profiles a site may be read with, in the order they are tried. */
  builtInProfiles: { id: string; name: string }[];
}

/** What `site/try` found: the tab it tried, and what the profile matched there; no tab when none of the site is open. */
export type TryAnswer = { tab: null } | { tab: { title: string; url: string }; result: ProfileTryResult };

/** What each request answers. */
export interface Answers {
  "player/load": PlaybackState;
  "player/play": PlaybackState;
  "player/pause": PlaybackState;
  "player/toggle": PlaybackState;
  "player/seek": PlaybackState;
  "player/skip": PlaybackState;
  "player/select": PlaybackState;
  "player/volume": PlaybackState;
  "player/muted": PlaybackState;
  "player/rate": PlaybackState;
  "player/channels": PlaybackState;
  "player/skip-silence": PlaybackState;
  "player/urls": PlaybackState;
  "player/close": PlaybackState;
  "player/open-session": null;
  "player/download": null;
  "state/get": PlaybackState;
  "session/verify": null;
  "session/signed-out": null;
  "origins/get": OriginsAnswer;
  "origins/add": OriginsAnswer;
  "origins/remove": OriginsAnswer;
  "sites/get": SitesAnswer;
  "sites/set": SitesAnswer;
  "site/try": TryAnswer;
  "player/warm": null;
  "page/components": null;
  "audio/ready": AudioTarget;
  "audio/report": null;
}

// ---- who may send what ---------------------------------------------------------------------

/**
 * Where a message came from, as the background establishes it from the browser's sender
 * record: a content script in a tab of an enabled reporting origin, or one of our own pages.
 */
export type SenderKind = "page" | "popup" | "options" | "offscreen";

const PLAYER: readonly SenderKind[] = ["page", "popup"];

/** Which senders may send each request; anything else is refused. */
export const SENDERS: Record<RequestType, readonly SenderKind[]> = {
  "player/load": ["page"],
  "player/play": PLAYER,
  "player/pause": PLAYER,
  "player/toggle": PLAYER,
  "player/seek": PLAYER,
  "player/skip": PLAYER,
  "player/select": PLAYER,
  "player/volume": PLAYER,
  "player/muted": PLAYER,
  "player/rate": PLAYER,
  "player/channels": PLAYER,
  "player/skip-silence": PLAYER,
  "player/urls": PLAYER,
  "player/close": PLAYER,
  "player/open-session": PLAYER,
  "player/download": PLAYER,
  "state/get": PLAYER,
  "session/verify": ["page"],
  "session/signed-out": ["page"],
  "origins/get": ["options", "popup"],
  "origins/add": ["options"],
  "origins/remove": ["options"],
  "sites/get": ["options"],
  "sites/set": ["options"],
  "site/try": ["options"],
  "player/warm": ["page"],
  "page/components": ["page"],
  "audio/ready": ["offscreen"],
  "audio/report": ["offscreen"],
};

/** The parts of the browser's sender record the check needs. */
export interface SenderFacts {
  /** The sending extension's id. */
  id?: string;
  /** The sending document's URL. */
  url?: string;
  /** Whether it came from a tab (a content script). */
  fromTab: boolean;
  /** Chrome sends the document's origin too. */
  origin?: string;
}

/** What the background knows about itself. */
export interface SelfFacts {
  id: string;
  /** URLs of our own pages. */
  popupUrl: string;
  optionsUrl: string;
  offscreenUrl: string;
}

const pathOf = (href: string): string | null => {
  try {
    const u = new URL(href);
    return `${u.origin}${u.pathname}`;
  } catch {
    return null;
  }
};

/**
 * Establishes who sent a message: ours (`sender.id`), and then one of our pages (by its
 * address) or a content script in a tab of an enabled reporting origin. Null for anyone else.
 */
export function classifySender(sender: SenderFacts, self: SelfFacts, isEnabledOrigin: (origin: string) => boolean): SenderKind | null {
  if (sender.id !== self.id || sender.url === undefined) return null;
  const at = pathOf(sender.url);
  if (at === null) return null;
  // Our own pages, wherever they are shown (the options page opens in a tab, so may the popup).
  if (at === pathOf(self.popupUrl)) return "popup";
  if (at === pathOf(self.optionsUrl)) return "options";
  if (at === pathOf(self.offscreenUrl)) return "offscreen";
  if (sender.fromTab) {
    let origin: string;
    try {
      origin = new URL(sender.url).origin;
    } catch {
      return null;
    }
    if (sender.origin !== undefined && sender.origin !== origin) return null;
    return isEnabledOrigin(origin) ? "page" : null;
  }
  return null;
}

/** Every URL a request carries: each must be on an enabled reporting origin. */
export function requestUrls(req: BackgroundRequest): string[] {
  switch (req.type) {
    case "player/load": {
      const s = req.session;
      return [s.sessionUrl, s.apiBase, ...s.recordings.flatMap((r) => [r.src, ...(r.downloadUrl ? [r.downloadUrl] : []), ...(r.peaksUrl ? [r.peaksUrl] : [])])];
    }
    case "player/urls":
      return req.updates.flatMap((u) => (u.downloadUrl ? [u.src, u.downloadUrl] : [u.src]));
    default:
      return [];
  }
}

/** A page's session with the origin it came from and who was signed in there. */
export function sessionFrom(input: SessionInput, origin: string, owner: string | null = null): PlaybackSession {
  return { origin, ...input, owner };
}

// ---- answers, errors -----------------------------------------------------------------------

export interface SerializedError {
  name: string;
  message: string;
}

export type Reply<T> = { ok: true; value: T } | { ok: false; error: SerializedError };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: "Error", message: String(error) };
}

/** An error that happened in another context, rethrown here with the original as `cause`. */
export class RemoteError extends Error {
  override name = "RemoteError";
  constructor(readonly remote: SerializedError, context: string) {
    super(`${context}: ${remote.message}`, { cause: remote });
  }
}

const replyShape = lazy(() => object({
  ok: boolean,
  value: optional((v: unknown) => v),
  error: optional(object({ name: string({ max: 200 }), message: string({ max: 4000 }) })),
}));

/** Unwraps a reply, throwing a RemoteError for a failure or a malformed reply. */
export function unwrapReply<T>(reply: unknown, context: string): T {
  const r = replyShape(reply, "reply");
  if (r.ok) return r.value as T;
  throw new RemoteError(r.error ?? { name: "Error", message: "failed without saying why" }, context);
}

// ---- the page channel ---------------------------------------------------------------------

/**
 * The page's world (where the components live) and the content script talk over a
 * MessageChannel whose port the content script hands over before any page script runs. The
 * handshake is a window message of this shape carrying the port.
 */
export const CHANNEL_HELLO = "crec-extension-channel";
/**
 * The DOM event the isolated world dispatches on an element of ours it adds (the Call Session's
 * section): the page's world defines the components then. (Elements a page adds itself are
 * found by the content style sheet's sentinel animation, which a page's `animation: none
 * !important` would stop.)
 */
export const ELEMENT_ADDED = "crec-element-added";
export const CHANNEL_VERSION = 1;

export interface ChannelHello {
  type: typeof CHANNEL_HELLO;
  version: number;
}

export function isChannelHello(data: unknown): data is ChannelHello {
  return (
    typeof data === "object" &&
    data !== null &&
    (data as ChannelHello).type === CHANNEL_HELLO &&
    (data as ChannelHello).version === CHANNEL_VERSION &&
    Object.keys(data).length === 2
  );
}

/** The requests the page's world may make: the player's, nothing else. */
export const PAGE_REQUEST_TYPES = (Object.keys(SENDERS) as RequestType[]).filter((t) => SENDERS[t].includes("page"));

/** What a page of `origin` may see of the playback: nothing of another site's call. */
export function stateForPage(state: PlaybackState | null, origin: string): PlaybackState | null {
  if (!state) return null;
  if (state.session && state.session.origin !== origin) return null;
  return state;
}

/** From the page's world to the content script. */
export const pageToContent = lazy(() => object({
  kind: literal("request"),
  id: number({ min: 0, integer: true }),
  request: (value: unknown, path?: string) => {
    const req = backgroundRequest(value, path);
    if (!PAGE_REQUEST_TYPES.includes(req.type)) throw new ShapeError(`${path ?? "request"}.type: not allowed from a page`);
    return req;
  },
}));
export type PageToContent = Infer<typeof pageToContent>;

/** From the content script to the page's world. */
export type ContentToPage =
  | { kind: "reply"; id: number; reply: Reply<unknown> }
  /** What plays now, or null when this page's origin is not what plays. */
  | { kind: "state"; state: PlaybackState | null }
  /** How to treat the page's own players (sent once the site's settings are read). */
  | { kind: "site"; site: PageMediaSite };

/**
 * What the page's world needs to carry the page's own `<audio>`/`<video>` playback into the
 * background: whether to, and what the site's profile says about naming it.
 */
export interface PageMediaSite {
  carry: boolean;
  /**
   * Whether the page may have players of its own, to get the background ready for them as the
   * page loads: not on pages whose recordings the profile reads from the project's JSON API
   * (looking through a 10,000-row Call List for players costs more than it saves).
   */
  ownPlayers: boolean;
  /** The Call List's rows, how to read a row's call id, and the fields that name it (the profile's). */
  rows: { selector: string; callId: { attribute: string; pattern?: string } | { linkSelector: string; hrefPattern: string }; nameFields: string[] } | null;
  /** The Call Session view's address with `*` for the call id, and its call id on this page, if it is one. */
  sessionPath: string | null;
  sessionCallId: string | null;
  /** A recording's download, with `{callId}` (the profile's template), when the profile gives one. */
  downloadTemplate: string | null;
  /** Where else audio may come from (the profile's recordingOrigins). */
  recordingOrigins: string[];
}

// ---- to the audio context -------------------------------------------------------------------

/** From the background to the offscreen document (Chrome). */
export interface AudioCommand {
  to: "offscreen";
  type: "audio/target";
  target: AudioTarget;
}

export const audioTargetShape: Shape<AudioTarget> = lazy(() => object({
  cue: number({ min: 0, integer: true }),
  src: nullable(url),
  contentType: optional(string({ max: 200 })),
  position: seconds,
  playing: boolean,
  volume: number({ min: 0, max: 1 }),
  muted: boolean,
  rate: number({ min: 0.25, max: 4 }),
  channelMix: optional(channelMixShape),
}));

export const audioCommand: Shape<AudioCommand> = lazy(() => object({ to: literal("offscreen"), type: literal("audio/target"), target: audioTargetShape }));

// ---- stored state -----------------------------------------------------------------------------

const sessionShape = lazy(() => object({
  origin: url,
  callId: id,
  callTitle: title,
  sessionUrl: url,
  apiBase: url,
  recordings: array(recordingShape, { min: 1, max: 200 }),
  owner: optional(nullable(id)),
}));

/** The playback state as kept in storage (and pushed to views). */
export const playbackStateShape: Shape<PlaybackState> = lazy(() => object({
  version: literal(1),
  session: nullable(sessionShape),
  index: number({ min: -1, max: 199, integer: true }),
  position: seconds,
  at: number({ min: 0 }),
  duration: nullable(seconds),
  paused: boolean,
  waiting: boolean,
  hasMetadata: boolean,
  ended: boolean,
  endedCount: number({ min: 0, integer: true }),
  endedId: nullable(id),
  volume: number({ min: 0, max: 1 }),
  muted: boolean,
  rate: number({ min: 0.25, max: 4 }),
  channelMix: optional(channelMixShape),
  skipSilence: optional(boolean),
  error: nullable(object({ kind: oneOf(...ERROR_KINDS), message: string({ max: 2000 }) })),
  cue: number({ min: 0, integer: true }),
  revision: number({ min: 0, integer: true }),
}));

/** Storage keys. */
export const STORAGE_KEYS = {
  playback: "playback",
  origins: "origins",
  /** Per-site settings the user chose (src/extension/site-settings.ts). */
  sites: "sites",
  /** What browser policy set (`storage.managed`), mirrored by the background: `{ origins, sites }`. */
  managed: "managed",
} as const;
