/**
 * The player's keyboard shortcuts, in one place, following media-chrome and YouTube (the keys:
 * {@link hotkeyAction}). Keys with Ctrl, Alt or Meta belong to the browser; a key typed into a
 * text field is never taken. A host switches keys off with `hotkeys="nok nospace noarrowleft"`
 * (media-chrome's convention) or all of them with `nohotkeys`.
 */
import { SKIP_SECONDS } from "../../src/player/player-state.js";

export type HotkeyAction =
  | { type: "toggle-play" }
  | { type: "seek-by"; seconds: number }
  | { type: "seek-fraction"; fraction: number }
  | { type: "seek-start" }
  | { type: "seek-end" }
  | { type: "volume-by"; delta: number }
  | { type: "volume-to"; volume: number }
  | { type: "toggle-mute" }
  | { type: "rate-step"; direction: 1 | -1 }
  | { type: "previous" }
  | { type: "next" };

/** Where the key was pressed. */
export type HotkeyTarget = "seek-slider" | "volume-slider" | "button" | "other";

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}

export { SKIP_SECONDS };
export const ARROW_SECONDS = 5;
export const PAGE_SECONDS = 60;
const VOLUME_KEY_STEP = 0.05;

/** The token that switches a key off: "nospace", "nok", "noarrowleft". */
export function hotkeyToken(key: string): string {
  return `no${key === " " ? "space" : key.toLowerCase()}`;
}

/**
 * The action a key asks for, or null when the key is not the player's:
 *
 * | key | action |
 * |---|---|
 * | Space, K | play / pause (Space on a button presses that button) |
 * | J / L | back / forward 10 s |
 * | ← / → | back / forward 5 s (on the volume slider: volume) |
 * | ↑ / ↓ | volume up / down |
 * | M | mute / unmute |
 * | 0 … 9 | jump to 0 % … 90 % |
 * | Home / End | start / end (on the volume slider: silent / full) |
 * | PageUp / PageDown | forward / back 60 s on the seek slider |
 * | < / > | slower / faster |
 * | Shift+P / Shift+N | previous / next segment |
 */
export function hotkeyAction(event: KeyLike, target: HotkeyTarget): HotkeyAction | null {
  if (event.ctrlKey || event.altKey || event.metaKey) return null;
  const onVolume = target === "volume-slider";
  const { key } = event;
  switch (key) {
    case " ":
      // A focused button (or link) answers Space itself.
      return target === "button" ? null : { type: "toggle-play" };
    case "k":
    case "K":
      return { type: "toggle-play" };
    case "j":
    case "J":
      return { type: "seek-by", seconds: -SKIP_SECONDS };
    case "l":
    case "L":
      return { type: "seek-by", seconds: SKIP_SECONDS };
    case "ArrowLeft":
      return onVolume ? { type: "volume-by", delta: -VOLUME_KEY_STEP } : { type: "seek-by", seconds: -ARROW_SECONDS };
    case "ArrowRight":
      return onVolume ? { type: "volume-by", delta: VOLUME_KEY_STEP } : { type: "seek-by", seconds: ARROW_SECONDS };
    case "ArrowUp":
      return { type: "volume-by", delta: VOLUME_KEY_STEP };
    case "ArrowDown":
      return { type: "volume-by", delta: -VOLUME_KEY_STEP };
    case "PageUp":
      if (onVolume) return { type: "volume-by", delta: 0.2 };
      return target === "seek-slider" ? { type: "seek-by", seconds: PAGE_SECONDS } : null;
    case "PageDown":
      if (onVolume) return { type: "volume-by", delta: -0.2 };
      return target === "seek-slider" ? { type: "seek-by", seconds: -PAGE_SECONDS } : null;
    case "Home":
      return onVolume ? { type: "volume-to", volume: 0 } : { type: "seek-start" };
    case "End":
      return onVolume ? { type: "volume-to", volume: 1 } : { type: "seek-end" };
    case "m":
    case "M":
      return { type: "toggle-mute" };
    case "<":
      return { type: "rate-step", direction: -1 };
    case ">":
      return { type: "rate-step", direction: 1 };
    case "N":
      return event.shiftKey ? { type: "next" } : null;
    case "P":
      return event.shiftKey ? { type: "previous" } : null;
    default:
      if (key.length === 1 && key >= "0" && key <= "9") return { type: "seek-fraction", fraction: Number(key) / 10 };
      return null;
  }
}

const TEXT_INPUT_TYPES = new Set(["text", "search", "email", "url", "tel", "password", "number", "date", "time", "datetime-local", "month", "week"]);

/** Whether keys pressed in this element are someone's typing. */
export function isTextEntry(element: Element | null): boolean {
  if (!element) return false;
  if (element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement) return true;
  if (element instanceof HTMLInputElement) return TEXT_INPUT_TYPES.has(element.type);
  if (element instanceof HTMLElement && element.isContentEditable) return true;
  const role = element.getAttribute("role");
  return role === "textbox" || role === "searchbox" || role === "combobox";
}
