/** The figures of one measured phase (one path, one mode). */
export interface PhaseStats {
  /** Calls (or deliveries) completed in the phase. */
  count: number;
  /** Wall time of the phase, in seconds. */
  seconds: number;
  /** count / seconds. */
  perSecond: number;
  /** Median latency in microseconds, when latency was measured. */
  p50Us?: number;
  /** 99th percentile latency in microseconds, when latency was measured. */
  p99Us?: number;
  /** Latency was recorded on one call in this many (1 = every call). */
  sampleEvery?: number;
}

/** A target to report against (never asserted): ours/floor must be at least `minRatio`. */
export interface Target {
  minRatio: number;
  /** The goal in words, e.g. "≥ 0.9× raw echo". */
  label: string;
  met: boolean;
}

/** The floor's figure beside ours for one mode of one scenario. */
export interface Comparison {
  /** What is compared, e.g. "executeCommand (zod)". */
  name: string;
  /** "sequential" (each call awaited) or "64 in flight" and similar. */
  mode: string;
  unit: 'calls/s' | 'events/s';
  floorLabel: string;
  oursLabel: string;
  floor: PhaseStats;
  ours: PhaseStats;
  /** ours.perSecond / floor.perSecond. */
  ratio: number;
  target?: Target;
}

/** RSS across many calls, to show memory stays flat. */
export interface MemoryResult {
  /** Calls asked for, and calls made within the time bound. */
  requestedCalls: number;
  calls: number;
  seconds: number;
  inFlight: number;
  /** This (calling) process, after gc, in MB. */
  rssBeforeMb: number;
  rssAfterMb: number;
  growthMb: number;
  /** The serving peer process, after gc, in MB. */
  peerRssBeforeMb: number;
  peerRssAfterMb: number;
  peerGrowthMb: number;
  /** Heap used by this process after gc, at each tenth of the run, in MB. */
  heapSamplesMb: number[];
  target: { maxGrowthMb: number; label: string; met: boolean };
}

/** A figure that has no floor (e.g. actor spawn time). */
export interface SoloFigure {
  name: string;
  value: number;
  unit: string;
}

/** What one scenario process reports. */
export interface ScenarioResult {
  id: string;
  title: string;
  status: 'ok' | 'unavailable' | 'failed';
  comparisons: Comparison[];
  memory?: MemoryResult;
  figures?: SoloFigure[];
  /** How the floor and ours were set up, in one or two sentences. */
  note?: string;
  error?: string;
  /** Wall time of the scenario process, setup included. */
  wallSeconds: number;
}

/** Facts about the machine a run happened on. */
export interface MachineInfo {
  node: string;
  v8: string;
  platform: string;
  arch: string;
  cpu: string;
  cores: number;
  totalMemoryMb: number;
  /** 1-minute load average when the run started and ended: a busy machine makes noisy figures. */
  loadAverageStart: number;
  loadAverageEnd: number;
}

/** The whole run, as written to results/latest.json and printed by --json. */
export interface BenchReport {
  startedAt: string;
  totalSeconds: number;
  machine: MachineInfo;
  options: { quick: boolean; only: string[] };
  scenarios: ScenarioResult[];
}
