// The renderer's test page in headless Chromium: test/browser/page.html and the real bundle
// dist/renderer.js served on loopback, Debian's Chromium through playwright-core. Shared by
// the browser tests and bench/render.mjs.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../scripts/code-server/launch.mjs';
import { CHROMIUM, ROOT } from '../../scripts/code-server/paths.mjs';

/** Resolves once the page has activated the renderer; close() stops browser and server. */
export async function openRendererPage() {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: run node scripts/code-server/install.mjs (apt-get install chromium)`);
  const files = {
    '/': join(ROOT, 'test', 'browser', 'page.html'),
    '/dist/renderer.js': join(ROOT, 'dist', 'renderer.js'),
  };
  const server = createServer((req, res) => {
    const file = files[req.url];
    if (!file) return res.writeHead(404).end();
    res
      .writeHead(200, { 'content-type': file.endsWith('.html') ? 'text/html' : 'text/javascript' })
      .end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page
    .waitForFunction(() => window.ready === true, null, { timeout: 20_000 })
    .catch(() => {
      throw new Error(`the renderer page did not load: ${errors.join('; ')}`);
    });
  return {
    page,
    async close() {
      await browser.close();
      server.close();
    },
  };
}

/** Renders a payload (an object, or JSON text as it is) as output `id` of the page, as VS Code would. */
export function renderOutput(page, id, mime, payload) {
  return page.evaluate(
    ([i, m, t]) => window.render(i, m, t),
    [id, mime, typeof payload === 'string' ? payload : JSON.stringify(payload)],
  );
}

/** Every image mark of a chart's scenegraph, with its panel and its position in the view. */
export function imageMarks(page, id) {
  return page.evaluate((i) => {
    const { view } = window.liveViews().get(i);
    const found = [];
    const walk = (node, ox, oy) => {
      for (const item of node.items ?? []) {
        if (node.marktype === 'image')
          found.push({ panel: item.datum.panel, x: ox + item.x, y: oy + item.y, w: item.width, h: item.height });
        if (node.marktype === 'group')
          for (const child of item.items ?? []) walk(child, ox + (item.x ?? 0), oy + (item.y ?? 0));
      }
    };
    walk(view.scenegraph().root, 0, 0);
    return { found, origin: view.origin() };
  }, id);
}
