/**
 * The build's last library step: fills packages/call-recordings (the package hosts install) from
 * what the steps before made: the library's modules and declarations (only those the entry
 * reaches), the one-file bundle with its types, the framework types and the manifest.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const PACKAGE = "packages/call-recordings";

function copy(from: string, to: string): void {
  if (!existsSync(from)) throw new Error(`${from} is missing: the step that makes it did not run or failed`);
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}

/** The project's source files the library's build compiles (tsconfig.lib.json), relative to the root. */
function librarySources(): string[] {
  const listed = spawnSync("npx", ["tsc", "-p", "tsconfig.lib.json", "--listFilesOnly"], { encoding: "utf8" });
  if (listed.status !== 0) throw new Error(`tsc --listFilesOnly failed:\n${listed.stdout}\n${listed.stderr}`);
  const root = resolve(".");
  return listed.stdout
    .split("\n")
    .map((line) => line.trim())
    .filter((file) => file.startsWith(root + "/") && !file.includes("/node_modules/") && file.endsWith(".ts") && !file.endsWith(".d.ts"))
    .map((file) => relative(root, file));
}

/** custom-elements.json with its module paths pointing at the package's modules instead of the sources. */
function packagedManifest(): string {
  const text = readFileSync("custom-elements.json", "utf8");
  return text.replace(/"((?:components|src)\/[^"]+)\.ts"/g, '"dist/lib/$1.js"');
}

export function assemblePackage(): void {
  const out = join(PACKAGE, "dist");
  rmSync(out, { recursive: true, force: true });

  // Without their source maps, which point at sources the package does not carry.
  for (const source of librarySources()) {
    const base = source.replace(/\.ts$/, "");
    for (const ext of [".js", ".d.ts"]) {
      const to = join(out, "lib", base + ext);
      copy(join("dist/lib", base + ext), to);
      writeFileSync(to, readFileSync(to, "utf8").replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n"));
    }
  }

  // The bundle and the chunk of audio decoders it loads on demand.
  const bundle = join(out, "bundle");
  copy("dist/components/call-recordings.js", join(bundle, "call-recordings.js"));
  for (const file of readdirSync("dist/components")) cpSync(join("dist/components", file), join(bundle, file));
  // The bundle exports what the library's entry does.
  writeFileSync(join(bundle, "call-recordings.d.ts"), 'export * from "../lib/components/index.js";\n');

  copy("dist/types/jsx.d.ts", join(out, "types", "jsx.d.ts"));
  copy("dist/types/vue.d.ts", join(out, "types", "vue.d.ts"));
  // `import "call-recordings/jsx"` (or `/vue`) also works as a module that does nothing.
  writeFileSync(join(out, "types", "types-only.js"), "export {};\n");

  writeFileSync(join(PACKAGE, "custom-elements.json"), packagedManifest());
}
