/** The test files of some folders, in order; and the folders `npm run test:unit` runs (as its globs in package.json). */
import { readdirSync } from "node:fs";

export const UNIT_TEST_DIRS = ["test/src", "test/src/codecs", "test/server", "test/extension", "test/bench"];

export const testFiles = (dirs: readonly string[]): string[] =>
  dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((name) => name.endsWith(".test.ts"))
      .sort()
      .map((name) => `${dir}/${name}`),
  );
