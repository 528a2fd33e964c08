// Lighthouse in Debian's Chromium, as a shopper's phone meets the app for the
// first time: mobile emulation, simulated slow 4G, empty caches and storage.
import lighthouse from 'lighthouse';
import { throttling } from 'lighthouse/core/config/constants.js';
import { pageFunctions } from 'lighthouse/core/lib/page-functions.js';
import net from 'node:net';
import { chromium } from 'playwright-core';
import { CHROMIUM } from './browser.mjs';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// The machine reaches no one but the registries: nothing in Chromium may call
// out, or a blocked request would stall the page load being measured.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
];

// Simulated throttling computes the network from the recorded load, but the
// main thread's time it scales from what it saw: Lighthouse's factor of 4
// assumes a desktop about four times faster than the phone it emulates (a
// Moto G Power, benchmark index 264 in Chrome DevTools' CPU calibration). A
// shared test machine busy with other work is slower than that, so the factor
// is calibrated to its benchmark index, never above Lighthouse's own.
const EMULATED_PHONE_BENCHMARK = 264;

async function cpuSlowdown(browser) {
  const page = await browser.newPage();
  try {
    const index = await page.evaluate(`(${pageFunctions.computeBenchmarkIndex})()`);
    return Math.min(throttling.mobileSlow4G.cpuSlowdownMultiplier, Math.max(1, index / EMULATED_PHONE_BENCHMARK));
  } finally {
    await page.close();
  }
}

/**
 * Runs Lighthouse's performance and accessibility audits on url and returns
 * {performance, accessibility, lcpMs, fcpMs, tbtMs, transferredBytes, cpuSlowdownMultiplier,
 * requests, lhr}.
 */
export async function firstLoad(url) {
  const port = await freePort();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...ARGS, `--remote-debugging-port=${port}`],
  });
  try {
    const cpuSlowdownMultiplier = await cpuSlowdown(browser);
    const result = await lighthouse(url, {
      port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility'],
      formFactor: 'mobile',
      throttlingMethod: 'simulate',
      throttling: { ...throttling.mobileSlow4G, cpuSlowdownMultiplier },
    });
    const { categories, audits } = result.lhr;
    if (result.lhr.runtimeError) throw new Error(`lighthouse: ${result.lhr.runtimeError.message}`);
    const requests = audits['network-requests'].details.items
      .map((r) => ({ url: r.url, transferSize: r.transferSize, resourceSize: r.resourceSize }));
    return {
      performance: categories.performance.score,
      accessibility: categories.accessibility.score,
      lcpMs: audits['largest-contentful-paint'].numericValue,
      fcpMs: audits['first-contentful-paint'].numericValue,
      tbtMs: audits['total-blocking-time'].numericValue,
      transferredBytes: audits['total-byte-weight'].numericValue,
      cpuSlowdownMultiplier,
      requests,
      lhr: result.lhr,
    };
  } finally {
    await browser.close();
  }
}
