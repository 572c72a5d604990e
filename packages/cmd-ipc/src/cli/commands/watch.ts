import { CliError } from '../cli-error.js';
import type { CliIo } from '../io.js';
import { CONNECT_OPTIONS, connectSettings, expectPositionals, integerOption, parse } from '../options.js';
import { withSession } from './with-session.js';

const WATCH_OPTIONS = { ...CONNECT_OPTIONS, count: { type: 'string' } } as const;

/**
 * `cmd-ipc watch [event-prefix]`: prints each event that reaches the hub, as it arrives, until
 * Ctrl-C (or `--count` events). A lost hub ends it with exit code 3. The line "watching …" goes to
 * standard error once the subscription is live, so a script knows when to start emitting.
 */
export async function runWatch(args: string[], io: CliIo): Promise<number> {
  const parsed = parse('watch', args, WATCH_OPTIONS);
  expectPositionals('watch', parsed, 0, 1, '[event-prefix]');
  const prefix = parsed.positionals[0] ?? '';
  const limit = integerOption(parsed, 'count', 0, 1);
  const json = parsed.values.json === true;
  const settings = connectSettings(parsed, io);
  return withSession(settings, async (session) => {
    let seen = 0;
    let finish: (code: number) => void = () => {};
    let fail: (error: CliError) => void = () => {};
    const done = new Promise<number>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
    session.registry.addEventListener('*', (payload, context) => {
      if (!context.eventId.startsWith(prefix)) return;
      const at = new Date();
      if (json) {
        const line: Record<string, unknown> = { at: at.toISOString(), eventId: context.eventId };
        if (payload !== undefined) line.payload = payload;
        io.out(`${JSON.stringify(line)}\n`);
      } else {
        io.out(`${clock(at)}  ${context.eventId}${payload === undefined ? '' : `  ${JSON.stringify(payload)}`}\n`);
      }
      seen++;
      if (limit > 0 && seen >= limit) finish(0);
    });
    session.registry.onChannelClosed((info) => {
      fail(new CliError('hub_unreachable', `lost the hub at ${session.url}${info.reason ? `: ${info.reason}` : ''}`, 'is `cmd-ipc serve` still running?'));
    });
    void io.stopRequested.then(() => finish(0));
    io.err(`watching ${prefix ? `events starting with "${prefix}"` : 'every event'} on ${session.url}${limit > 0 ? ` until ${limit} arrive` : ''} (Ctrl-C to stop)\n`);
    return done;
  });
}

function clock(at: Date): string {
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  return `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}.${pad(at.getMilliseconds(), 3)}`;
}
