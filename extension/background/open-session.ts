/**
 * Opens the playing call's Call Session view: the tab already showing it comes to the front,
 * or a new tab opens on it.
 */
import browser from "webextension-polyfill";

export async function openSession(sessionUrl: string): Promise<void> {
  const target = new URL(sessionUrl);
  const tabs = await browser.tabs.query({ url: `${target.protocol}//${target.hostname}/*` });
  const open = tabs.find((tab) => tab.url === sessionUrl);
  if (open?.id !== undefined) {
    await browser.tabs.update(open.id, { active: true });
    if (open.windowId !== undefined) await browser.windows.update(open.windowId, { focused: true });
    return;
  }
  await browser.tabs.create({ url: sessionUrl });
}
