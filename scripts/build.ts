/**
 * `npm run build`: the components bundle (dist/components), the components library with type
 * declarations (dist/lib), the extension for Chrome and Firefox (dist/chrome, dist/firefox) and
 * its store packages (dist/packages), each step saying what it made and stopping at the first
 * failure.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

interface Step {
  name: string;
  command: string[];
  when?: () => boolean;
  /** Known, harmless warnings not to repeat (stderr lines matching this). */
  quiet?: RegExp;
}

/** @crxjs/vite-plugin builds standalone content scripts with an option Vite 8 ignores, and says so. */
const CRXJS_IIFE_NOTICE = /inlineDynamicImports option is ignored because codeSplitting: false is set/;

const steps: Step[] = [
  { name: "components bundle (dist/components)", command: ["npx", "vite", "build", "--logLevel", "warn"] },
  { name: "components library with type declarations (dist/lib)", command: ["npx", "tsc", "-p", "tsconfig.lib.json"] },
  { name: "custom elements manifest (custom-elements.json)", command: ["npx", "cem", "analyze", "--config", "custom-elements-manifest.config.mjs", "--quiet"] },
  { name: "extension for Chrome (dist/chrome)", command: ["npx", "vite", "build", "--config", "extension/vite.config.ts", "--mode", "chrome", "--logLevel", "warn"], when: () => existsSync("extension/vite.config.ts"), quiet: CRXJS_IIFE_NOTICE },
  { name: "extension for Firefox (dist/firefox)", command: ["npx", "vite", "build", "--config", "extension/vite.config.ts", "--mode", "firefox", "--logLevel", "warn"], when: () => existsSync("extension/vite.config.ts"), quiet: CRXJS_IIFE_NOTICE },
  { name: "extension store packages (dist/packages)", command: ["npx", "tsx", "extension/package.ts"], when: () => existsSync("extension/package.ts") },
];

for (const step of steps) {
  if (step.when && !step.when()) continue;
  const started = Date.now();
  process.stdout.write(`build: ${step.name} … `);
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
