/** How long (and how many calls) each phase may take. Every phase is bounded in both. */
export interface Budget {
  warmupMs: number;
  phaseMs: number;
  /** Upper bound on calls per phase, whatever the time. */
  maxCalls: number;
  /** Calls in flight in the concurrent mode. */
  inFlight: number;
  /** Memory scenario: calls asked for, and the time bound on them. */
  memoryCalls: number;
  memoryMaxMs: number;
  /** A scenario process that runs longer than this is killed and reported as failed. */
  scenarioTimeoutMs: number;
}

/** The full run: about 3.5 s per path plus setup, the memory run up to 60 s. */
export const FULL_BUDGET: Budget = {
  warmupMs: 500,
  phaseMs: 1500,
  maxCalls: 5_000_000,
  inFlight: 64,
  memoryCalls: 1_000_000,
  memoryMaxMs: 60_000,
  scenarioTimeoutMs: 120_000,
};

/** A smoke run: checks every scenario works end to end in a few seconds each. */
export const QUICK_BUDGET: Budget = {
  warmupMs: 100,
  phaseMs: 250,
  maxCalls: 500_000,
  inFlight: 64,
  memoryCalls: 20_000,
  memoryMaxMs: 10_000,
  scenarioTimeoutMs: 60_000,
};
