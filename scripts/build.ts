/**
 * `npm run build`: the components bundle (dist/components), the components library with type
 * declarations (dist/lib), the manifest and framework types, the installable package
 * (packages/call-recordings), the extension for Chrome and Firefox (dist/chrome, dist/firefox)
 * and its store packages (dist/packages), each step saying what it made and stopping at the
 * first failure. `--package` (the package's `prepack`) builds only what the package carries.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { assemblePackage } from "./package-library.js";

process.chdir(fileURLToPath(new URL("..", import.meta.url)));
const packageOnly = process.argv.includes("--package");

interface Step {
  name: string;
  command: string[] | (() => void);
  /** Part of what the package carries (built by `--package` too). */
  library?: boolean;
  when?: () => boolean;
  /** Known, harmless warnings not to repeat (stderr lines matching this). */
  quiet?: RegExp;
}

/** @crxjs/vite-plugin builds standalone content scripts with an option Vite 8 ignores, and says so. */
const CRXJS_IIFE_NOTICE = /inlineDynamicImports option is ignored because codeSplitting: false is set/;

const steps: Step[] = [
  { name: "components bundle (dist/components)", command: ["npx", "vite", "build", "--logLevel", "warn"], library: true },
  { name: "components library with type declarations (dist/lib)", command: ["npx", "tsc", "-p", "tsconfig.lib.json"], library: true },
  { name: "custom elements manifest and framework types (custom-elements.json, dist/types)", command: ["npx", "cem", "analyze", "--config", "custom-elements-manifest.config.mjs", "--quiet"], library: true },
  { name: "installable package (packages/call-recordings)", command: assemblePackage, library: true },
  { name: "extension for Chrome (dist/chrome)", command: ["npx", "vite", "build", "--config", "extension/vite.config.ts", "--mode", "chrome", "--logLevel", "warn"], when: () => existsSync("extension/vite.config.ts"), quiet: CRXJS_IIFE_NOTICE },
  { name: "extension for Firefox (dist/firefox)", command: ["npx", "vite", "build", "--config", "extension/vite.config.ts", "--mode", "firefox", "--logLevel", "warn"], when: () => existsSync("extension/vite.config.ts"), quiet: CRXJS_IIFE_NOTICE },
  { name: "extension store packages (dist/packages)", command: ["npx", "tsx", "extension/package.ts"], when: () => existsSync("extension/package.ts") },
];

for (const step of steps) {
  if ((step.when && !step.when()) || (packageOnly && !step.library)) continue;
  const started = Date.now();
  process.stdout.write(`build: ${step.name} … `);
  if (typeof step.command === "function") {
    step.command();
    console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    continue;
  }
  const result = spawnSync(step.command[0]!, step.command.slice(1), { stdio: ["ignore", "pipe", step.quiet ? "pipe" : "inherit"], encoding: "utf8" });
  if (step.quiet && result.stderr) {
    const rest = result.stderr.split("\n").filter((line) => line.trim() !== "" && !step.quiet!.test(line));
    if (rest.length > 0) process.stderr.write(`\n${rest.join("\n")}\n`);
  }
  if (result.status !== 0) {
    console.log("failed");
    console.log(result.stdout);
    process.exit(result.status ?? 1);
  }
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
