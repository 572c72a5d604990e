import './types/webassembly.js';
export { createTheater, type Theater, type TheaterOptions } from './theater.js';
export {
  ActorRuntime,
  actorCommandPrefix,
  type ActorRuntimeOptions,
  type ActorInfo,
  type SpawnOptions,
} from './runtime/actor-runtime.js';
export type { Actor, ActorStatus } from './runtime/actor.js';
export type { LifecycleEvent, LifecycleListener } from './runtime/lifecycle.js';
export type { RegistryPort } from 'cmd-ipc';
export { TheaterBridge, type TheaterBridgeOptions } from './bridge/theater-bridge.js';
export { BridgeRequestSchemas, type BridgeCommand } from './bridge/bridge-schemas.js';
export { loadManifest, parseManifest, type Manifest, type HandlerGrant } from './manifest/manifest.js';
export { RestartPolicySchema, type RestartPolicy } from './manifest/manifest-schema.js';
export { checkImports, handlerExports, RESERVED_EXPORTS } from './manifest/capabilities.js';
export { INTERFACES, interfaceByName, commandFor, type HandlerType, type InterfaceSpec } from './handlers/interfaces.js';
export { HANDLE_REQUEST, HANDLE_SEND } from './handlers/message-server-handler.js';
export { HANDLE_TICK } from './handlers/timer/timer-handler.js';
export { ContentStore } from './handlers/store/content-store.js';
export { hashEvent, makeEvent, type ChainEvent, type ChainEventType } from './chain/chain-event.js';
export { EventChain } from './chain/event-chain.js';
export { verifyLines, verifyLinesAgainst, verifyChainFile, parseChainLines, type VerifyResult, type RecordedHead } from './chain/verify.js';
export { replayChain, type ReplayResult, type ReplayOptions } from './replay/replay.js';
export { replayActor } from './bridge/replay-actor.js';
export { canonicalJson } from './json/canonical-json.js';
export type { JsonValue, JsonObject } from './json/json-value.js';
export * from './errors/theater-errors.js';
