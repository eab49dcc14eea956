/**
 * Pointer dragging for the player's sliders (role="slider" elements): press anywhere on the
 * track to jump there, drag to scrub, for mouse, pen and touch alike.
 */

export type DragPhase = "start" | "move" | "end" | "cancel";

/** Where a pointer falls along an element, 0 (left) to 1 (right), mirrored in right-to-left text. */
export function fractionAt(element: Element, clientX: number): number {
  const rect = element.getBoundingClientRect();
  if (rect.width <= 0) return 0;
  let fraction = (clientX - rect.left) / rect.width;
  if (getComputedStyle(element).direction === "rtl") fraction = 1 - fraction;
  return Math.min(1, Math.max(0, fraction));
}

/**
 * Follows a drag that starts with this pointerdown on `element`, reporting fractions until the
 * pointer is released. Only the primary button starts a drag.
 */
export function trackDrag(element: HTMLElement, down: PointerEvent, report: (fraction: number, phase: DragPhase) => void): void {
  if (down.button !== 0) return;
  down.preventDefault();
  element.focus({ preventScroll: true });
  const id = down.pointerId;
  try {
    element.setPointerCapture(id);
  } catch {
    // Synthetic or already-released pointers cannot be captured; the drag still works on the element.
  }
  report(fractionAt(element, down.clientX), "start");
  const move = (e: PointerEvent) => {
    if (e.pointerId === id) report(fractionAt(element, e.clientX), "move");
  };
  const finish = (e: PointerEvent) => {
    if (e.pointerId !== id) return;
    element.removeEventListener("pointermove", move);
    element.removeEventListener("pointerup", finish);
    element.removeEventListener("pointercancel", finish);
    report(fractionAt(element, e.clientX), e.type === "pointercancel" ? "cancel" : "end");
  };
  element.addEventListener("pointermove", move);
  element.addEventListener("pointerup", finish);
  element.addEventListener("pointercancel", finish);
}
