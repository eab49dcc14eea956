/**
 * What both elements share of their look: the colours and shape resolved from the public
 * `--crec-*` custom properties against light and dark defaults into internal `--_*` ones, and
 * the host's box, scheme and type. Each element's styles come after these and add their own.
 *
 * The scheme follows the browser's (`prefers-color-scheme`) unless the host says which with
 * `color-scheme="light"` or `"dark"`: a page that is always light (most reporting interfaces)
 * keeps the elements light too. `darkScheme(tokens)` applies an element's dark tokens either way.
 */
import { css, unsafeCSS, type CSSResult } from "lit";

/**
 * `tokens` (declarations for `:host`) in the dark scheme: chosen by the host, or the browser's
 * when the host did not choose. Built as text: a placeholder where a rule goes is more than the
 * build's CSS minifier takes.
 */
export function darkScheme(tokens: string): CSSResult {
  return unsafeCSS(`@media (prefers-color-scheme: dark) { :host(:not([color-scheme="light"])) { ${tokens} } } :host([color-scheme="dark"]) { ${tokens} }`);
}

export const sharedStyles = [
  css`
  :host {
    --_fg: var(--crec-foreground, #1f2328);
    --_fg-muted: var(--crec-foreground-muted, #59636e);
    --_accent: var(--crec-accent, #0969da);
    --_error: var(--crec-error, #b3261e);
    --_hover: var(--crec-hover, rgb(31 35 40 / 0.08));
    --_border: var(--crec-border, #d1d9e0);
    --_focus: var(--crec-focus-ring, #0969da);
    --_radius: var(--crec-radius, 10px);

    display: block;
    box-sizing: border-box;
    container-type: inline-size;
    color-scheme: light dark;
    color: var(--_fg);
    background: var(--_bg);
    font-family: var(--crec-font-family, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
    font-size: var(--crec-font-size, 14px);
  }

  :host([color-scheme="light"]) {
    color-scheme: light;
  }

  :host([color-scheme="dark"]) {
    color-scheme: dark;
  }

`,
  darkScheme(`--_fg: var(--crec-foreground, #e6edf3); --_fg-muted: var(--crec-foreground-muted, #9ea7b3); --_accent: var(--crec-accent, #4493f8); --_error: var(--crec-error, #ff8c82); --_hover: var(--crec-hover, rgb(230 237 243 / 0.1)); --_border: var(--crec-border, #3d444d); --_focus: var(--crec-focus-ring, #4493f8);`),
];
