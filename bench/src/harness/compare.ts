import type { Budget } from './budget.js';
import type { PathStats } from './measure.js';
import type { Comparison, PhaseStats, Target } from './types.js';

/** Which modes a target applies to. */
export type TargetModes = 'both' | 'concurrent';

/** A target to check: ours/floor at least `minRatio`, in the given modes. */
export interface TargetSpec {
  minRatio: number;
  label: string;
  modes: TargetModes;
}

/** Puts the floor's figure beside ours for one mode, with the ratio and the target's verdict. */
export function compare(
  fields: { name: string; mode: string; unit: Comparison['unit']; floorLabel: string; oursLabel: string },
  floor: PhaseStats,
  ours: PhaseStats,
  target?: { minRatio: number; label: string },
): Comparison {
  const ratio = floor.perSecond > 0 ? ours.perSecond / floor.perSecond : 0;
  const comparison: Comparison = { ...fields, floor, ours, ratio };
  if (target) {
    const checked: Target = { minRatio: target.minRatio, label: target.label, met: ratio >= target.minRatio };
    comparison.target = checked;
  }
  return comparison;
}

/** The sequential and the concurrent comparison of one path of ours against its floor. */
export function compareModes(
  name: string,
  labels: { floor: string; ours: string },
  floor: PathStats,
  ours: PathStats,
  budget: Budget,
  target?: TargetSpec,
): Comparison[] {
  const base = { name, unit: 'calls/s' as const, floorLabel: labels.floor, oursLabel: labels.ours };
  const checked = target ? { minRatio: target.minRatio, label: target.label } : undefined;
  return [
    compare({ ...base, mode: 'sequential' }, floor.sequential, ours.sequential, target?.modes === 'both' ? checked : undefined),
    compare({ ...base, mode: `${budget.inFlight} in flight` }, floor.concurrent, ours.concurrent, checked),
  ];
}
