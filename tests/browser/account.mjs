// Headless Chromium on the connected-apps page (issue 6): a person signs in at
// /account, sees the app they allowed, and removes its access.
//
//   node tests/browser/account.mjs '<JSON>'
//
// JSON: {"issuer", "username", "password", "client_name" (an app the person allowed),
//        "screenshots": directory}
// Prints one JSON line: {"ok": true, "screenshots"} or {"ok": false, "step", "error"}.
// Screenshots in English at desktop width and in Japanese at phone width.
import { DESKTOP, PHONE, run, shot, signIn } from './lib.mjs';

const opts = JSON.parse(process.argv[2]);

async function openAccount(browser, locale, viewport) {
  const context = await browser.newContext({ locale, viewport });
  const page = await context.newPage();
  await page.goto(`${opts.issuer}/account`);
  await signIn(page, opts);
  if (!page.url().endsWith('/account')) throw new Error(`back at ${page.url()}`);
  return page;
}

await run(opts, async (browser, result) => {
  result.step = 'sign in (ja, phone)';
  const ja = await openAccount(browser, 'ja-JP', PHONE);
  const jaText = await ja.innerText('main');
  if (!jaText.includes('連携中のアプリ') || !jaText.includes(opts.client_name))
    throw new Error('the Japanese page does not list the app: ' + jaText.slice(0, 300));
  await shot(ja, opts, result, 'account-1-ja-phone');

  result.step = 'sign in (en, desktop)';
  const page = await openAccount(browser, 'en-US', DESKTOP);
  const app = page.locator('li.app', { hasText: opts.client_name });
  if (await app.count() !== 1) throw new Error('the app is not listed once');
  await shot(page, opts, result, 'account-2-en-desktop');

  result.step = 'remove access';
  await Promise.all([page.waitForNavigation(), app.locator('button[type=submit]').click()]);
  if (!page.url().includes('removed=1')) throw new Error(`after removal at ${page.url()}`);
  if (await page.locator('li.app', { hasText: opts.client_name }).count() !== 0)
    throw new Error('the app is still listed');
  if (!(await page.innerText('.alert-success')).includes('Access removed'))
    throw new Error('no confirmation');
  await shot(page, opts, result, 'account-3-removed-desktop');
  await page.setViewportSize(PHONE);
  await shot(page, opts, result, 'account-4-removed-phone');
});
