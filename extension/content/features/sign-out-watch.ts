/**
 * Playback belongs to the person who started it: following the site's sign-out URL (a form
 * posted to it, a link to it) tells the background at once, before the page is gone, so the
 * sign-in page that follows is silent and the next person finds nothing of it. The background
 * also asks the site who is signed in on every page load (see isolated.ts), which covers a
 * session that ended any other way.
 */
import { extensionApi } from "../../shared/extension-api.js";
import { isSignOut as profileSignOut, type SiteProfile } from "../../../src/extension/site-profile.js";
import type { Feature } from "../feature-manager.js";

/** Where no profile names them: the usual sign-out paths. */
const DEFAULT_SIGN_OUT: Pick<SiteProfile, "signOut"> = { signOut: ["/logout", "/logout.php", "/signout", "/sign-out"] };

const signsOut = (profile: Pick<SiteProfile, "signOut">, href: string | null | undefined): boolean => {
  if (!href) return false;
  try {
    const url = new URL(href, location.href);
    return url.origin === location.origin && profileSignOut(profile, url);
  } catch {
    return false;
  }
};

const tell = () => {
  extensionApi.runtime.sendMessage({ type: "session/signed-out" }).catch((error: unknown) => console.warn("call recordings: could not stop playback at sign-out", error));
};

export const signOutWatch: Feature = {
  name: "sign-out-watch",
  applies: () => true,
  init(signal, context) {
    const profile = context.profile?.signOut ? context.profile : DEFAULT_SIGN_OUT;
    const isSignOut = (href: string | null | undefined) => signsOut(profile, href);
    const options = { capture: true, signal };
    document.addEventListener(
      "submit",
      (event) => {
        const form = event.target instanceof HTMLFormElement ? event.target : null;
        if (form && isSignOut(form.getAttribute("action") ?? location.href)) tell();
      },
      options,
    );
    document.addEventListener(
      "click",
      (event) => {
        const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
        if (link && isSignOut(link.getAttribute("href"))) tell();
      },
      options,
    );
  },
};
