/*
 * Proves the local stack's mail catcher end to end, against a running app (`npm run quickstart`,
 * whose SIGNAL_DEV_CREDENTIALS gives the development API key): sends a seed-004 fee notice with
 * `sendEmailV3` through the PHX Producer, waits until MailDev holds it, opens it in MailDev's web
 * UI in headless Chromium and saves a screenshot.
 *
 *   npm run demo:mail-screenshot
 *
 * The mail is opened through the demo page's link when the app serves it (DEMO_ENABLED), which is
 * saved too. SIGNAL_URL (http://127.0.0.1:3000), MAIL_CATCHER_URL (http://127.0.0.1:1080),
 * SIGNAL_API_KEY (the development key) and SCREENSHOTS (.cache/screenshots) override.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import {
  DEVELOPMENT_API_KEY,
  LOCAL_MAIL_CATCHER_URL,
} from '../../apps/signal/src/config/signal-config';
import { MailDevEmail, mailDevEmails } from '../lib/maildev';

const ROOT = join(__dirname, '..', '..');
const SIGNAL_URL = process.env.SIGNAL_URL ?? 'http://127.0.0.1:3000';
const MAIL_CATCHER_URL = process.env.MAIL_CATCHER_URL ?? LOCAL_MAIL_CATCHER_URL;
const API_KEY = process.env.SIGNAL_API_KEY ?? DEVELOPMENT_API_KEY;
const SCREENSHOTS = process.env.SCREENSHOTS ?? join(ROOT, '.cache', 'screenshots');
/** Debian's package (scripts/ensure-chromium.sh installs it); playwright-core downloads nothing. */
const CHROMIUM = '/usr/bin/chromium';
const MAIL_TIMEOUT_MS = 30_000;

/** Seed 004's fee notice, its content the HTML a fee system sends. */
function feeNotice(subject: string) {
  return {
    user_id: 8652,
    hostname: 'portal.phx.vn',
    action_code: 'FEE:NOTICE',
    type: 'TO_ME',
    sendEmailV3: {
      emailType: 'transaction-basic',
      to: 'parent.8652@example.com',
      subject,
      title: 'Thông báo học phí tháng 12',
      previewText: 'Nhà trường xin thông báo học phí tháng 12',
      content: [
        '<p>Kính gửi Quý phụ huynh,</p>',
        '<p>Học phí <b>tháng 12</b> của bé <strong>Nguyễn Minh Anh</strong>:</p>',
        '<table border="1" cellpadding="4"><tr><th>Khoản</th><th>Số tiền</th></tr>',
        '<tr><td>Học phí</td><td align="right">3.500.000đ</td></tr>',
        '<tr><td>Ăn bán trú</td><td align="right">900.000đ</td></tr></table>',
        '<p>Hạn nộp: <span style="color:#c62828;font-weight:bold">10/12</span>. ',
        'Chi tiết: <a href="https://portal.phx.vn/fees/2024-12">Cổng phụ huynh</a></p>',
      ].join(''),
    },
  };
}

async function send(subject: string): Promise<string> {
  const answer = await fetch(new URL('/emit/inapp-noti', SIGNAL_URL), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
    body: JSON.stringify(feeNotice(subject)),
  });
  const body = (await answer.json()) as { status?: string; id?: string };
  if (answer.status !== 202) {
    throw new Error(`the Producer answered ${answer.status} ${JSON.stringify(body)}`);
  }
  return String(body.id);
}

async function waitForMail(subject: string): Promise<MailDevEmail> {
  const deadline = Date.now() + MAIL_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const mail = (await mailDevEmails(MAIL_CATCHER_URL)).find((email) => email.subject === subject);
    if (mail) return mail;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `no e-mail "${subject}" in MailDev at ${MAIL_CATCHER_URL} after ${MAIL_TIMEOUT_MS} ms`,
  );
}

/** Through the demo page's link when the app serves it (DEMO_ENABLED), else directly. */
async function openMailCatcher(browser: BrowserContext): Promise<Page> {
  browser.setDefaultTimeout(20_000);
  const demo = await browser.newPage();
  // The page adds the link once its settings have loaded: by network idle.
  const answer = await demo.goto(new URL('/demo', SIGNAL_URL).href, { waitUntil: 'networkidle' });
  const link = demo.getByTestId('mail-catcher-link');
  if (answer?.ok() && (await link.count()) > 0) {
    await demo.screenshot({ path: join(SCREENSHOTS, 'demo-page.png') });
    const [page] = await Promise.all([browser.waitForEvent('page'), link.click()]);
    await page.waitForLoadState();
    console.log(`==> opened ${page.url()} from the demo page's link`);
    return page;
  }
  await demo.goto(MAIL_CATCHER_URL);
  console.log(`==> opened ${MAIL_CATCHER_URL} (no demo page: DEMO_ENABLED is off)`);
  return demo;
}

async function screenshot(subject: string): Promise<void> {
  // A fresh profile (--user-data-dir), and none of Chromium's own traffic (updates, sync, QUIC probes).
  await mkdir(SCREENSHOTS, { recursive: true });
  const profile = await mkdtemp(join(tmpdir(), 'signal-mail-screenshot-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 800 },
  });
  try {
    const page = await openMailCatcher(browser);
    await page.getByText(subject).first().click();
    // The message's HTML is shown in a frame of its own: wait until its body text is there.
    await page.frameLocator('iframe').first().getByText('Nguyễn Minh Anh').waitFor();
    // MailDev's own progress bar across the top, once its requests are done.
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(SCREENSHOTS, 'mail-catcher.png') });
  } finally {
    await browser.close();
    await rm(profile, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  // The time tells this run's mail from earlier ones in the UI's list.
  const subject = `Thông báo học phí tháng 12 · ${new Date().toISOString().slice(11, 19)}`;
  const requestId = await send(subject);
  console.log(`==> sent PHX request ${requestId} through ${SIGNAL_URL}: "${subject}"`);
  const mail = await waitForMail(subject);
  console.log(
    `==> MailDev holds it: id ${mail.id}, to ${mail.to.map((to) => to.address).join(', ')}`,
  );
  await screenshot(subject);
  console.log(`==> screenshots in ${relative(process.cwd(), SCREENSHOTS) || '.'}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
