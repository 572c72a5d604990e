import type { BenchReport, ScenarioResult } from '../harness/types.js';
import { formatLatency, formatMb, formatRate, formatRatio, formatVerdict } from './format.js';

/** The column titles of the comparison table. */
export const HEADER = ['scenario', 'ours vs floor', 'mode', 'floor/s', 'ours/s', 'ours/floor', 'floor p50/p99 µs', 'ours p50/p99 µs', 'target'];

/** One table row per comparison, plus one row for a memory run and one for each solo figure. */
export function tableRows(scenario: ScenarioResult): string[][] {
  const rows: string[][] = [];
  for (const c of scenario.comparisons) {
    rows.push([
      c.name,
      `${c.oursLabel} vs ${c.floorLabel}`,
      c.mode,
      `${formatRate(c.floor.perSecond)}${c.unit === 'events/s' ? ' ev' : ''}`,
      `${formatRate(c.ours.perSecond)}${c.unit === 'events/s' ? ' ev' : ''}`,
      formatRatio(c.ratio),
      formatLatency(c.floor.p50Us, c.floor.p99Us),
      formatLatency(c.ours.p50Us, c.ours.p99Us),
      c.target ? formatVerdict(c.target.met, c.target.label) : '',
    ]);
  }
  const m = scenario.memory;
  if (m) {
    rows.push([
      'memory (WebSocket)',
      `RSS after vs before ${m.calls.toLocaleString('en-US')} calls`,
      `${m.inFlight} in flight`,
      formatMb(m.rssBeforeMb),
      formatMb(m.rssAfterMb),
      `${m.growthMb >= 0 ? '+' : ''}${formatMb(m.growthMb)}`,
      `peer ${formatMb(m.peerRssBeforeMb)}`,
      `peer ${formatMb(m.peerRssAfterMb)}`,
      formatVerdict(m.target.met, m.target.label),
    ]);
  }
  for (const figure of scenario.figures ?? []) {
    rows.push([scenario.id, figure.name, '', '', `${figure.value.toFixed(2)} ${figure.unit}`, '', '', '', '']);
  }
  if (scenario.status !== 'ok') {
    rows.push([scenario.id, scenario.status === 'unavailable' ? 'not available yet' : 'FAILED (see below)', '', '', '', '', '', '', '']);
  }
  return rows;
}

/** Every row of a report. */
export function reportRows(report: BenchReport): string[][] {
  return report.scenarios.flatMap(tableRows);
}

/** One line about the machine and the run. */
export function machineLine(report: BenchReport): string {
  const m = report.machine;
  return (
    `Node ${m.node} (V8 ${m.v8}), ${m.cpu} × ${m.cores} cores, ${m.platform}/${m.arch}; ` +
    `load average ${m.loadAverageStart.toFixed(2)} at start, ${m.loadAverageEnd.toFixed(2)} at end; ` +
    `${report.options.quick ? 'QUICK smoke run (figures not meaningful)' : 'full run'}, ${report.totalSeconds.toFixed(0)} s`
  );
}
