import type { IncomingMessage, Server } from 'node:http';

/**
 * The server-side surface of faye this module uses. faye ships no types, and jsforce's typings
 * declare only its client half under the same module name, so the server half is typed here.
 */
export interface BayeuxMessage {
  channel: string;
  clientId?: string;
  id?: string;
  subscription?: string;
  successful?: boolean;
  error?: string;
  advice?: Record<string, unknown>;
  ext?: Record<string, unknown>;
  data?: unknown;
  supportedConnectionTypes?: string[];
}

type Callback = (m: BayeuxMessage) => void;

export interface ServerExtension {
  incoming?(message: BayeuxMessage, request: IncomingMessage | undefined, callback: Callback): void;
  outgoing?(message: BayeuxMessage, request: IncomingMessage | undefined, callback: Callback): void;
}

export interface Thenable {
  then(onFulfilled?: () => void, onRejected?: (err: unknown) => void): unknown;
}

export interface FayeClient {
  publish(channel: string, data: unknown): Thenable;
  disconnect(): Thenable | void;
}

export interface NodeAdapter {
  attach(server: Server): void;
  addExtension(ext: ServerExtension): void;
  getClient(): FayeClient;
  on(event: 'subscribe' | 'unsubscribe', cb: (clientId: string, channel: string) => void): void;
  close(): void;
}

export interface FayeServerModule {
  NodeAdapter: new (options: { mount: string; timeout?: number; ping?: number }) => NodeAdapter;
}
