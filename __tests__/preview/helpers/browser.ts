import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Screenshots of every page the tests visit, so a failure can be looked at. */
export const SCREENSHOT_DIR = path.resolve(__dirname, '..', '..', '..', '.data', 'preview-screenshots');

export const hasChromium = existsSync(CHROMIUM);

/**
 * `describe` when Debian's chromium is installed, else a skipped block that says why (CI installs
 * it in .ci/run; locally: `apt-get install -y chromium`).
 */
export function describeInBrowser(name: string, fn: () => void): void {
  if (hasChromium) {
    describe(name, fn);
    return;
  }
  describe.skip(`${name} (skipped: ${CHROMIUM} is missing; apt-get install -y chromium)`, fn);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-extensions',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--no-proxy-server',
    ],
  });
}

/** Errors the page raised (uncaught exceptions and console errors), for asserting a clean render. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  return errors;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
