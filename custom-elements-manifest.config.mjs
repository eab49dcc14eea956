/**
 * `npm run build` (and `npm run manifest`) writes custom-elements.json from the elements' JSDoc
 * with @custom-elements-manifest/analyzer, then the framework types made from it (dist/types:
 * React and other JSX by @wc-toolkit/jsx-types, Vue by custom-element-vuejs-integration).
 * Only the element files: their helpers are not public API.
 */
import { readFileSync } from "node:fs";
import { jsxTypesPlugin } from "@wc-toolkit/jsx-types";
import { generateVuejsTypes } from "custom-element-vuejs-integration";

/** The entry the generated types import from, as seen from dist/types/. */
const ENTRY = "components/index.ts";
const ENTRY_FROM_TYPES = "../lib/components/index.js";

/** `crec-load-error` → `CrecLoadErrorDetail`: the name the entry exports for the event's detail. */
const detailName = (event) => `${event.replace(/(^|-)([a-z])/g, (_, __, c) => c.toUpperCase())}Detail`;

const elements = (manifest) => manifest.modules.flatMap((m) => (m.declarations ?? []).filter((d) => d.customElement).map((d) => ({ module: m, element: d })));

/**
 * Gives each event its type, `CustomEvent<CrecPlayDetail>`, and fails the build when the entry
 * does not export a name the generated types import (an event's detail, or a type an element
 * module exports).
 */
function eventTypes() {
  return {
    name: "crec-event-types",
    packageLinkPhase({ customElementsManifest }) {
      const entry = readFileSync(ENTRY, "utf8");
      const missing = new Set();
      const exported = (name) => new RegExp(`\\b${name}\\b`).test(entry) || missing.add(name);
      for (const { module, element } of elements(customElementsManifest)) {
        for (const event of element.events ?? []) {
          const name = detailName(event.name);
          exported(name);
          event.type = { text: `CustomEvent<${name}>` };
        }
        for (const e of module.exports ?? []) if (e.kind === "js") exported(e.declaration.name);
      }
      if (missing.size > 0) throw new Error(`${ENTRY} must export ${[...missing].join(", ")} (the framework types in dist/types import them)`);
    },
  };
}

/**
 * Vue's generator is given the manifest as Vue's type checking (vue-tsc 3) reads props: each
 * attribute under its property's name (`call-id` is checked as `callId`), each event under the
 * name of its handler prop less "on" (`@crec-loaded` is checked as `onCrecLoaded`), and an
 * event's type as its detail's name (the generator wraps it in CustomEvent<…> itself).
 */
function vueTypes() {
  return {
    name: "crec-vue-types",
    packageLinkPhase({ customElementsManifest }) {
      const manifest = structuredClone(customElementsManifest);
      for (const { element } of elements(manifest)) {
        // Read-only properties (`status`, `call`, the section's `recordings`) are not set from a template.
        element.members = element.members?.filter((member) => !member.readonly);
        for (const attribute of element.attributes ?? []) if (attribute.fieldName) attribute.name = attribute.fieldName;
        for (const event of element.events ?? []) {
          event.type = { text: detailName(event.name) };
          event.name = detailName(event.name).replace(/Detail$/, "");
        }
      }
      generateVuejsTypes(manifest, { outdir: "dist/types", fileName: "vue.d.ts", globalTypePath: ENTRY_FROM_TYPES, hideLogs: true });
    },
  };
}

export default {
  globs: ["components/recording-player/recording-player.ts", "components/call-session-recordings/call-session-recordings.ts"],
  outdir: ".",
  litelement: true,
  packagejson: false,
  plugins: [
    eventTypes(),
    jsxTypesPlugin({ outdir: "dist/types", fileName: "jsx.d.ts", globalTypePath: ENTRY_FROM_TYPES, stronglyTypedEvents: true }),
    vueTypes(),
  ],
};
