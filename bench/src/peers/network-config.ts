/** How the bench configures the network echo peer (peers/network-echo.ts). */
export interface NetworkPeerConfig {
  transport: 'ws' | 'tcp' | 'nats';
  mode: 'raw' | 'ours';
  natsUrl?: string;
}

/** The NATS subjects of the raw floor: requests go up, replies come down. */
export const RAW_NATS_UP = 'bench.raw.up';
export const RAW_NATS_DOWN = 'bench.raw.down';
