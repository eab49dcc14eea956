/**
 * What the extension's code sees beyond the DOM and webextension-polyfill's `browser`: the build
 * target (replaced at build time), and Chrome's offscreen API, which the polyfill does not cover.
 */
declare const __TARGET_BROWSER__: "chrome" | "firefox";

/** A script built on its own as a classic script (crxjs): its file's path in the extension. */
declare module "*?iife" {
  const file: string;
  export default file;
}

declare namespace chrome {
  namespace offscreen {
    type Reason = "AUDIO_PLAYBACK";
    function createDocument(parameters: { url: string; reasons: Reason[]; justification: string }): Promise<void>;
    function closeDocument(): Promise<void>;
  }
  namespace runtime {
    function getContexts(filter: { contextTypes?: ("OFFSCREEN_DOCUMENT" | "BACKGROUND" | "POPUP" | "TAB")[]; documentUrls?: string[] }): Promise<{ contextType: string; documentUrl?: string }[]>;
  }
}
