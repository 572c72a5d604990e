/** The parts of a V8 .cpuprofile this summary reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time of one function across a profile. */
export interface SelfTime {
  /** `name (file:line)`; anonymous functions are named by place. */
  function: string;
  selfMs: number;
  /** Share of all non-idle samples, 0-100. */
  percent: number;
}

function shortUrl(url: string): string {
  if (url === '') return 'native';
  const path = url.replace(/^file:\/\//, '');
  const packages = path.indexOf('/packages/');
  if (packages >= 0) return path.slice(packages + 1);
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) return path.slice(modules + '/node_modules/'.length);
  const bench = path.indexOf('/bench/');
  return bench >= 0 ? path.slice(bench + 1) : path;
}

/** How samples are grouped: per function, or per source file (all of cmd-ipc's registry.js together, say). */
export type Grouping = 'function' | 'file';

/** Sums self time per function or file (V8 attributes each sample's following interval to it), sorted, idle left out. */
export function selfTimes(profile: CpuProfile, grouping: Grouping = 'function'): SelfTime[] {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  let all = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byNode.get(profile.samples[i]!);
    if (node === undefined) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    const us = profile.timeDeltas[i + 1] ?? 0;
    const key = functionName.startsWith('(')
      ? functionName
      : grouping === 'file'
        ? url === '' ? `native ${functionName}` : shortUrl(url)
        : `${functionName || '(anonymous)'} (${shortUrl(url)}:${lineNumber + 1})`;
    totals.set(key, (totals.get(key) ?? 0) + us);
    all += us;
  }
  return [...totals.entries()]
    .map(([name, us]) => ({ function: name, selfMs: us / 1000, percent: all > 0 ? (100 * us) / all : 0 }))
    .sort((a, b) => b.selfMs - a.selfMs);
}

/** The top `count` functions as aligned text lines. */
export function renderSelfTimes(times: SelfTime[], count: number): string {
  return times
    .slice(0, count)
    .map((time) => `${time.percent.toFixed(1).padStart(5)}%  ${time.selfMs.toFixed(0).padStart(7)} ms  ${time.function}`)
    .join('\n');
}
