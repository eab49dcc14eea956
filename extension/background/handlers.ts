/**
 * The background's answers to every request of the contract (src/extension/extension-messages.ts), in one
 * typed map. By the time a handler runs, the request's shape, its sender and the URLs it carries
 * have been checked (see router.ts); what is left here is what each request means.
 */
import {
  closeSession,
  loadSession,
  pause,
  play,
  replaceUrls,
  seek,
  selectRecording,
  setMuted,
  setChannelMix,
  setRate,
  setSkipSilence,
  setVolume,
  signOut,
  skip,
  togglePlay,
} from "../../src/extension/background-playback-state.js";
import { sessionFrom, type Answers, type RequestOf, type RequestType, type SenderKind } from "../../src/extension/extension-messages.js";
import { BUILT_IN_ORIGINS } from "../../src/extension/origins.js";
import { isOrigin } from "../../src/extension/site-settings.js";
import { injectComponents } from "./components.js";
import { downloadRecording } from "./downloads.js";
import { profileToTry, saveSiteSetting, sitesAnswer, tryOnTab } from "./managed-policy.js";
import { openSession } from "./open-session.js";
import type { PlaybackService, UrlRenewer } from "./playback-service.js";
import type { ReportingOrigins } from "./reporting-origins.js";
import { ownerLeft, type SignedIn } from "./signed-in.js";

/** Who asked, as established from the browser's sender record. */
export interface RequestContext {
  sender: SenderKind;
  /** The page's origin, for requests from a page. */
  origin: string | null;
  /** The page's tab and frame, for requests from a page. */
  frame?: { tabId: number; frameId: number };
}

export type Handler<K extends RequestType> = (request: RequestOf<K>, context: RequestContext) => Promise<Answers[K]>;
export type HandlerMap = { [K in RequestType]: Handler<K> };

export interface HandlerDependencies {
  playback: PlaybackService;
  origins: ReportingOrigins;
  renew: UrlRenewer;
  /** Asks a site who is signed in there (see signed-in.ts). */
  signedIn: (apiBase: string) => Promise<SignedIn>;
}

export function createHandlers({ playback, origins, renew, signedIn }: HandlerDependencies) {
  /** Stops what a page of `origin` started and forgets it, when its owner has gone. */
  const stopIfOwnerLeft = async (origin: string | null, ask: boolean): Promise<null> => {
    const session = (await playback.get()).session;
    if (!session || session.origin !== origin) return null;
    if (ask && !ownerLeft(session.owner, await signedIn(session.apiBase))) return null;
    await playback.update((s, now) => (s.session?.origin === origin && s.session.callId === session.callId ? signOut(s, now) : s));
    return null;
  };

  const originsAnswer = async () => ({ builtIn: [...BUILT_IN_ORIGINS], user: await origins.added() });

  /** Every enabled site that names one origin, with its setting (built in, added, policy's). */
  const sites = async () => {
    const managed = await origins.managed();
    const named = [...(await originsAnswer()).builtIn, ...(await origins.user())];
    return sitesAnswer(named, managed);
  };
  const enabledSite = async (origin: string) => {
    if (!isOrigin(origin) || !(await origins.isEnabled(origin))) throw new Error(`${origin.slice(0, 100)} is not an enabled reporting site`);
  };

  return {
    "player/load": async (req, ctx) => {
      const origin = ctx.origin;
      if (origin === null) throw new Error("only a page may load a call");
      // Asked alongside the load, so the click plays as soon as it would without asking.
      const asking = signedIn(req.session.apiBase);
      const session = sessionFrom(req.session, origin);
      const loaded = await playback.update((s, now) => loadSession(s, { session, index: req.index, startAt: req.startAt, play: req.play ?? false }, now));
      const who = await asking;
      const isThis = (s: { session: { origin: string; callId: string } | null }) => s.session?.origin === origin && s.session.callId === session.callId;
      if (who.kind === "nobody") return playback.update((s, now) => (isThis(s) ? signOut(s, now) : s));
      const owner = who.kind === "user" ? who.id : null;
      if (!isThis(loaded) || loaded.session?.owner === owner) return loaded;
      return playback.update((s) => (isThis(s) && s.session ? { ...s, session: { ...s.session, owner } } : s));
    },
    "player/play": () => playback.update(play),
    "player/pause": () => playback.update(pause),
    "player/toggle": () => playback.update(togglePlay),
    "player/seek": (req) => playback.update((s, now) => seek(s, req.seconds, now)),
    "player/skip": (req) => playback.update((s, now) => skip(s, req.seconds, now)),
    "player/select": (req) => playback.update((s, now) => selectRecording(s, req.index, req.startAt, req.play, now)),
    "player/volume": (req) => playback.update((s) => setVolume(s, req.volume)),
    "player/muted": (req) => playback.update((s) => setMuted(s, req.muted)),
    "player/rate": (req) => playback.update((s, now) => setRate(s, req.rate, now)),
    "player/channels": (req) => playback.update((s) => setChannelMix(s, req.mix)),
    "player/skip-silence": (req) => playback.update((s) => setSkipSilence(s, req.on)),
    "player/urls": (req) => playback.update((s) => replaceUrls(s, req.updates)),
    "player/close": () => playback.update(closeSession),
    "player/open-session": async () => {
      const session = (await playback.get()).session;
      if (!session) throw new Error("nothing is playing");
      await openSession(session.sessionUrl);
      return null;
    },
    "player/download": async (req) => {
      const state = await playback.get();
      const session = state.session;
      const recording = session?.recordings.find((r) => r.id === req.recordingId);
      if (!session || !recording) throw new Error("that recording is not in the playing call");
      await downloadRecording({
        recording,
        renew: async () => {
          const updates = await renew(session);
          const updated = await playback.update((s) => replaceUrls(s, updates));
          return updated.session?.recordings.find((r) => r.id === req.recordingId);
        },
      });
      return null;
    },
    "state/get": () => playback.get(),
    "session/verify": (_req, ctx) => stopIfOwnerLeft(ctx.origin, true),
    "session/signed-out": (_req, ctx) => stopIfOwnerLeft(ctx.origin, false),
    "origins/get": originsAnswer,
    "origins/add": async (req) => {
      await origins.add(req.origin);
      return originsAnswer();
    },
    "origins/remove": async (req) => {
      await origins.remove(req.origin);
      return originsAnswer();
    },
    "sites/get": sites,
    "sites/set": async (req) => {
      await enabledSite(req.origin);
      await saveSiteSetting(req.origin, req.setting);
      return sites();
    },
    "site/try": async (req) => {
      await enabledSite(req.origin);
      return tryOnTab(req.origin, await profileToTry(req.origin, req.profile, req.customProfile));
    },
    "player/warm": async () => {
      await playback.warm();
      return null;
    },
    "page/components": async (_req, context) => {
      if (!context.frame) throw new Error("only a page's frame can have the components injected");
      await injectComponents(context.frame);
      return null;
    },
    "audio/ready": () => playback.target(),
    "audio/report": async (req) => {
      await playback.report(req.report);
      return null;
    },
  } satisfies HandlerMap;
}
