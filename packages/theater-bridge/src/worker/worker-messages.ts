/** Messages between the main thread and an actor's worker thread. */
import type { MessagePort } from 'node:worker_threads';

/** Main → worker: instantiate the module. */
export interface InitMessage {
  type: 'init';
  module: WebAssembly.Module;
  shared: SharedArrayBuffer;
  replyPort: MessagePort;
}

/** Main → worker: run one export with the state and params as JSON text. */
export interface CallMessage {
  type: 'call';
  seq: number;
  name: string;
  state: string;
  params: string;
}

export type ToWorker = InitMessage | CallMessage;

/** Worker → main: instantiated (or not). */
export type InitReply = { type: 'ready' } | { type: 'init-failed'; message: string };

/** Worker → main: the running export calls a host function; the worker blocks until the reply. */
export interface HostCallMessage {
  type: 'host';
  interface: string;
  function: string;
  input: string;
}

/** Worker → main: how an export call ended. */
export type CallReply =
  | { type: 'returned'; seq: number; output: string }
  | { type: 'trapped'; seq: number; message: string }
  | { type: 'abi-violation'; seq: number; message: string };

export type FromWorker = InitReply | HostCallMessage | CallReply;
