/**
 * The last step of `npm run build`: the web console's first load — `dist/portal/index.html` and the
 * scripts, styles and preloads it names — must stay under 300 KB gzipped. Prints each file's size and
 * the total; exits 1 over the budget or when the page names a file the build did not write.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** The budget of the first load, gzipped. */
const FIRST_LOAD_BUDGET_BYTES = 300 * 1024;
/** The path the page is served under (the build's `base`). */
const BASE = '/api/portal/';

const portalDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../portal');

/** The files `index.html` loads: `<script src>` and `<link href>` of stylesheets and module preloads, under `BASE`. */
function firstLoadFiles(html: string): string[] {
  const urls = [
    ...[...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((match) => match[1] ?? ''),
    ...[...html.matchAll(/<link\b[^>]*>/g)].filter((match) => /\brel="(stylesheet|modulepreload)"/.test(match[0])).map((match) => /\bhref="([^"]+)"/.exec(match[0])?.[1] ?? ''),
  ];
  return [...new Set(urls.filter((url) => url.startsWith(BASE)).map((url) => url.slice(BASE.length)))];
}

const gzipped = (bytes: Buffer): number => gzipSync(bytes, { level: 9 }).length;
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

function main(): number {
  const indexFile = path.join(portalDir, 'index.html');
  if (!fs.existsSync(indexFile)) {
    process.stderr.write(`The web console is not built: ${indexFile} is missing.\n`);
    return 1;
  }
  const html = fs.readFileSync(indexFile);
  const sizes: Array<[string, number]> = [['index.html', gzipped(html)]];
  for (const file of firstLoadFiles(html.toString('utf8'))) {
    const full = path.join(portalDir, file);
    if (!fs.existsSync(full)) {
      process.stderr.write(`index.html loads ${file}, which the build did not write.\n`);
      return 1;
    }
    sizes.push([file, gzipped(fs.readFileSync(full))]);
  }
  const total = sizes.reduce((sum, [, size]) => sum + size, 0);
  for (const [file, size] of sizes) process.stdout.write(`  ${file}: ${kb(size)} gzipped\n`);
  process.stdout.write(`Web console first load: ${kb(total)} gzipped (budget ${kb(FIRST_LOAD_BUDGET_BYTES)}).\n`);
  if (total > FIRST_LOAD_BUDGET_BYTES) {
    process.stderr.write(`The web console's first load is over its budget by ${kb(total - FIRST_LOAD_BUDGET_BYTES)}.\n`);
    return 1;
  }
  return 0;
}

process.exitCode = main();
