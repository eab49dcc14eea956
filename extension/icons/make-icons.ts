/**
 * Draws the toolbar and store icons (a play triangle on a round badge) as PNG files, so the
 * repository holds no binary without its source. Run after changing the drawing:
 *   npx tsx extension/icons/make-icons.ts
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";

const SIZES = [16, 32, 48, 128];
const BADGE: [number, number, number] = [0x1d, 0x4e, 0xd8];
const MARK: [number, number, number] = [0xff, 0xff, 0xff];

/** How much of a unit square around (x, y) in 0..1 coordinates is badge, and how much mark. */
function sample(x: number, y: number): { badge: boolean; mark: boolean } {
  const dx = x - 0.5;
  const dy = y - 0.5;
  const badge = dx * dx + dy * dy <= 0.5 * 0.5;
  // A play triangle, its centroid a little right of the centre.
  const [ax, ay, bx, by, cx, cy] = [0.39, 0.28, 0.39, 0.72, 0.74, 0.5];
  const side = (px: number, py: number, qx: number, qy: number) => (qx - px) * (y - py) - (qy - py) * (x - px);
  const d1 = side(ax, ay, bx, by);
  const d2 = side(bx, by, cx, cy);
  const d3 = side(cx, cy, ax, ay);
  const mark = (d1 >= 0 && d2 >= 0 && d3 >= 0) || (d1 <= 0 && d2 <= 0 && d3 <= 0);
  return { badge, mark: badge && mark };
}

function draw(size: number): Buffer {
  const n = 4;
  const rows: Buffer[] = [];
  for (let py = 0; py < size; py++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let px = 0; px < size; px++) {
      let badge = 0;
      let mark = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const s = sample((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          if (s.mark) mark++;
          else if (s.badge) badge++;
        }
      }
      const total = n * n;
      const alpha = (badge + mark) / total;
      const color = BADGE.map((c, i) => (alpha === 0 ? 0 : Math.round((c * badge + MARK[i]! * mark) / (badge + mark))));
      row.set([...color, Math.round(alpha * 255)], 1 + px * 4);
    }
    rows.push(row);
  }
  return png(size, size, Buffer.concat(rows));
}

function png(width: number, height: number, raw: Buffer): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, k) => {
    let c = k;
    for (let i = 0; i < 8; i++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const here = dirname(fileURLToPath(import.meta.url));
for (const size of SIZES) writeFileSync(join(here, `icon-${size}.png`), draw(size));
console.log(`wrote ${SIZES.map((s) => `icon-${s}.png`).join(", ")}`);
