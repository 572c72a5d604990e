/**
 * @cmd-ipc/bench: the benchmark suite. Run it with `pnpm bench`; these exports let other tools read
 * its JSON report.
 */
export type { BenchReport, Comparison, MachineInfo, MemoryResult, PhaseStats, ScenarioResult, SoloFigure, Target } from './harness/types.js';
export { SCENARIOS, selectScenarios } from './scenarios/catalog.js';
export { renderMarkdown, renderTable } from './report/table.js';
