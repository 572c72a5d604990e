import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ChainEvent } from './chain-event.js';
import { eventLine } from './chain-event.js';

/** Where a chain's events go as they are appended. */
export interface ChainSink {
  /** Records one event; must not reorder events. */
  write(event: ChainEvent): void;
  /** Resolves once every event written so far is stored. */
  flush(): Promise<void>;
  /** The stored lines, in order (for a file: exactly what is on disk). */
  readLines(): Promise<string[]>;
  /** Flushes and releases the sink. */
  close(): Promise<void>;
}

/** Keeps events in memory only (a runtime without a data directory). */
export class MemorySink implements ChainSink {
  private readonly lines: string[] = [];

  /** Appends the event's line. */
  write(event: ChainEvent): void {
    this.lines.push(eventLine(event));
  }

  /** Nothing is buffered. */
  async flush(): Promise<void> {}

  /** A copy of the lines. */
  async readLines(): Promise<string[]> {
    return [...this.lines];
  }

  /** Nothing to release. */
  async close(): Promise<void> {}
}

/**
 * Appends events as JSON lines to a file. Writes go through one append stream so they stay in order
 * without a synchronous write per event on the hot path; `flush` waits for them to reach the file.
 */
export class FileSink implements ChainSink {
  private stream: WriteStream | undefined;
  private failure: Error | undefined;
  private closed = false;

  private constructor(readonly path: string) {}

  /** Opens (creating directories as needed) a sink appending to `path`. */
  static async open(path: string): Promise<FileSink> {
    await mkdir(dirname(path), { recursive: true });
    const sink = new FileSink(path);
    sink.stream = createWriteStream(path, { flags: 'a' });
    sink.stream.on('error', (error) => {
      sink.failure = error;
    });
    return sink;
  }

  /** Queues the event's line on the append stream. */
  write(event: ChainEvent): void {
    if (this.failure) throw new ChainWriteError(this.path, this.failure);
    if (this.closed || !this.stream) throw new ChainWriteError(this.path, new Error('chain file is closed'));
    this.stream.write(`${eventLine(event)}\n`);
  }

  /** Resolves once every queued line has been handed to the file system. */
  flush(): Promise<void> {
    const stream = this.stream;
    if (!stream || this.closed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      // An empty write's callback runs after every earlier write has completed.
      stream.write('', (error) => (error ? reject(new ChainWriteError(this.path, error)) : resolve()));
    });
  }

  /** The file's lines (flushed first). */
  async readLines(): Promise<string[]> {
    await this.flush();
    return splitLines(await readFile(this.path, 'utf8'));
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    if (this.closed || !this.stream) return;
    await this.flush();
    this.closed = true;
    const stream = this.stream;
    await new Promise<void>((resolve) => stream.end(resolve));
  }
}

/** Raised when a chain's file cannot be written. */
export class ChainWriteError extends Error {
  readonly code = 'chain_write_failed';

  constructor(path: string, cause: Error) {
    super(`cannot write chain file ${path}: ${cause.message}`, { cause });
    this.name = 'ChainWriteError';
  }
}

/** Splits a JSON-lines file into its lines; the newline ending the last line does not make an extra one. */
export function splitLines(text: string): string[] {
  if (text.length === 0) return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
