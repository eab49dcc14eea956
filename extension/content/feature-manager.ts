/**
 * Runs the content-script features, refined-github style: each feature is one file with the
 * pages it applies to and an `init(signal)`; each runs in its own try/catch, so one that fails
 * is logged by name and the page and the other features carry on; all are aborted when the page
 * goes away.
 */
import type { SiteProfile } from "../../src/extension/site-profile.js";

export interface FeatureContext {
  /** The page's origin. */
  origin: string;
  /** The site profile the page is read with; null when none applies to it. */
  profile: SiteProfile | null;
  /** The project's JSON API, when the profile's recordings come from it. */
  apiBase: string | null;
}

export interface Feature {
  /** For the logs: the file's name. */
  name: string;
  /** Whether the feature has work on this page. */
  applies(location: Location, document: Document, context: FeatureContext): boolean;
  init(signal: AbortSignal, context: FeatureContext): void | Promise<void>;
}

export async function runFeatures(features: readonly Feature[], context: FeatureContext, signal: AbortSignal): Promise<void> {
  await Promise.all(
    features.map(async (feature) => {
      try {
        if (!feature.applies(location, document, context)) return;
        await feature.init(signal, context);
      } catch (error) {
        console.error(`call recordings: the ${feature.name} feature failed`, error);
      }
    }),
  );
}
