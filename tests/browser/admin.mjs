// Headless Chromium on the admin page (issue 6): an administrator signs in, creates a
// client, and copies the secret shown once.
//
//   node tests/browser/admin.mjs '<JSON>'
//
// JSON: {"issuer", "username", "password" (an administrator), "client_name",
//        "redirect_uri", "screenshots": directory}
// Prints one JSON line: {"ok": true, "client_id", "shown" (the secret in the box),
// "copied" (what the Copy button put on the clipboard), "screenshots"} or
// {"ok": false, "step", "error"}. Screenshots at desktop and phone widths.
import { DESKTOP, PHONE, run, shot, signIn } from './lib.mjs';

const opts = JSON.parse(process.argv[2]);

await run(opts, async (browser, result) => {
  const context = await browser.newContext({ locale: 'en-US', viewport: DESKTOP });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'],
                                 { origin: new URL(opts.issuer).origin });
  const page = await context.newPage();
  const problems = [];
  // Before signing in, the page's first call is answered 401 (and it goes to sign in);
  // the browser's own favicon request is nobody's business. Anything else that fails
  // is a problem.
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname;
    if (r.status() >= 400 && !path.endsWith('/favicon.ico') &&
        !(r.status() === 401 && path.endsWith('/admin/api/session')))
      problems.push(`${r.status()} ${path}`);
  });

  result.step = 'open /admin/ (sent to sign in)';
  await page.goto(`${opts.issuer}/admin/`);
  await signIn(page, opts);

  result.step = 'clients list';
  await page.waitForSelector('#panel-clients:not([hidden])', { timeout: 10000 });
  await page.waitForFunction(() => !document.getElementById('loading').offsetParent);
  await shot(page, opts, result, 'admin-1-clients-desktop');

  result.step = 'new client form';
  await page.click('#client-new');
  await page.fill('#c-name', opts.client_name);
  await page.fill('#c-redirect', opts.redirect_uri);
  await page.click('details.more summary');
  await shot(page, opts, result, 'admin-2-new-client-desktop');

  result.step = 'create';
  await page.click('#client-submit');
  await page.waitForSelector('#secret-box:not([hidden])', { timeout: 10000 });
  result.client_id = await page.inputValue('#secret-id');
  result.shown = await page.inputValue('#secret-value');
  await page.click('[data-copy=secret-value]');
  await page.waitForFunction(() =>
    document.querySelector('[data-copy=secret-value]').textContent === 'Copied');
  result.copied = await page.evaluate(() => navigator.clipboard.readText());
  await shot(page, opts, result, 'admin-3-secret-desktop');
  await page.setViewportSize(PHONE);
  await shot(page, opts, result, 'admin-4-secret-phone');

  result.step = 'secret dismissed';
  await page.click('#secret-done');
  if (await page.isVisible('#secret-box')) throw new Error('the secret box stayed');
  if (await page.inputValue('#secret-value') !== '') throw new Error('the secret stayed');
  const listed = await page.innerText('#clients-body');
  if (!listed.includes(opts.client_name)) throw new Error('the new client is not listed');
  await shot(page, opts, result, 'admin-5-clients-phone');

  result.step = 'users';
  await page.click('[data-tab=users]');
  await page.waitForSelector('#users-body tr', { timeout: 10000 });
  await shot(page, opts, result, 'admin-6-users-phone');
  await page.setViewportSize(DESKTOP);
  await shot(page, opts, result, 'admin-7-users-desktop');
  await page.click('#user-new');
  await shot(page, opts, result, 'admin-8-new-user-desktop');
  await page.click('#user-dialog [data-close]');

  result.step = 'developer tokens';
  await page.click('[data-tab=tokens]');
  await page.waitForSelector('#token-form', { timeout: 10000 });
  await shot(page, opts, result, 'admin-9-tokens-desktop');
  await page.setViewportSize(PHONE);
  await page.click('[data-tab=clients]');
  await page.click('#client-new');
  await shot(page, opts, result, 'admin-10-new-client-phone');
  await page.click('#client-dialog [data-close]');
  await page.setViewportSize(DESKTOP);
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, opts, result, 'admin-11-clients-dark-desktop');
  if (problems.length) throw new Error('failed: ' + problems.join(' | '));
});
