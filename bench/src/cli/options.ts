/** What the command line asked for. */
export interface RunOptions {
  /** Print the JSON report to stdout (the table goes to stderr). */
  json: boolean;
  /** Print the table as Markdown instead of plain text. */
  markdown: boolean;
  /** Short phases: a smoke run that checks every scenario works. */
  quick: boolean;
  /** Substrings of scenario ids to run; empty runs all. */
  only: string[];
  /** Where to write the JSON report; default results/latest.json in the bench package. */
  out: string | undefined;
  /** Write V8 CPU profiles of each scenario process (and its peers) into this directory. */
  profileDir: string | undefined;
  /** Render this JSON report (a previous run's) instead of running anything. */
  from: string | undefined;
  help: boolean;
}

/** Raised for a command line the runner does not understand. */
export class UsageError extends Error {
  readonly code = 'usage';

  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The usage text. */
export const USAGE = `Usage: node bench/dist/run.js [options]
  --quick            short phases: a smoke run (a few seconds per scenario)
  --only <pattern>   run scenarios whose id contains the pattern (repeat, or comma-separate)
  --json             print the JSON report to stdout (the table goes to stderr)
  --markdown         print the table as Markdown
  --out <file>       write the JSON report there (default bench/results/latest.json)
  --profile <dir>    write a V8 CPU profile of every scenario process and peer into <dir>
  --from <file>      print the table of a saved JSON report instead of running (with --markdown for the README)
  --help             this text`;

/** Parses argv (without node and the script). */
export function parseOptions(argv: readonly string[]): RunOptions {
  const options: RunOptions = { json: false, markdown: false, quick: false, only: [], out: undefined, profileDir: undefined, from: undefined, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === '--json') options.json = true;
    else if (arg === '--markdown') options.markdown = true;
    else if (arg === '--quick') options.quick = true;
    else if (arg === '--only') options.only.push(value());
    else if (arg.startsWith('--only=')) options.only.push(arg.slice('--only='.length));
    else if (arg === '--out') options.out = value();
    else if (arg === '--profile') options.profileDir = value();
    else if (arg === '--from') options.from = value();
    else if (arg === '--help' || arg === '-h') options.help = true;
    else throw new UsageError(`unknown option ${arg}`);
  }
  return options;
}
