// What the admin and account browser tests share: playwright-core driving Debian's
// chromium (no browser download), screenshots, signing in on the login page, and the
// one JSON line each script prints.
//
// playwright-core comes from var/node (dev/deps --test), or from the prefix in
// $GATEHOUSE_NODE_PREFIX.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const prefix = process.env.GATEHOUSE_NODE_PREFIX || resolve(here, '../../var/node');
const playwright = await import(
  pathToFileURL(createRequire(prefix + '/').resolve('playwright-core')).href);
const chromium = playwright.chromium || playwright.default.chromium;  // a CommonJS module

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

// Runs body(browser, result) and prints result as one JSON line: {"ok": true, ...} or
// {"ok": false, "step", "error"}. body sets result.step as it goes.
export async function run(opts, body) {
  const result = { ok: false, step: 'launch', screenshots: [] };
  let browser;
  try {
    mkdirSync(opts.screenshots, { recursive: true });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    await body(browser, result);
    result.ok = true;
  } catch (e) {
    result.error = String((e && e.message) || e);
  } finally {
    if (browser) await browser.close();
  }
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exitCode = result.ok ? 0 : 1;
}

export async function shot(page, opts, result, label) {
  const file = join(opts.screenshots, `${label}.png`);
  await page.screenshot({ path: file, fullPage: true });
  result.screenshots.push(file);
}

// On the login page: types the credentials, presses the button and waits for the
// page it returns to.
export async function signIn(page, opts) {
  await page.waitForSelector('input[name=password]', { timeout: 10000 });
  await page.fill('input[name=username]', opts.username);
  await page.fill('input[name=password]', opts.password);
  await Promise.all([page.waitForNavigation(), page.click('form button[type=submit]')]);
}
