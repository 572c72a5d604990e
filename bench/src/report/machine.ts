import { arch, cpus, loadavg, platform, totalmem } from 'node:os';
import type { MachineInfo } from '../harness/types.js';

/** The machine facts a report carries; the end load average is filled in when the run ends. */
export function describeMachine(): MachineInfo {
  const processors = cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: platform(),
    arch: arch(),
    cpu: processors[0]?.model.trim() ?? 'unknown',
    cores: processors.length,
    totalMemoryMb: Math.round(totalmem() / (1024 * 1024)),
    loadAverageStart: loadavg()[0] ?? 0,
    loadAverageEnd: loadavg()[0] ?? 0,
  };
}

/** The current 1-minute load average. */
export function currentLoad(): number {
  return loadavg()[0] ?? 0;
}
