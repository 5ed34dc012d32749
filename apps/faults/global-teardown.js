const { execSync } = require('node:child_process');

// Stops the stack, including processes the tests restarted themselves (found by the ports they listen on).
module.exports = async function globalTeardown() {
  const faults = globalThis.__FAULTS__;
  await faults?.stack.stop();
  const ports = Object.values(JSON.parse(process.env.E2E_SERVICE_PORTS ?? '{}'));
  for (const port of [...ports, Number(process.env.FAULTS_EXTRA_PORT ?? 0)].filter(Boolean)) {
    const pids = execSync(`ss -Htlnp 'sport = :${port}' | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u`).toString().trim().split('\n').filter(Boolean);
    for (const pid of pids) {
      try {
        process.kill(Number(pid), 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }
  if (faults?.broker.startedHere) await faults.broker.stop();
};
