/** The request every echo sends, floor and ours alike, so both move the same bytes. */
export const ECHO_REQUEST = { a: 1, b: 2 } as const;

/** The echo request's shape. */
export type EchoRequest = { a: number; b: number };

/** The command id of the echo that every "ours" path executes. */
export const ECHO_COMMAND = 'bench.echo';

/** The shared secret of every hub and client the bench starts (loopback only). */
export const BENCH_SECRET = 'cmd-ipc-bench-secret';
