/**
 * The colour scheme a reporting page is drawn in, so that what the extension adds to it (the
 * recordings section, the docked player) is drawn the same way: most reporting interfaces are
 * always light, whatever the browser's dark mode says. The page's own `color-scheme` when it
 * names one, else the lightness of its background.
 */
export function pageColorScheme(doc: Document = document): "light" | "dark" {
  const root = doc.documentElement;
  const declared = getComputedStyle(root).colorScheme.trim();
  if (declared === "light" || declared === "only light") return "light";
  if (declared === "dark" || declared === "only dark") return "dark";
  for (const element of [doc.body, root]) {
    if (!element) continue;
    const rgb = /rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)/.exec(getComputedStyle(element).backgroundColor);
    if (!rgb) continue;
    const alpha = rgb[4] === undefined ? 1 : rgb[4].endsWith("%") ? Number(rgb[4].slice(0, -1)) / 100 : Number(rgb[4]);
    if (alpha < 0.5) continue;
    const [r, g, b] = [rgb[1], rgb[2], rgb[3]].map((v) => Number(v) / 255) as [number, number, number];
    // Relative luminance, roughly: a background darker than mid-grey is a dark page.
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5 ? "dark" : "light";
  }
  // Nothing painted: the browser's canvas, which is white unless the page opted into dark.
  return "light";
}
