/**
 * `npm run test:screens`: the screenshot tests (test/screens/), after `npm run build`. Screens
 * are compared with the baselines in test/screens/baselines/; a difference fails and keeps the
 * actual screen, the baseline and a diff image in test-results/screens/ (git-ignored).
 *
 *   npm run test:screens                        compare
 *   npm run test:screens -- --update            write the screens taken as the new baselines
 *                                               (the same: SCREENS_UPDATE=1 npm run test:screens)
 *   npm run test:screens -- test/screens/extension-chromium.test.ts    one file
 *   SCREENS_BROWSERS=firefox npm run test:screens                       one browser (bundle and library)
 */
import { spawnSync } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";

const args = process.argv.slice(2);
const update = args.includes("--update");
const files = args.filter((a) => a !== "--update");
// The elements' screens first: the longest file, the others run beside it (two at a time).
const LONGEST = "screens.test.ts";
const tests =
  files.length > 0
    ? files
    : readdirSync("test/screens")
        .filter((f) => f.endsWith(".test.ts"))
        .sort((a, b) => Number(b === LONGEST) - Number(a === LONGEST) || a.localeCompare(b))
        .map((f) => `test/screens/${f}`);

// What an earlier run kept is not this run's.
rmSync("test-results/screens", { recursive: true, force: true });
const env = { ...process.env, ...(update ? { SCREENS_UPDATE: "1" } : {}) };
const run = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", "--test-reporter=spec", ...tests], { stdio: "inherit", env });
if (update && run.status === 0) console.log("test:screens: baselines written where the screens changed (test/screens/baselines/); review them with git diff --stat before committing");
process.exit(run.status ?? 1);
