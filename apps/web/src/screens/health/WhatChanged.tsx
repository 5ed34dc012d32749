import { useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useQuery } from 'urql';

import { failureOf } from '../../app/client';
import { formatDateTime, formatMoneyList } from '../../app/format';
import { WhatChangedQuery } from './health-operations';
import { currenciesIn, defaultDates, waterfallBars, waterfallInstants, waterfallRows } from './waterfall-model';

const EFFECT_COLOURS = { 1: '#2d7a46', [-1]: '#a63d2f', 0: '#2f6690' } as const;

// What changed in the open pipeline between two days the person picks: new, advanced, slipped, amounts, won, lost.
export function WhatChanged() {
  const [dates, setDates] = useState(() => defaultDates());
  const instants = useMemo(() => waterfallInstants(dates.from, dates.to), [dates]);
  const valid = 'from' in instants;
  const [result] = useQuery({ query: WhatChangedQuery, variables: valid ? instants : { from: '', to: '' }, pause: !valid });
  const waterfall = result.data?.pipelineWaterfall;
  const rows = waterfallRows(waterfall?.steps ?? []);
  const currencies = waterfall ? currenciesIn(waterfall.startOpen, waterfall.endOpen, ...waterfall.steps.map((step) => step.amount)) : [];
  const [chosen, setCurrency] = useState<string | null>(null);
  const currency = chosen && currencies.includes(chosen) ? chosen : (currencies[0] ?? null);
  const bars = waterfall && currency ? waterfallBars(waterfall.startOpen, waterfall.steps, waterfall.endOpen, currency) : [];
  const failure = failureOf(result.error);
  return (
    <section
      className="panel"
      aria-labelledby="changed-heading"
      data-testid="what-changed"
      data-ready={valid && result.data && !result.fetching ? 'true' : 'false'}
      data-from={valid ? instants.from : undefined}
      data-to={valid ? instants.to : undefined}
    >
      <h2 id="changed-heading">What changed</h2>
      <p className="muted panel-note">
        The open pipeline at the start of the first day against the end of the last (or now), rebuilt from the stage and amount history.
      </p>
      <div className="inline-form">
        <label>
          From
          <input type="date" value={dates.from} max={dates.to} onChange={(event) => setDates({ ...dates, from: event.target.value })} />
        </label>
        <label>
          To
          <input type="date" value={dates.to} min={dates.from} onChange={(event) => setDates({ ...dates, to: event.target.value })} />
        </label>
        {currencies.length > 1 && (
          <label>
            Chart currency
            <select value={currency ?? ''} onChange={(event) => setCurrency(event.target.value)}>
              {currencies.map((code) => (
                <option key={code}>{code}</option>
              ))}
            </select>
          </label>
        )}
      </div>
      {'error' in instants && (
        <p className="error" role="alert">
          {instants.error}
        </p>
      )}
      {failure && (
        <p className="error" role="alert">
          {failure.message}
        </p>
      )}
      {waterfall && result.data && (
        <div className="two-columns">
          <table data-testid="waterfall">
            <caption>
              {formatDateTime(waterfall.from)} → {formatDateTime(waterfall.to)}
            </caption>
            <thead>
              <tr>
                <th scope="col">Change</th>
                <th scope="col">Opportunities</th>
                <th scope="col">Amount</th>
              </tr>
            </thead>
            <tbody>
              <tr data-kind="START">
                <th scope="row">Open at the start</th>
                <td>{result.data.start.openCount}</td>
                <td>{formatMoneyList(waterfall.startOpen)}</td>
              </tr>
              {rows.map((row) => (
                <tr key={row.kind} data-kind={row.kind}>
                  <th scope="row">
                    {row.effect > 0 ? '+ ' : row.effect < 0 ? '− ' : ''}
                    {row.label}
                    {row.effect === 0 && <div className="muted">amount concerned, not added</div>}
                  </th>
                  <td>{row.count}</td>
                  <td>{formatMoneyList(row.amount)}</td>
                </tr>
              ))}
              <tr data-kind="END">
                <th scope="row">Open at the end</th>
                <td>{result.data.end.openCount}</td>
                <td>{formatMoneyList(waterfall.endOpen)}</td>
              </tr>
            </tbody>
          </table>
          {currency && (
            <figure>
              <ResponsiveContainer width="100%" height={260}>
                <BarChart data={bars} margin={{ left: 24, right: 16, top: 8 }}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="name" interval={0} tick={{ fontSize: 12 }} />
                  <YAxis tickFormatter={(value: number) => Intl.NumberFormat('en', { notation: 'compact' }).format(value)} />
                  <Tooltip
                    formatter={(value, name) =>
                      name === 'base' ? [] : [Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(Number(value)), currency]
                    }
                  />
                  <Bar dataKey="base" stackId="w" fill="transparent" isAnimationActive={false} />
                  <Bar dataKey="span" stackId="w" isAnimationActive={false}>
                    {bars.map((bar) => (
                      <Cell key={bar.name} fill={EFFECT_COLOURS[bar.effect]} />
                    ))}
                  </Bar>
                </BarChart>
              </ResponsiveContainer>
              <figcaption className="muted">
                Open amount in {currency}: start, what came in (green) and went out (red), end. The table holds the exact figures.
              </figcaption>
            </figure>
          )}
        </div>
      )}
    </section>
  );
}
