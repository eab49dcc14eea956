/**
 * Stands in for Lit's `@lit-labs/ssr-dom-shim` in the one-file bundle (vite.config.ts), which
 * takes Lit's Node-safe builds so that importing the bundle in Node (a host's server-side
 * rendering) does not throw. Lit only needs a class to extend where there is no DOM; the
 * elements are then not defined (their defines check for `customElements`).
 */
export const HTMLElement = (globalThis.HTMLElement ?? class {}) as typeof globalThis.HTMLElement;
export const customElements = globalThis.customElements;
