/**
 * `node bench/dist/profile-summary.js <file.cpuprofile>... [--top N] [--by-file]`: prints the functions (or files) with the
 * most self time in V8 CPU profiles (as written by `run.js --profile <dir>`), to see where time goes.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { type CpuProfile, renderSelfTimes, selfTimes } from './report/cpu-profile.js';

const args = process.argv.slice(2);
const byFileIndex = args.indexOf('--by-file');
const grouping = byFileIndex >= 0 ? 'file' : 'function';
if (byFileIndex >= 0) args.splice(byFileIndex, 1);
const topIndex = args.indexOf('--top');
const top = topIndex >= 0 ? Number(args.splice(topIndex, 2)[1]) : 25;
if (args.length === 0 || !Number.isInteger(top) || top < 1) {
  process.stderr.write('Usage: node bench/dist/profile-summary.js <file.cpuprofile>... [--top N] [--by-file]\n');
  process.exitCode = 2;
} else {
  for (const file of args) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    process.stdout.write(`\n${basename(file)}: top ${top} ${grouping === 'file' ? 'files' : 'functions'} by self time\n${renderSelfTimes(selfTimes(profile, grouping), top)}\n`);
  }
}
