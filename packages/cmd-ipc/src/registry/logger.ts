import type { Logger } from './types.js';

/** A logger that drops everything: the default, so a library never writes to the console uninvited. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** A logger writing to the console with a prefix; `minLevel` filters out the chattier levels. */
export function consoleLogger(prefix = 'cmd-ipc', minLevel: 'debug' | 'info' | 'warn' | 'error' = 'info'): Logger {
  const order = ['debug', 'info', 'warn', 'error'] as const;
  const min = order.indexOf(minLevel);
  const write = (level: (typeof order)[number]) => (message: string, data?: Record<string, unknown>) => {
    if (order.indexOf(level) < min) return;
    const line = `[${prefix}] ${level}: ${message}${data ? ` ${JSON.stringify(data)}` : ''}`;
    if (level === 'error' || level === 'warn') console.error(line);
    else console.log(line);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
