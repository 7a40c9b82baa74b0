/** What a scenario is given and what it gives back. */
import { RunningTarget } from './targets';
import { TokenIssuer } from './tokens';

/** How big and how long each scenario is; `--quick` picks the small set. */
export interface Sizes {
  connections: number;
  connectsPerSecond: number;
  p2pUsers: number;
  p2pRates: number[];
  p2pPhaseMs: number;
  p2pWarmupMs: number;
  drainMs: number;
  fanoutUsers: number;
  wideSessions: number;
  flushCount: number;
  /** Offline users with a push subscription, pushed by one send. */
  pushUsers: number;
  /** Notifications in the one large inbox of the inbox scenario. */
  inboxSize: number;
  idleConnections: number;
  idleWindowMs: number;
  /** A longer quiet window that holds at least one full heartbeat period. */
  heartbeatWindowMs: number;
}

export interface ScenarioContext {
  target: RunningTarget;
  tokens: TokenIssuer;
  sizes: Sizes;
  log(message: string): void;
}

/** One cell of the table: a labelled figure for the target being measured. */
export interface Metric {
  label: string;
  value: number | string;
  decimals?: number;
}

export interface Scenario {
  name: string;
  /** False for placeholders that print a fixed row without starting a server. */
  needsTarget: boolean;
  /** The labels of the rows the scenario produces, so unavailable targets still line up. */
  labels(sizes: Sizes): string[];
  run(context: ScenarioContext): Promise<Metric[]>;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls a condition every 10 ms; resolves true when it holds, false at the deadline. */
export async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await sleep(10);
  }
  return true;
}

/** 12345 → "12,345", for labels. */
export function count(value: number): string {
  return value.toLocaleString('en-US');
}
