/** A rate with a k/M suffix, e.g. 98.2k. */
export function formatRate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)}M`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)}k`;
  return perSecond.toFixed(0);
}

/** Microseconds with one decimal below 10, whole above. */
export function formatMicros(us: number | undefined): string {
  if (us === undefined) return '-';
  return us < 10 ? us.toFixed(1) : us.toFixed(0);
}

/** "p50 / p99" in µs. */
export function formatLatency(p50: number | undefined, p99: number | undefined): string {
  if (p50 === undefined) return '-';
  return `${formatMicros(p50)} / ${formatMicros(p99)}`;
}

/** A ratio as e.g. 0.62×. */
export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(2)}×`;
}

/** Megabytes with one decimal. */
export function formatMb(mb: number): string {
  return `${mb.toFixed(1)} MB`;
}

/** A verdict mark and the target in words. */
export function formatVerdict(met: boolean, label: string): string {
  return `${met ? '✓' : '✗'} ${label}`;
}
