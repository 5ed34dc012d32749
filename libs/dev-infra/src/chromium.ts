import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

// The browser tests drive Debian's Chromium through playwright-core, which downloads no browser. A machine without it
// gets it from apt (CI runs as root); elsewhere CHROMIUM_PATH names another build.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function ensureChromium(log: (message: string) => void = console.log): string {
  if (fs.existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (process.getuid?.() !== 0) throw new Error(`No Chromium at ${CHROMIUM_PATH}: run "sudo apt-get install chromium" or set CHROMIUM_PATH`);
  log("[chromium] installing Debian's chromium with apt-get (once per machine)…");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-liberation'], { stdio: 'inherit', env });
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`apt-get installed chromium, but ${CHROMIUM_PATH} is missing`);
  return CHROMIUM_PATH;
}

// Flags for a shared, offline CI machine: no sandbox (root), no GPU, and no background traffic to the closed network.
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
