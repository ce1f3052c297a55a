// The first page's JavaScript against a budget (ctest console_first_page_budget): every script
// and module preload that the built index.html loads, gzip-compressed at level 9 as build.mjs
// serves it. Exits 1 above the budget, so a heavy import that slips into the shell (every page
// loads the shell first) fails the test suite instead of slowing every sign-in unnoticed.
//   node scripts/first-page-size.mjs --dist DIR --budget BYTES
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

function argument(name) {
  const at = process.argv.indexOf(name);
  if (at < 0 || at + 1 >= process.argv.length) {
    console.error(`first-page-size.mjs: ${name} is required`);
    process.exit(2);
  }
  return process.argv[at + 1];
}

const dist = argument('--dist');
const budget = Number(argument('--budget'));
if (!Number.isInteger(budget) || budget <= 0) {
  console.error('first-page-size.mjs: --budget takes a whole number of bytes');
  process.exit(2);
}

const html = readFileSync(join(dist, 'index.html'), 'utf8');
const tags = /<script\b[^>]*\bsrc="([^"]+)"|<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g;
const scripts = [...html.matchAll(tags)].map((m) => m[1] ?? m[2]);
if (scripts.length === 0) {
  console.error(`first-page-size.mjs: ${dist}/index.html loads no script`);
  process.exit(1);
}

let total = 0;
for (const src of scripts) {
  const bytes = gzipSync(readFileSync(join(dist, src.replace(/^\//, ''))), { level: 9 }).length;
  console.log(`${String(bytes).padStart(8)}  ${src}`);
  total += bytes;
}
const verdict = total <= budget ? 'within' : 'OVER';
console.log(`first page JavaScript: ${total} bytes gzip, ${verdict} the budget of ${budget}`);
process.exit(total <= budget ? 0 : 1);
