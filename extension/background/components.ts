/**
 * The components (the two elements) for a page's world, injected by the background when a page
 * asks (page-world.ts: a call to show, or an element of ours on the page), so that the content
 * script every page of an enabled site loads stays small: most pages never need them.
 */
import browser from "webextension-polyfill";
import componentsFile from "../content/main-world/components-entry.ts?iife";

export async function injectComponents(frame: { tabId: number; frameId: number }): Promise<void> {
  await browser.scripting.executeScript({ target: { tabId: frame.tabId, frameIds: [frame.frameId] }, world: "MAIN", files: [componentsFile] });
}
