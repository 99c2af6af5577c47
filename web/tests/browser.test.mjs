// Browser tests: Playwright (playwright-core) driving Debian's Chromium, headless, against a
// real `socialgov serve --demo` on a fresh SQLite database. Run by ./scripts/test as
//   SOCIALGOV_BIN=target/debug/socialgov node --test web/tests/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const bin = process.env.SOCIALGOV_BIN ?? 'target/debug/socialgov';
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

let server;
let dataDir;
let base;
let password;
let browser;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'socialgov-browser-'));
  server = spawn(bin, ['serve', '--demo', '--data-dir', dataDir, '--listen', '127.0.0.1:0'], {
    env: { ...process.env, SOCIALGOV_ASSETS_DIR: new URL('../node_modules/nhsuk-frontend/dist/nhsuk', import.meta.url).pathname },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60_000);
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const serving = out.match(/serving on (http:\/\/[^/\s]+)\//);
      const pw = out.match(/the password (\S+)/);
      if (serving && pw) {
        base = serving[1];
        password = pw[1];
        clearTimeout(timer);
        resolve();
      }
    });
    server.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
    server.on('error', (err) => reject(new Error(`cannot start ${bin}: ${err.message}`)));
  });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A fresh browser context signed in as `username`; fails the test on any script error. */
async function signIn(username) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (err) => page.errors.push(String(err)));
  page.on('console', (msg) => {
    // Pages that show form errors answer 400 on purpose; fonts come from assets.nhs.uk.
    if (msg.type() === 'error' && !/assets\.nhs\.uk|ERR_|status of 4\d\d/.test(msg.text())) page.errors.push(msg.text());
  });
  await page.goto(`${base}/login`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('button:has-text("Log in")');
  await page.waitForURL(`${base}/`);
  return page;
}

/** Runs axe-core on the page; returns serious and critical violations. */
async function axe(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => globalThis.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
  }));
  assert.ok(result.passes.length > 10, 'axe ran its rules');
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const POST = 'Mrs Smith in bed 4, NHS number 943 476 5919, is a f*cking nightmare tonight';

test('a staff member checks a post as they type, sees both findings highlighted, and redacts', async () => {
  const page = await signIn('nurse');
  await page.click('a:has-text("Check a post")');
  await page.fill('#text', POST);
  const marks = page.locator('#highlighted mark.sg-block');
  await marks.first().waitFor();
  const marked = await marks.allTextContents();
  assert.ok(marked.includes('943 476 5919'), `NHS number highlighted: ${marked}`);
  assert.ok(marked.some((m) => m.includes('f*cking')), `swear word highlighted: ${marked}`);
  const findings = await page.locator('#findings li').allTextContents();
  assert.ok(findings.some((f) => /NHS number/.test(f) && /Policy: /.test(f)), findings.join('\n'));
  assert.ok(findings.some((f) => /obscenity/i.test(f)), findings.join('\n'));
  await page.click('#redact');
  await page.waitForLoadState();
  const redacted = await page.inputValue('#text');
  assert.ok(redacted.includes('[NHS NUMBER]') && !redacted.includes('943 476 5919'), redacted);
  assert.deepEqual(page.errors, []);
});

test('the checker works without JavaScript', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.fill('#username', 'nurse');
  await page.fill('#password', password);
  await page.click('button:has-text("Log in")');
  await page.goto(`${base}/check`);
  await page.fill('#text', POST);
  await page.click('button:has-text("Check")');
  const marked = await page.locator('#highlighted mark.sg-block').allTextContents();
  assert.ok(marked.includes('943 476 5919'), `${marked}`);
  await context.close();
});

const ROLES = [
  { user: 'nurse', users: false, audit: false },
  { user: 'ward.manager', users: false, audit: false },
  { user: 'comms.officer', users: false, audit: false },
  { user: 'comms.head', users: false, audit: false },
  { user: 'hr.adviser', users: true, audit: false },
  { user: 'ig.lead', users: false, audit: false },
  { user: 'pals', users: false, audit: false },
  { user: 'safeguarding', users: false, audit: false },
  { user: 'legal', users: false, audit: false },
  { user: 'security', users: false, audit: false },
  { user: 'foi', users: false, audit: false },
  { user: 'admin', users: true, audit: true },
];

test('each role sees only what it may see', async () => {
  for (const role of ROLES) {
    const page = await signIn(role.user);
    const nav = await page.locator('.nhsuk-header__navigation-list a').allTextContents();
    assert.equal(nav.some((n) => n.includes('Users')), role.users, `${role.user}: ${nav}`);
    assert.equal(nav.some((n) => n.includes('Audit log')), role.audit, `${role.user}: ${nav}`);
    const audit = await page.goto(`${base}/admin/audit`);
    assert.equal(audit.status(), role.audit ? 200 : 403, role.user);
    const users = await page.goto(`${base}/admin/users`);
    assert.equal(users.status(), role.users ? 200 : 403, role.user);
    assert.equal(await page.locator('form[action="/admin/users"]').count(), role.user === 'admin' ? 1 : 0);
    await page.context().close();
  }
});

test('an administrator adds a user; field errors use the error summary', async () => {
  const page = await signIn('admin');
  await page.goto(`${base}/admin/users`);
  await page.fill('#username', 'new.starter');
  await page.fill('#display_name', 'New Starter');
  await page.fill('#password', 'short');
  await page.click('button:has-text("Add user")');
  const summary = page.locator('.nhsuk-error-summary');
  assert.match(await summary.textContent(), /12 characters/);
  await page.fill('#username', 'new.starter');
  await page.fill('#display_name', 'New Starter');
  await page.fill('#password', 'a long enough password');
  await page.check('#role-pals');
  await page.click('button:has-text("Add user")');
  assert.match(await page.locator('#users').textContent(), /new\.starter[\s\S]*PALS/);
  await page.goto(`${base}/admin/audit?action=user.create`);
  assert.match(await page.locator('#audit').textContent(), /admin\s*user\.create/);
  await page.context().close();
});

test('no page has a serious or critical accessibility violation', async () => {
  const anonymous = await (await browser.newContext()).newPage();
  await anonymous.goto(`${base}/login`);
  const problems = { login: await axe(anonymous) };
  await anonymous.goto(`${base}/no-such-page`);
  problems.notFound = await axe(anonymous);
  const admin = await signIn('admin');
  for (const path of ['/', '/check', '/admin/users', '/admin/users/1', '/admin/departments', '/admin/audit', '/channels', '/channels/new', '/imposters', '/training', '/admin/outbox']) {
    await admin.goto(`${base}${path}`);
    problems[path] = await axe(admin);
  }
  await admin.goto(`${base}/check`);
  await admin.fill('#text', POST);
  await admin.locator('#highlighted mark').first().waitFor();
  problems.checkResults = await axe(admin);
  const nurse = await signIn('nurse');
  await nurse.goto(`${base}/admin/audit`);
  problems.forbidden = await axe(nurse);
  for (const [page, list] of Object.entries(problems)) assert.deepEqual(list, [], page);
});

const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

test('a channel request goes from draft to active with four people, then to review and retirement', async () => {
  // The nurse fills in the form, saves a draft and sends it.
  const nurse = await signIn('nurse');
  await nurse.click('a:has-text("Channels")');
  await nurse.click('a:has-text("Request a channel")');
  await nurse.selectOption('#platform', 'instagram');
  const answers = {
    service: 'Ward 7', account_name: 'Ward 7 Nurses', handle: '@ward7.nurses',
    why_channel: 'Families ask how the ward works', why_platform: 'Where families already are',
    aim: 'Reassure and inform families', audience: 'Families of patients',
    strategy_fit: 'Patient experience priority', similar_presence: 'None',
    resources: 'Two nurses, one hour a week, for a year', exit_strategy: 'Tell followers, archive posts',
    success_measure: 'Followers and questions answered', target: '300 followers',
    review_point: day(300), profile_description: 'Ward 7 nursing team. Not monitored 24/7; call the ward.',
    staffed_hours: 'Weekdays 9 to 5', out_of_hours: 'Auto-reply with the ward phone',
    complaints_handling: 'Passed to PALS the same day', sensitive_data_handling: 'Never asked for; IG told',
    images: 'Ward photo without patients',
  };
  await nurse.fill('#service', answers.service);
  await nurse.click('button:has-text("Save request")');
  // A profile image: a file that is not an image is refused beside the field; a PNG is kept
  // and shown from the server.
  await nurse.setInputFiles('#file', { name: 'notes.txt', mimeType: 'image/png', buffer: Buffer.from('not an image') });
  await nurse.click('#add-image');
  assert.match(await nurse.locator('#file-error').textContent(), /not a PNG, JPEG, GIF or WebP/);
  assert.match(await nurse.locator('.nhsuk-error-summary').textContent(), /not a PNG/);
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAD0lEQVR4nGNgiNsBQhAKABuWBFl7bE0vAAAAAElFTkSuQmCC', 'base64');
  await nurse.setInputFiles('#file', { name: 'ward-7.png', mimeType: 'image/png', buffer: png });
  await nurse.click('#add-image');
  const shown = nurse.locator('#images img');
  await shown.waitFor({ timeout: 10_000 });
  assert.equal(await shown.evaluate((img) => img.complete && img.naturalWidth), 2, 'the image loads from the server');
  assert.match(await nurse.locator('#images').textContent(), /ward-7\.png[\s\S]*2 × 2 pixels/);
  assert.deepEqual(await axe(nurse), [], 'channel page with an image');
  await nurse.click('#step-submit');
  assert.match(await nurse.locator('.nhsuk-error-summary').textContent(), /Enter why a channel is needed/);
  assert.deepEqual(await axe(nurse), [], 'channel page with errors');
  await nurse.click('a:has-text("Change the request")');
  for (const [field, value] of Object.entries(answers)) await nurse.fill(`#${field}`, value);
  await nurse.check('#terms_read');
  assert.deepEqual(await axe(nurse), [], 'request form');
  await nurse.click('button:has-text("Save request")');
  await nurse.click('#step-submit');
  assert.equal(await nurse.locator('#state').textContent(), 'Waiting for line manager');
  const url = nurse.url();

  // Her line manager approves.
  const manager = await signIn('ward.manager');
  await manager.goto(url);
  await manager.click('#step-approve');
  assert.equal(await manager.locator('#state').textContent(), 'Waiting for communications');

  // Communications completes the plan.
  const comms = await signIn('comms.officer');
  await comms.goto(url);
  await comms.fill('#special_instructions', 'Use the approved ward photo only');
  await comms.fill('#recommendation', 'Approve for a year');
  await comms.click('#step-approve');
  assert.equal(await comms.locator('#state').textContent(), 'Waiting for head of communications');

  // The head of communications approves and names the nurse account manager.
  const head = await signIn('comms.head');
  await head.goto(url);
  assert.deepEqual(await axe(head), [], 'channel page with a decision form');
  const options = await head.locator('#account_manager option').allTextContents();
  assert.ok(options.some((o) => /Ada Administrator \(no in-date social media training\)/.test(o)), options.join());
  await head.selectOption('#account_manager', { label: 'Nia Nurse' });
  await head.click('#step-approve');
  assert.equal(await head.locator('#state').textContent(), 'Approved, to be set up');

  // Communications sets it up; it is on the register for everyone.
  await comms.goto(url);
  await comms.fill('#set_up_on', day(0));
  await comms.fill('#review_on', day(400));
  await comms.click('#step-go-live');
  assert.match(await comms.locator('.nhsuk-error-summary').textContent(), /within a year/);
  await comms.fill('#set_up_on', day(0));
  await comms.fill('#review_on', day(300));
  await comms.click('#step-go-live');
  assert.equal(await comms.locator('#state').textContent(), 'Active');
  // Editors: only people with in-date social media training are offered.
  const offered = await comms.locator('#editors label').allTextContents();
  assert.deepEqual(offered.map((o) => o.trim()).sort(), ['Colin Officer', 'Nia Nurse']);
  await comms.locator('#editors').getByLabel('Colin Officer').check();
  await comms.click('#save-editors');
  await comms.locator('#people dt:has-text("Editors")').waitFor({ timeout: 10_000 });
  assert.match(await comms.locator('#people').textContent(), /Editors\s*Colin Officer/);
  assert.deepEqual(await axe(comms), [], 'live channel page with the editors form');
  const pals = await signIn('pals');
  await pals.goto(`${base}/channels?state=active`);
  assert.match(await pals.locator('#register').textContent(), /Ward 7 Nurses[\s\S]*Nia Nurse/);

  // The review: renewed once, then retired.
  await comms.click('#step-start-review');
  assert.equal(await comms.locator('#state').textContent(), 'Review due');
  await comms.fill('#evidence', '340 followers; target met');
  await comms.fill('#review_on', day(300));
  await comms.click('#step-renew');
  assert.equal(await comms.locator('#state').textContent(), 'Active');
  await comms.click('#step-start-review');
  await comms.fill('#evidence', 'No posts for six months; followers told; account closed');
  await comms.click('#step-retire');
  assert.equal(await comms.locator('#state').textContent(), 'Retired');
  const history = await comms.locator('#history').textContent();
  for (const step of ['Submitted', 'Approved as line manager', 'Completed communications', 'Gave final approval', 'Set up: live', 'Renewed after review', 'Retired']) {
    assert.ok(history.includes(step), `${step} in ${history}`);
  }
  assert.match(await (await signIn('ward.manager')).locator('main').textContent(), /Hello/);
  for (const page of [nurse, manager, comms, head, pals]) {
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

test('communications imports training from a CSV export after a dry run that names every bad row', async () => {
  const comms = await signIn('comms.officer');
  await comms.click('a:has-text("Training")');
  const upload = (text) => comms.setInputFiles('#file', { name: 'esr-export.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
  const header = 'Email,Course,Completed,Expires\n';
  await upload(`${header}pals@demo-trust.nhs.invalid,Social media,01/03/2026,01/03/2099\nlegal,Induction,31/02/2026,\nghost@nowhere.invalid,Induction,2026-01-01,\n`);
  await comms.click('#dry-run');
  const errors = await comms.locator('#import-errors li').allTextContents();
  assert.deepEqual(errors.map((e) => e.split(':')[0]), ['Line 3', 'Line 4'], errors.join('\n'));
  assert.deepEqual(await axe(comms), [], 'training page with import errors');
  await upload(`${header}pals@demo-trust.nhs.invalid,Social media,01/03/2026,01/03/2099\nlegal,Induction,28/02/2026,\n`);
  await comms.click('#dry-run');
  assert.match(await comms.locator('#notice').textContent(), /All 2 rows are good/);
  await upload(`${header}pals@demo-trust.nhs.invalid,Social media,01/03/2026,01/03/2099\nlegal,Induction,28/02/2026,\n`);
  await comms.click('#import');
  assert.match(await comms.locator('#notice').textContent(), /Imported 2 training records/);
  assert.match(await comms.locator('#records').textContent(), /Pat PALS\s*Social media/);
  assert.deepEqual(comms.errors, []);
  await comms.context().close();
});
