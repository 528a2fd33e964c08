// Starts the real helpforce binary for a test file: its own data directory (so its
// own embedded PostgreSQL, migrated and seeded with the demo data) and its own port.
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN_PASSWORD } from './staff.mjs';

export const TESTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// The first start initialises a PostgreSQL cluster, which takes a few seconds on
// a fast machine and much longer on a loaded CI runner.
const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;

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

async function tail(file, lines = 60) {
  try {
    const text = await readFile(file, 'utf8');
    return text.split('\n').slice(-lines).join('\n');
  } catch (err) {
    return `(no log: ${err.message})`;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `<bin> serve` and resolves once GET /readyz answers 200.
 * The binary is $HELPFORCE_BIN, or ../bin/helpforce (what `make build` writes).
 */
export async function startServer() {
  const bin = path.resolve(TESTS_DIR, process.env.HELPFORCE_BIN || '../bin/helpforce');
  if (!existsSync(bin)) {
    throw new Error(`no server binary at ${bin}: run "make build" first, or set HELPFORCE_BIN`);
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'helpforce-e2e-'));
  // Run as root, the server hands its PostgreSQL to an unprivileged user, which
  // must be able to pass through this directory (mkdtemp makes it 0700).
  await chmod(dir, 0o711);
  const logPath = path.join(dir, 'server.log');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;

  // Metrics on any free loopback port: several servers may run on one machine.
  // The demo admin's password is random unless given on the first start.
  const env = { ...process.env, HELPFORCE_DATA_DIR: path.join(dir, 'data'), HELPFORCE_ADDR: `127.0.0.1:${port}`,
    HELPFORCE_METRICS_ADDR: '127.0.0.1:0', HELPFORCE_ADMIN_PASSWORD: ADMIN_PASSWORD };
  // Without DATABASE_URL the server runs its own PostgreSQL in the data directory,
  // which is what keeps each test file isolated from any other database.
  delete env.DATABASE_URL;

  const logFd = openSync(logPath, 'a');
  const child = spawn(bin, ['serve'], { env, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  let exited = null;
  const exitedPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
  });

  async function stop() {
    if (!exited) {
      child.kill('SIGTERM');
      // The server stops its PostgreSQL on SIGTERM; killing it harder would leave
      // a postmaster running on the data directory we are about to delete.
      let timer;
      const timeout = new Promise((resolve) => { timer = setTimeout(resolve, STOP_TIMEOUT_MS, null); });
      const result = await Promise.race([exitedPromise, timeout]);
      clearTimeout(timer);
      if (!result) {
        child.kill('SIGKILL');
        await exitedPromise;
        console.error(`helpforce did not stop within ${STOP_TIMEOUT_MS / 1000}s of SIGTERM; log tail:\n${await tail(logPath)}`);
      } else if (result.code !== 0 && result.signal !== 'SIGTERM') {
        console.error(`helpforce exited with ${result.code ?? result.signal}; log tail:\n${await tail(logPath)}`);
      }
    }
    if (process.env.HELPFORCE_E2E_KEEP) console.error(`kept ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }

  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (exited) break;
    try {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return { url, dir, logPath, stop };
      lastProblem = `GET /readyz answered ${res.status}`;
    } catch (err) {
      lastProblem = err.cause?.code || err.message;
    }
    await sleep(250);
  }

  const why = exited
    ? `exited early with ${exited.code ?? exited.signal}`
    : `not ready after ${READY_TIMEOUT_MS / 1000}s (${lastProblem})`;
  const log = await tail(logPath);
  await stop();
  throw new Error(`helpforce serve ${why}; log tail:\n${log}`);
}
