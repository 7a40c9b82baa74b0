/**
 * What a Session writes to: a `ws` WebSocket as it is, or a Server-Sent Events stream
 * (SseSocket). Frames are the WebSocket's JSON text `{"event","data"}`; a transport with
 * another wire format translates them. `readyState` uses the WebSocket numbers.
 */
export interface SessionSocket {
  readonly readyState: number;
  send(frame: string): void;
  close(code: number, reason: string): void;
  once(event: 'close', listener: () => void): unknown;
}
