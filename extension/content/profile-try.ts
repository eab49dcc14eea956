/**
 * "Try on this tab" (the options page, issue 12): the background asks this tab's isolated content
 * script what a site profile matches here, and this answers the counts (Call List rows, distinct
 * call ids, the page's media and recording links, the Call Session's call id). The page is only
 * read, and only the background may ask.
 */
import type { Runtime } from "webextension-polyfill";
import type { SiteProfile } from "../../src/extension/site-profile.js";
import { profileForPage, storedProfile, tryProfileOn, type ProfileTryResult, type TryPage } from "../../src/extension/site-settings.js";
import { builtInProfiles } from "../profiles/index.js";
import { extensionApi } from "../shared/extension-api.js";

export const PROFILE_TRY = "profile/try";

/** What to try, from a message; null for anything that is not a well-formed try. */
export function readTryMessage(message: unknown): { profile: SiteProfile } | { auto: true } | { current: true } | null {
  if (typeof message !== "object" || message === null || Array.isArray(message)) return null;
  const m = message as Record<string, unknown>;
  if (m.type !== PROFILE_TRY || Object.keys(m).some((k) => k !== "type" && k !== "profile")) return null;
  if (m.profile === "auto") return { auto: true };
  if (m.profile === "current" || m.profile === undefined) return { current: true };
  // The background checked it whole before sending it (and only the background can send here).
  const profile = storedProfile(m.profile);
  return profile ? { profile } : null;
}

const hasSelector = (selector: string): boolean => {
  try {
    return document.querySelector(selector) !== null;
  } catch {
    return false;
  }
};

/** This document, as a profile reads it. */
const thisPage = (): TryPage => ({
  url: location.href,
  all: (selector) => [...document.querySelectorAll(selector)],
  mediaCount: () => document.querySelectorAll("audio, video").length,
  hrefs: () => [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href") ?? ""),
});

/**
 * Answers the background's tries; `getProfile` gives the profile this page is read with now.
 * Returns a function that stops listening. The isolated content script starts it once the site is
 * known to be enabled. Only a message from our own extension (not from a tab) in the expected
 * shape is answered: `{ type: "profile/try", profile }`, where `profile` is a site profile
 * (checked whole by the background, which alone can send it), "auto" (the built-in profile that
 * recognizes the page) or "current" (the one this page is read with now).
 */
export function listenForProfileTries(getProfile: () => SiteProfile | null): () => void {
  const listener = (message: unknown, sender: Runtime.MessageSender, sendResponse: (answer: ProfileTryResult) => void): true | undefined => {
    // Only our background asks: our extension's id, and not a tab (content scripts of other pages).
    if (sender.id !== extensionApi.runtime.id || sender.tab !== undefined) return undefined;
    const what = readTryMessage(message);
    if (what === null) return undefined;
    const profile =
      "profile" in what ? what.profile : "auto" in what ? profileForPage({ profile: "auto", customProfile: null }, builtInProfiles(), location.href, hasSelector) : getProfile();
    sendResponse(tryProfileOn(profile, thisPage()));
    return true;
  };
  const onMessage = extensionApi.runtime.onMessage as unknown as {
    addListener(l: typeof listener): void;
    removeListener(l: typeof listener): void;
  };
  onMessage.addListener(listener);
  return () => onMessage.removeListener(listener);
}
