/**
 * `npm run build` (and `npm run manifest`) writes custom-elements.json from the elements'
 * JSDoc (@summary, @slot, @csspart, @cssprop, @event) with @custom-elements-manifest/analyzer.
 * Only the element files: their helpers are not public API.
 */
export default {
  globs: ["components/recording-player/recording-player.ts", "components/call-session-recordings/call-session-recordings.ts"],
  outdir: ".",
  litelement: true,
  packagejson: false,
};
