/**
 * The one-file components bundle (`npx vite build`, served at /components/call-recordings.js):
 * its minified templates must draw the same icons as the source. The HTML minifier once dropped
 * the `/>` of SVG shapes written outside an `<svg>` tag (Lit's `svg` fragments), so in the
 * browser each shape opened inside the one before: the pause icon showed one bar, previous and
 * next segment lost their triangle.
 *
 * Every `svg` template of the components' source is parsed by the browser as Lit parses it (inside
 * an `<svg>` element) and must appear, with the same element tree, among the bundle's templates.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import ts from "typescript";

interface Template {
  /** Where it is: the source file and line, or the bundle. */
  where: string;
  tag: string;
  /** The template's static strings joined by a comment, where Lit puts its markers. */
  text: string;
}

function templatesOf(file: string, code: string, kind: ts.ScriptKind): Template[] {
  const source = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true, kind);
  const found: Template[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isTaggedTemplateExpression(node)) {
      const t = node.template;
      const strings = ts.isNoSubstitutionTemplateLiteral(t) ? [t.text] : [t.head.text, ...t.templateSpans.map((s) => s.literal.text)];
      const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      found.push({ where: `${file}:${line}`, tag: node.tag.getText(source), text: strings.join("<!--?-->") });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every `svg`-tagged template of the components' source. */
function sourceSvgTemplates(): Template[] {
  return (readdirSync("components", { recursive: true }) as string[])
    .filter((name) => name.endsWith(".ts"))
    .flatMap((name) => templatesOf(`components/${name}`, readFileSync(join("components", name), "utf8"), ts.ScriptKind.TS))
    .filter((t) => t.tag === "svg");
}

/**
 * In the page: each text parsed inside an `<svg>` (as Lit parses an `svg` template), written as
 * its element tree: `name attr="value"…(children)`, a leaf's text in the brackets.
 */
const SVG_TREES = `(all) => {
  const tree = (el) => {
    const attrs = [...el.attributes].map((a) => a.name + '="' + a.value + '"').sort().join(" ");
    const children = [...el.children].map(tree).join(", ");
    const text = el.children.length === 0 ? (el.textContent ?? "").trim() : "";
    return el.localName + (attrs ? " " + attrs : "") + (children || text ? "(" + (children || text) + ")" : "");
  };
  return all.map((text) => {
    const template = document.createElement("template");
    template.innerHTML = "<svg>" + text + "</svg>";
    return [...template.content.firstElementChild.children].map(tree).join(", ");
  });
}`;

describe("the one-file components bundle", () => {
  let outDir: string;
  let chunks: { name: string; text: string }[];
  let browser: Browser;

  before(async () => {
    outDir = mkdtempSync(join(tmpdir(), "components-bundle-"));
    const build = spawnSync("npx", ["vite", "build", "--logLevel", "warn", "--outDir", outDir, "--emptyOutDir"], { encoding: "utf8" });
    assert.equal(build.status, 0, `vite build failed:\n${build.stdout}\n${build.stderr}`);
    // call-recordings.js, and the parts it loads on demand (the decoders, the waveform) beside it.
    chunks = readdirSync(outDir)
      .filter((name) => name.endsWith(".js"))
      .map((name) => ({ name, text: readFileSync(join(outDir, name), "utf8") }));
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
  });

  after(async () => {
    await browser?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  /** Each text parsed by the browser inside an `<svg>`, as Lit parses an `svg` template (SVG_TREES). */
  async function svgTrees(texts: string[]): Promise<string[]> {
    const page = await browser.newPage();
    try {
      // A string, not a function: tsx would wrap named inner functions in a helper the page lacks.
      return (await page.evaluate(`(${SVG_TREES})(${JSON.stringify(texts)})`)) as string[];
    } finally {
      await page.close();
    }
  }

  test("draws every SVG icon as the source does: each shape whole, none inside another (the pause icon's two bars, the segment buttons' triangles)", async () => {
    const source = sourceSvgTemplates();
    assert.ok(source.length >= 10, `the icons' svg templates are found in components/ (found ${source.length})`);
    const bundled = chunks.flatMap((chunk) => templatesOf(chunk.name, chunk.text, ts.ScriptKind.JS)).filter((t) => t.text.includes("<"));
    const [want, have] = await Promise.all([svgTrees(source.map((t) => t.text)), svgTrees(bundled.map((t) => t.text))]);
    const inBundle = new Set(have);
    const missing = source.map((t, i) => ({ where: t.where, tree: want[i]! })).filter((t) => t.tree !== "" && !inBundle.has(t.tree));
    assert.deepEqual(
      missing.map((m) => `${m.where}: ${m.tree}`),
      [],
      "these svg templates of the source are not in the bundle as written (the minifier changed their element tree)",
    );

    // What a user sees: the bundle's pause icon is two bars side by side, not one bar holding another.
    const pause = have.filter((tree) => tree.includes('x="14"') && tree.startsWith("rect "));
    assert.equal(pause.length, 1, `the bundle has one pause icon (found ${JSON.stringify(pause)})`);
    assert.match(pause[0]!, /^rect [^(]*, rect [^(]*$/, "the pause icon is two sibling bars");
  });
});
