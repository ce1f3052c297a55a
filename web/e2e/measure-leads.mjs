// Measures the leads list and the board on a demo workspace: the time from navigation to a usable
// list (the first page of rows rendered for the URL asked) or board (totals and every column's
// first cards rendered), and the JavaScript the page loaded (gzip, as sent). Not a test: run by hand, e.g.
//   GATEHOUSE_BIN=../build/release/gatehouse node e2e/measure-leads.mjs --leads 20000 [--path /leads,/leads/board]
// Prints one line per measurement.
import { apiSession, launchBrowser, openPage, signIn, startServer } from './harness.mjs';

const at = process.argv.indexOf('--leads');
const leads = at > 0 ? Number(process.argv[at + 1]) : 20000;
const runs = 3;
const only = process.argv.indexOf('--path');
const paths = only > 0 ? process.argv[only + 1].split(',') : ['/leads', '/leads?sort=-created_at', '/leads?price_from=50000&sort=-updated_at&limit=100', '/leads/board'];

const started = Date.now();
const server = await startServer({ leads });
console.log(`demo workspace with ${leads} leads ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
const browser = await launchBrowser();
try {
  const admin = await apiSession(server.url, server.adminEmail);
  const users = (await admin('GET', '/api/v4/users?limit=250')).body._embedded.users;
  const agent = users.find((u) => !u.rights.is_admin && u.rights.is_active && !u.rights.is_free && u.rights.leads.view === 'M');
  for (const [who, email] of [['administrator (all leads)', server.adminEmail], ['"If responsible" user', agent.email]]) {
    for (const path of paths) {
      for (const cache of ['cold', 'warm']) {
        const times = [];
        const marks = [];
        let js = 0;
        for (let i = 0; i < runs; ++i) {
          const view = await openPage(browser, server.url);
          await signIn(view.page, email);
          const cdp = await view.context.newCDPSession(view.page);
          await cdp.send('Network.enable');
          await cdp.send('Network.setCacheDisabled', { cacheDisabled: cache === 'cold' });
          if (cache === 'warm') await view.page.goto('/leads?limit=25'); // assets in the cache
          await view.page.goto('about:blank');
          await view.page.goto(path);
          const search = new URL(view.page.url()).searchParams.toString();
          // The board is usable when its totals and every column's first cards are in.
          const ready = path.startsWith('/leads/board')
            ? '[data-ready="true"][data-pipeline-id]'
            : `[data-ready="true"][data-search="${search}"]`;
          await view.page.locator(ready).waitFor({ timeout: 120_000 });
          const result = await view.page.evaluate(() => ({
            now: performance.now(),
            // When the main bundle, the page's chunk and the first page of leads had arrived.
            marks: ['/assets/index-', '/assets/LeadsPage-', '/assets/BoardPage-', '/api/v4/leads?', '/api/v4/leads/summary'].map((part) => {
              const entry = performance.getEntriesByType('resource').find((e) => e.name.includes(part));
              return entry ? Math.round(entry.responseEnd) : null;
            }),
            js: performance
              .getEntriesByType('resource')
              .filter((e) => e.name.endsWith('.js'))
              .reduce((sum, e) => sum + e.encodedBodySize, 0),
          }));
          times.push(result.now);
          marks.push(result.marks);
          js = result.js;
          await view.context.close();
        }
        times.sort((a, b) => a - b);
        console.log(
          `${who} ${path} (${cache} cache): median ${times[Math.floor(runs / 2)].toFixed(0)} ms ` +
            `[${times.map((t) => t.toFixed(0)).join(', ')}] (bundle, page chunk, leads API done at: ` +
            `${marks.map((m) => m.join('/')).join('; ')} ms), JavaScript ${cache === 'cold' ? `${(js / 1024).toFixed(1)} KiB gzip` : 'from cache'}`,
        );
      }
    }
  }
} finally {
  await browser.close();
  await server.stop();
}
