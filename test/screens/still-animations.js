// @ts-check
/**
 * Defines `window.stillAnimations()` for the screenshot tests: stops every animation in the page
 * and its shadow roots where it stands and finishes every transition, so a capture does not catch
 * one halfway. Loaded by the test pages (test/screens/screens.test.ts) and added to the extension's
 * pages as an init script (test/screens/extension-chromium.test.ts).
 */
/** Stops every animation and transition in the page and its shadow roots where it stands. */
function stillAnimations() {
  /** @type {(Document | ShadowRoot)[]} */
  const roots = [document];
  // Shadow roots inside shadow roots too: the list grows as it is walked.
  for (let i = 0; i < roots.length; i++) for (const el of roots[i].querySelectorAll("*")) if (el.shadowRoot) roots.push(el.shadowRoot);
  for (const root of roots) {
    for (const animation of root.getAnimations()) {
      if (typeof CSSTransition !== "undefined" && animation instanceof CSSTransition) animation.finish();
      else {
        animation.pause();
        animation.currentTime = 0;
      }
    }
  }
}

/** @type {any} */ (window).stillAnimations = stillAnimations;
