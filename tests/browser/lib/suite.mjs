// Each test file runs against its own real server and Chromium, started
// before its first test and stopped after its last.
import { after, before } from 'node:test';
import { launchChromium, phone, watchForBreakage } from './browser.mjs';
import { startServer } from './server.mjs';

// serverAndBrowser registers the file's before and after hooks and returns
// where they put the server and the browser; then, if given, runs ready(env)
// to prepare what the file's tests share. chromiumArgs adds Chromium flags.
export function serverAndBrowser(ready, { chromiumArgs = [] } = {}) {
  const env = {};
  before(async () => {
    env.server = await startServer();
    env.browser = await launchChromium(chromiumArgs);
    await ready?.(env);
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

// onPhone opens a phone in locale on the file's server, runs
// fn(page, breakage, context) with the page's breakage being watched, and
// closes the phone whatever happens.
export async function onPhone(env, locale, fn) {
  const context = await env.browser.newContext(phone(locale, env.server.url));
  try {
    const page = await context.newPage();
    await fn(page, watchForBreakage(page), context);
  } finally {
    await context.close();
  }
}
