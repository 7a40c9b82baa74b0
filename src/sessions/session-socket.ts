/**
 * What a Session writes to: a `ws` WebSocket as it is, or a Server-Sent Events stream
 * (SseSocket). Frames are the WebSocket's JSON text `{"event","data"}`; a transport with
 * another wire format translates them. `readyState` uses the WebSocket numbers.
 */
export interface SessionSocket {
  readonly readyState: number;
  /** Bytes written but not yet handed to the network: the slow-consumer cap reads it. */
  readonly bufferedAmount: number;
  /** `sent` runs once the frame has been handed to the network (flow control). */
  send(frame: string, sent?: (error?: Error) => void): void;
  close(code: number, reason: string): void;
  /** Drops the connection at once, without a closing handshake. */
  terminate(): void;
  once(event: 'close', listener: () => void): unknown;
}
