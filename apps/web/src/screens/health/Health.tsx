import { useMemo, useState } from 'react';
import {
  Area,
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useQuery } from 'urql';

import { failureOf } from '../../app/client';
import { formatDate, formatDays, formatMoney, formatMoneyList, formatPercent } from '../../app/format';
import { useSession } from '../../app/session';
import { currenciesOf, forecastRows, type Period, periodFilter, REPORT_DIMENSIONS, reportCsvPath, type ReportDimension } from './health-model';
import { ForecastQuery, HealthQuery, ReportQuery } from './health-operations';
import { ForecastAccuracy, GateFriction } from './Trust';
import { WhatChanged } from './WhatChanged';

const PERIODS: Array<[Period, string]> = [
  ['30', 'Last 30 days'],
  ['90', 'Last 90 days'],
  ['365', 'Last 12 months'],
  ['all', 'All time'],
];

function Tile({ label, value, detail, testId }: { label: string; value: string; detail?: string; testId: string }) {
  return (
    <div className="tile" data-testid={testId}>
      <div className="tile-label">{label}</div>
      <div className="tile-value">{value}</div>
      {detail && <div className="tile-detail">{detail}</div>}
    </div>
  );
}

function Forecast({ filter }: { filter: { from?: string } }) {
  const [result] = useQuery({ query: ForecastQuery, variables: { filter } });
  const ranges = useMemo(() => result.data?.forecast.ranges ?? [], [result.data]);
  const currencies = currenciesOf(ranges);
  const [chosen, setCurrency] = useState<string | null>(null);
  const currency = chosen && currencies.includes(chosen) ? chosen : (currencies[0] ?? 'EUR');
  const [target, setTarget] = useState<string>(() => window.localStorage.getItem(`pipeline.target.${currency}`) ?? '');
  const monthlyTarget = target.trim() === '' || Number.isNaN(Number(target)) ? null : Number(target);
  const rows = forecastRows(ranges, currency, monthlyTarget);
  const failure = failureOf(result.error);
  return (
    <section className="panel" aria-labelledby="forecast-heading">
      <h2 id="forecast-heading">Forecast: won revenue per close month</h2>
      {failure && (
        <p className="error" role="alert">
          {failure.message}
        </p>
      )}
      <div className="inline-form">
        {currencies.length > 1 && (
          <label>
            Currency
            <select value={currency} onChange={(event) => setCurrency(event.target.value)}>
              {currencies.map((code) => (
                <option key={code}>{code}</option>
              ))}
            </select>
          </label>
        )}
        <label>
          Monthly target ({currency})
          <input
            inputMode="decimal"
            value={target}
            onChange={(event) => {
              setTarget(event.target.value);
              window.localStorage.setItem(`pipeline.target.${currency}`, event.target.value);
            }}
            placeholder="e.g. 250000"
          />
        </label>
      </div>
      {rows.length === 0 ? (
        <p className="muted">{result.fetching ? 'Simulating…' : 'No open opportunities with an expected close date to forecast.'}</p>
      ) : (
        <>
          <figure>
            <ResponsiveContainer width="100%" height={240}>
              <ComposedChart data={rows} margin={{ left: 24, right: 16, top: 8 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="month" tickFormatter={(month: string) => month.slice(0, 7)} />
                <YAxis tickFormatter={(value: number) => Intl.NumberFormat('en', { notation: 'compact' }).format(value)} />
                <Tooltip />
                <Legend />
                <Area type="monotone" dataKey="band" name="P10–P90" fill="#9ec5e8" stroke="#3b6ea5" />
                <Line type="monotone" dataKey="median" name="P50" stroke="#1b4b7a" strokeWidth={2} />
                {monthlyTarget !== null && <ReferenceLine y={monthlyTarget} stroke="#8a3b00" strokeDasharray="6 3" label="Target" />}
              </ComposedChart>
            </ResponsiveContainer>
            <figcaption className="muted">
              Monte Carlo over measured stage-to-close rates ({result.data?.forecast.simulations} runs). The table holds the exact figures.
            </figcaption>
          </figure>
          <table>
            <caption className="visually-hidden">Forecast per month</caption>
            <thead>
              <tr>
                <th scope="col">Month</th>
                <th scope="col">P10</th>
                <th scope="col">P50</th>
                <th scope="col">P90</th>
                <th scope="col">P50 vs target</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.month}>
                  <td>{row.month.slice(0, 7)}</td>
                  <td>{formatMoney({ amount: row.p10, currency })}</td>
                  <td>{formatMoney({ amount: row.p50, currency })}</td>
                  <td>{formatMoney({ amount: row.p90, currency })}</td>
                  <td>{row.gap === null ? '—' : `${row.gap >= 0 ? '+' : '−'}${formatMoney({ amount: Math.abs(row.gap).toFixed(2), currency })}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function Reports({ filter }: { filter: { from?: string } }) {
  const { session } = useSession();
  const [dimension, setDimension] = useState<ReportDimension>('REP');
  const [result] = useQuery({ query: ReportQuery, variables: { dimension, filter } });
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const names = new Map((result.data?.salesReps ?? []).map((rep) => [rep.id, rep.name]));
  const label = (key: string | null) => (key === null ? 'Unassigned' : dimension === 'REP' ? (names.get(key) ?? key) : key);
  // The export needs the bearer token, so it is fetched and handed to the browser as a file.
  const download = async () => {
    setDownloadError(null);
    const response = await fetch(reportCsvPath(dimension, filter), { headers: { authorization: `Bearer ${session?.token}` } });
    if (!response.ok) return setDownloadError(`The export failed (HTTP ${response.status})`);
    const url = URL.createObjectURL(await response.blob());
    const link = Object.assign(document.createElement('a'), { href: url, download: `report-${dimension.toLowerCase()}.csv` });
    link.click();
    URL.revokeObjectURL(url);
  };
  return (
    <section className="panel" aria-labelledby="reports-heading">
      <h2 id="reports-heading">Reports</h2>
      <div className="inline-form">
        <label>
          By
          <select value={dimension} onChange={(event) => setDimension(event.target.value as ReportDimension)}>
            {REPORT_DIMENSIONS.map((value) => (
              <option key={value} value={value}>
                {{ REP: 'Rep', TEAM: 'Team', SOURCE: 'Lead source', INDUSTRY: 'Industry' }[value]}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void download()}>
          Download CSV
        </button>
      </div>
      {downloadError && (
        <p role="alert" className="error">
          {downloadError}
        </p>
      )}
      {result.error && (
        <p role="alert" className="error">
          {failureOf(result.error)?.message}
        </p>
      )}
      <table data-testid="report-table">
        <thead>
          <tr>
            <th scope="col">{{ REP: 'Rep', TEAM: 'Team', SOURCE: 'Source', INDUSTRY: 'Industry' }[dimension]}</th>
            <th scope="col">Open</th>
            <th scope="col">Open amount</th>
            <th scope="col">Won</th>
            <th scope="col">Lost</th>
            <th scope="col">Win rate</th>
            <th scope="col">Avg deal</th>
            <th scope="col">Median cycle</th>
          </tr>
        </thead>
        <tbody>
          {(result.data?.report ?? []).map((row) => (
            <tr key={row.key ?? 'none'}>
              <th scope="row">{label(row.key)}</th>
              <td>{row.openCount}</td>
              <td>{formatMoneyList(row.openAmount)}</td>
              <td>{row.wonCount}</td>
              <td>{row.lostCount}</td>
              <td>{formatPercent(row.winRate)}</td>
              <td>{formatMoneyList(row.averageDealValue)}</td>
              <td>{formatDays(row.medianCycleDays)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export default function Health() {
  const [period, setPeriod] = useState<Period>('90');
  const [bucket, setBucket] = useState<'WEEK' | 'MONTH'>('WEEK');
  const filter = useMemo(() => periodFilter(period), [period]);
  const [result] = useQuery({ query: HealthQuery, variables: { filter, bucket } });
  const metrics = result.data?.pipelineMetrics;
  const stageNames = new Map((result.data?.pipelines ?? []).flatMap((pipeline) => pipeline.stages.map((stage) => [stage.key, stage.name] as const)));
  const stageName = (key: string) => stageNames.get(key) ?? key;
  const series = (result.data?.pipelineMetricsSeries ?? []).map((period) => ({
    period: period.periodStart.slice(0, 10),
    winRate: period.metrics.winRate === null ? null : Math.round(period.metrics.winRate * 1000) / 10,
    open: period.metrics.pipelineSize.openCount,
    won: period.metrics.wonCount,
  }));
  return (
    <>
      <div className="page-head">
        <h1>Pipeline health</h1>
        <label>
          Period
          <select value={period} onChange={(event) => setPeriod(event.target.value as Period)}>
            {PERIODS.map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        </label>
      </div>
      {result.error && (
        <p role="alert" className="error">
          {failureOf(result.error)?.message}
        </p>
      )}
      {metrics && (
        <>
          <div className="tiles" aria-label="Key figures" role="group" data-ready={result.fetching ? 'false' : 'true'}>
            <Tile
              testId="kpi-pipeline-size"
              label="Pipeline size"
              value={String(metrics.pipelineSize.openCount)}
              detail={`${formatMoneyList(metrics.pipelineSize.openAmount)} · weighted ${formatMoneyList(metrics.pipelineSize.weightedAmount)}`}
            />
            <Tile
              testId="kpi-win-rate"
              label="Win rate"
              value={formatPercent(metrics.winRate)}
              detail={`${metrics.wonCount} won · ${metrics.lostCount} lost`}
            />
            <Tile testId="kpi-average-deal" label="Average deal value" value={formatMoneyList(metrics.averageDealValue)} />
            <Tile
              testId="kpi-sales-cycle"
              label="Sales cycle (median)"
              value={formatDays(metrics.salesCycle.medianDays)}
              detail={`${metrics.salesCycle.count} won deals · P90 ${formatDays(metrics.salesCycle.p90Days)}`}
            />
          </div>
          <div className="two-columns">
            <section className="panel" aria-labelledby="funnel-heading">
              <h2 id="funnel-heading">Stage funnel</h2>
              <figure>
                <ResponsiveContainer width="100%" height={200}>
                  <BarChart
                    data={metrics.pipelineSize.byStage.map((bucket) => ({ stage: stageName(bucket.stage), count: bucket.count }))}
                    layout="vertical"
                    margin={{ left: 24 }}
                  >
                    <XAxis type="number" allowDecimals={false} />
                    <YAxis type="category" dataKey="stage" width={110} />
                    <Tooltip />
                    <Bar dataKey="count" name="Open" fill="#2f6690" />
                  </BarChart>
                </ResponsiveContainer>
                <figcaption className="muted">Open opportunities per stage.</figcaption>
              </figure>
              <table data-testid="conversions">
                <caption>Conversion between stages</caption>
                <thead>
                  <tr>
                    <th scope="col">From</th>
                    <th scope="col">To</th>
                    <th scope="col">Entered</th>
                    <th scope="col">Advanced</th>
                    <th scope="col">Rate</th>
                  </tr>
                </thead>
                <tbody>
                  {metrics.stageConversions.map((row) => (
                    <tr key={`${row.fromStage}-${row.toStage}`}>
                      <td>{stageName(row.fromStage)}</td>
                      <td>{stageName(row.toStage)}</td>
                      <td>{row.entered}</td>
                      <td>{row.advanced}</td>
                      <td>{formatPercent(row.rate)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section className="panel" aria-labelledby="bottlenecks-heading">
              <h2 id="bottlenecks-heading">Bottlenecks</h2>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Stage</th>
                    <th scope="col">Open</th>
                    <th scope="col">Stalled</th>
                    <th scope="col">Median days</th>
                    <th scope="col">P90 days</th>
                    <th scope="col">Usual</th>
                  </tr>
                </thead>
                <tbody>
                  {metrics.bottlenecks.map((row) => (
                    <tr key={row.stage} className={row.stalledCount > 0 ? 'attention' : undefined}>
                      <th scope="row">{stageName(row.stage)}</th>
                      <td>{row.openCount}</td>
                      <td>{row.stalledCount}</td>
                      <td>{formatDays(row.medianDaysInStage)}</td>
                      <td>{formatDays(row.p90DaysInStage)}</td>
                      <td>{formatDays(row.usualDaysInStage)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </div>
          <section className="panel" aria-labelledby="trends-heading">
            <div className="panel-head">
              <h2 id="trends-heading">Trends</h2>
              <label>
                By
                <select value={bucket} onChange={(event) => setBucket(event.target.value as 'WEEK' | 'MONTH')}>
                  <option value="WEEK">Week</option>
                  <option value="MONTH">Month</option>
                </select>
              </label>
            </div>
            <figure>
              <ResponsiveContainer width="100%" height={220}>
                <LineChart data={series} margin={{ left: 8, right: 16 }}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="period" />
                  <YAxis yAxisId="count" allowDecimals={false} />
                  <YAxis yAxisId="rate" orientation="right" unit="%" domain={[0, 100]} />
                  <Tooltip />
                  <Legend />
                  <Line yAxisId="count" dataKey="open" name="Open" stroke="#2f6690" />
                  <Line yAxisId="count" dataKey="won" name="Won" stroke="#2d7a46" />
                  <Line yAxisId="rate" dataKey="winRate" name="Win rate %" stroke="#8a3b00" connectNulls />
                </LineChart>
              </ResponsiveContainer>
              <figcaption className="muted">
                Open pipeline, won deals and win rate per {bucket === 'WEEK' ? 'week' : 'month'} (periods starting {formatDate(series[0]?.period)}).
              </figcaption>
            </figure>
          </section>
        </>
      )}
      <WhatChanged />
      <Forecast filter={filter} />
      <ForecastAccuracy />
      <GateFriction filter={filter} />
      <Reports filter={filter} />
    </>
  );
}
