// Headless Chromium signs in through Gatehouse's login and consent pages (issue 4).
//
//   node tests/browser/signin.mjs '<JSON>'
//
// JSON: {"issuer", "client_id", "redirect_uri", "username", "password",
//        "locale" (the browser's: sets Accept-Language), "ui_locales" (optional),
//        "expect": {"lang": "ja", "login": [strings], "consent": [strings],
//                   "absent": [strings that must not show]},
//        "screenshots": directory, "name": file name prefix}
//
// Opens {issuer}/authorize (code + PKCE S256), checks the login page's visible text
// and <html lang>, signs in by typing and clicking, checks the consent page, clicks
// Allow, and catches the navigation to redirect_uri (nothing listens there: the
// request is answered here). Screenshots of each page go to the directory. Prints one
// JSON line: {"ok": true, "callback": URL, ...} or {"ok": false, "step", "error"}.
//
// playwright-core drives Debian's /usr/bin/chromium (no browser download); it comes
// from var/node (dev/deps --test), or from the prefix in $GATEHOUSE_NODE_PREFIX.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const prefix = process.env.GATEHOUSE_NODE_PREFIX || resolve(here, '../../var/node');
const playwright = await import(
  pathToFileURL(createRequire(prefix + '/').resolve('playwright-core')).href);
const chromium = playwright.chromium || playwright.default.chromium;  // a CommonJS module

const opts = JSON.parse(process.argv[2]);
const result = { ok: false, step: 'launch', screenshots: [] };
const b64url = (buf) => buf.toString('base64url');

async function shot(page, label) {
  const file = join(opts.screenshots, `${opts.name}-${result.screenshots.length + 1}-${label}.png`);
  await page.screenshot({ path: file, fullPage: true });
  result.screenshots.push(file);
}

async function checkText(page, label, wanted) {
  const text = await page.innerText('body');
  const lang = await page.getAttribute('html', 'lang');
  result[label] = { lang, text: text.slice(0, 2000) };
  if (opts.expect.lang && lang !== opts.expect.lang)
    throw new Error(`${label} page: <html lang="${lang}">, wanted ${opts.expect.lang}`);
  for (const s of wanted)
    if (!text.includes(s)) throw new Error(`${label} page does not show ${JSON.stringify(s)}`);
  for (const s of opts.expect.absent || [])
    if (text.includes(s)) throw new Error(`${label} page shows ${JSON.stringify(s)}`);
}

let browser;
try {
  mkdirSync(opts.screenshots, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    // Port 9 (discard) is on Chromium's list of unsafe ports; the redirect URI uses it.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
           '--explicitly-allowed-ports=9'],
  });
  const context = await browser.newContext({ locale: opts.locale, viewport: { width: 800, height: 700 } });
  const page = await context.newPage();
  // The answer to the client is a redirect to redirect_uri, where nothing listens
  // (and page.route never sees a redirect's target): catch the request itself.
  const callback = new Promise((res) => page.on('request', (r) => {
    if (r.url().startsWith(opts.redirect_uri)) res(r.url());
  }));

  result.step = 'authorize';
  const verifier = b64url(randomBytes(48));
  const state = b64url(randomBytes(12));
  const q = new URLSearchParams({
    response_type: 'code', client_id: opts.client_id, redirect_uri: opts.redirect_uri,
    scope: 'openid profile email', state, nonce: b64url(randomBytes(12)),
    code_challenge: b64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
  });
  if (opts.ui_locales) q.set('ui_locales', opts.ui_locales);
  await page.goto(`${opts.issuer}/authorize?${q}`);

  result.step = 'login page';
  await page.waitForSelector('input[name=password]', { timeout: 10000 });
  await checkText(page, 'login', opts.expect.login);
  await page.fill('input[name=username]', opts.username);
  await page.fill('input[name=password]', opts.password);
  await shot(page, 'login');

  result.step = 'sign in';
  await Promise.all([page.waitForNavigation(), page.click('form button[type=submit]')]);

  result.step = 'consent page';
  await page.waitForSelector('button[name=decision][value=allow]', { timeout: 10000 });
  await checkText(page, 'consent', opts.expect.consent);
  await shot(page, 'consent');

  result.step = 'allow';
  await page.click('button[name=decision][value=allow]', { noWaitAfter: true });
  const got = new URL(await Promise.race([callback, new Promise((_, rej) =>
    setTimeout(() => rej(new Error('no redirect to ' + opts.redirect_uri)), 10000).unref())]));
  // What the client received, on a page of its own (the tab itself is busy failing
  // to reach 127.0.0.1:9).
  const client = await context.newPage();
  await client.setContent('<!DOCTYPE html><meta charset="utf-8"><title>client</title>' +
    '<p style="font: 16px sans-serif">The client received:</p>' +
    '<pre style="white-space: pre-wrap; overflow-wrap: anywhere"></pre>');
  await client.locator('pre').evaluate((el, text) => { el.textContent = text; },
    got.href.replace(/[?&]/g, '\n$&'));
  await shot(client, 'callback');

  result.step = 'callback';
  result.callback = got.href;
  if (!got.searchParams.get('code')) throw new Error(`no code in ${got.href}`);
  if (got.searchParams.get('state') !== state) throw new Error(`state changed: ${got.href}`);
  if (got.searchParams.get('iss') !== opts.issuer) throw new Error(`iss: ${got.href}`);
  result.ok = true;
} catch (e) {
  result.error = String(e && e.message || e);
} finally {
  if (browser) await browser.close();
}
process.stdout.write(JSON.stringify(result) + '\n');
process.exitCode = result.ok ? 0 : 1;
