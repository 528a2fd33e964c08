// The browser is Debian's Chromium, never one downloaded by Playwright.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.HELPFORCE_CHROMIUM || '/usr/bin/chromium';

// Tests run as root (hence no sandbox) and offline-friendly: without the
// networking flags Chromium keeps calling Google services on a closed network.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts Chromium; args adds flags a file needs (say, a fake camera). */
export function launchChromium(args = []) {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...ARGS, ...args] });
}

/** Context options for a mid-size phone held in portrait. */
export function phone(locale, baseURL) {
  return {
    baseURL,
    locale,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    colorScheme: 'light',
  };
}

/**
 * Records what should never happen on a page: uncaught exceptions and
 * Content-Security-Policy refusals (which Chromium reports on the console).
 */
export function watchForBreakage(page) {
  const problems = [];
  page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) problems.push(`csp: ${msg.text()}`);
  });
  return problems;
}
