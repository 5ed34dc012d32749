import { parseArgs } from 'node:util';

import { buildWebApp, WEB_DIST_DIR } from '../stack/web-build';
import { benchAnalyticsIngestion } from './analytics-ingestion.bench';
import { type BenchResult, print, save } from './bench-kit';
import { startBenchStack } from './bench-stack';
import { benchLeadImport } from './lead-import.bench';
import { benchLoad } from './load.bench';
import { benchPeers } from './peers.bench';
import { benchStageMoves } from './stage-moves.bench';
import { benchWebBoard } from './web-board.bench';

// `npm run bench -- [lead-import] [stage-moves] [load] [peers] [analytics-ingestion] [web-board]` (all by default; --seconds for
// load; --peer-seconds, --rounds, --load-seconds and --parts-only for peers; --profile <dir> for CPU profiles of the services (our gateway against Hive Gateway and the subgraph direct); --opportunities, --freshness-seconds, --moves-per-second, --kpi-runs, --keep-database <name> and --stop-after-kpis for analytics-ingestion). Services run
// from their production bundles. Figures are reported with a baseline measured in the same run, so the ratios compare
// across machines; results land in tools/bench/results/.
async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      opportunities: { type: 'string', default: '1000000' },
      seconds: { type: 'string', default: '180' },
      'freshness-seconds': { type: 'string', default: '120' },
      'moves-per-second': { type: 'string', default: '100' },
      'kpi-runs': { type: 'string', default: '40' },
      // analytics-ingestion: keeps a copy of the ingested analytics database under this name; stops after the KPI queries.
      'keep-database': { type: 'string' },
      'stop-after-kpis': { type: 'boolean', default: false },
      'peer-seconds': { type: 'string', default: '8' },
      rounds: { type: 'string', default: '3' },
      'load-seconds': { type: 'string', default: '30' },
      // Peers: only each subgraph's part against its SQL alone (no gateways, no load mix).
      'parts-only': { type: 'boolean', default: false },
      // Writes a V8 CPU profile per service (node --cpu-prof) into this folder when the stack stops.
      profile: { type: 'string' },
    },
  });
  const selected = positionals.length > 0 ? positionals : ['lead-import', 'stage-moves', 'load', 'peers', 'analytics-ingestion'];
  if (selected.includes('web-board')) await buildWebApp((message) => console.error(message));
  // The gateway serves the production bundle of the web app, as `npm start` does.
  const stack = await startBenchStack('bench', {
    WEB_DIST_DIR,
    ...(values.profile ? { PIPELINE_NODE_FLAGS: `--cpu-prof --cpu-prof-dir=${values.profile}` } : {}),
  });
  const results: BenchResult[] = [];
  try {
    const quiet = async () => {
      const started = Date.now();
      await stack.waitForQuiet();
      console.error(`stack settled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    };
    if (selected.includes('lead-import')) {
      await quiet();
      results.push(await benchLeadImport(stack));
    }
    if (selected.includes('stage-moves')) {
      await quiet();
      results.push(await benchStageMoves(stack));
    }
    if (selected.includes('load')) {
      await quiet();
      results.push(await benchLoad(stack, Number(values.seconds)));
    }
    if (selected.includes('peers')) {
      await quiet();
      results.push(
        ...(await benchPeers(stack, {
          seconds: Number(values['peer-seconds']),
          rounds: Number(values.rounds),
          loadSeconds: Number(values['load-seconds']),
          partsOnly: values['parts-only'],
        })),
      );
    }
    if (selected.includes('analytics-ingestion')) {
      await quiet();
      results.push(
        ...(await benchAnalyticsIngestion(stack, Number(values.opportunities), {
          freshnessSeconds: Number(values['freshness-seconds']),
          movesPerSecond: Number(values['moves-per-second']),
          kpiRuns: Number(values['kpi-runs']),
          keepDatabase: values['keep-database'],
          stopAfterKpis: values['stop-after-kpis'],
        })),
      );
    }
    if (selected.includes('web-board')) {
      await quiet();
      results.push(...(await benchWebBoard(stack)));
    }
  } finally {
    await stack.release();
  }
  print(results);
  save(results);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
