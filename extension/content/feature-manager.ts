/**
 * Runs the content-script features, refined-github style: each feature is one file with the
 * pages it applies to and an `init(signal)`; each runs in its own try/catch, so one that fails
 * is logged by name and the page and the other features carry on; all are aborted when the page
 * goes away.
 */

export interface FeatureContext {
  /** The page's origin. */
  origin: string;
  /** The reporting server's JSON API on this origin. */
  apiBase: string;
}

export interface Feature {
  /** For the logs: the file's name. */
  name: string;
  /** Whether the feature has work on this page. */
  applies(location: Location, document: Document): boolean;
  init(signal: AbortSignal, context: FeatureContext): void | Promise<void>;
}

export async function runFeatures(features: readonly Feature[], context: FeatureContext, signal: AbortSignal): Promise<void> {
  await Promise.all(
    features.map(async (feature) => {
      try {
        if (!feature.applies(location, document)) return;
        await feature.init(signal, context);
      } catch (error) {
        console.error(`call recordings: the ${feature.name} feature failed`, error);
      }
    }),
  );
}
