import { test } from 'vitest';
import { serveStatic } from './static-server.js';
import { launch, openPage } from './browser.js';
test('shots', async () => {
  const server = await serveStatic('/work/main/apps/lab/dist');
  const browser = await launch(process.env['NOGPU'] !== '1');
  for (const [name, path] of [['lab', '#/lab'], ['landscape', '#/landscape'], ['bench', '?quick=1#/benchmark']] as const) {
    const { page, errors } = await openPage(browser, server.url + path);
    await page.waitForTimeout(Number(process.env['WAIT'] ?? 3000));
    await page.screenshot({ path: `/tmp/shot-${name}.png`, fullPage: true });
    console.log(name, errors, await page.locator('.status').first().textContent());
  }
  await browser.close(); await server.close();
}, 120000);
