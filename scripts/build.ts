/**
 * `npm run build`: the components bundle (dist/components), the components library with type
 * declarations (dist/lib) and the extension for Chrome and Firefox (dist/chrome, dist/firefox),
 * each step saying what it made and stopping at the first failure.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

interface Step {
  name: string;
  command: string[];
  when?: () => boolean;
}

const steps: Step[] = [
  { name: "components bundle (dist/components)", command: ["npx", "vite", "build", "--logLevel", "warn"] },
  { name: "extension for Chrome (dist/chrome)", command: ["npx", "vite", "build", "--config", "extension/vite.config.ts", "--mode", "chrome", "--logLevel", "warn"], when: () => existsSync("extension/vite.config.ts") },
  { name: "extension for Firefox (dist/firefox)", command: ["npx", "vite", "build", "--config", "extension/vite.config.ts", "--mode", "firefox", "--logLevel", "warn"], when: () => existsSync("extension/vite.config.ts") },
];

for (const step of steps) {
  if (step.when && !step.when()) continue;
  const started = Date.now();
  process.stdout.write(`build: ${step.name} … `);
  const result = spawnSync(step.command[0]!, step.command.slice(1), { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
  if (result.status !== 0) {
    console.log("failed");
    console.log(result.stdout);
    process.exit(result.status ?? 1);
  }
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
