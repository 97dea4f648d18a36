import type { IncomingMessage, Server } from 'node:http';
import type { Logger } from '../logger';
import type { Org } from '../org';
import { onRecordChanges, setWantedObjects, type RecordChange } from './change-feed';
import { EventLog, RETENTION_MS, type RetainedEvent } from './event-log';
import type { BayeuxMessage, FayeServerModule, NodeAdapter } from './faye-types';
import { matchPushTopics, topicExists, watchedObjects } from './push-topics';

// Untyped package; faye-types.ts describes what is used.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const faye = require('faye') as FayeServerModule;

export interface StreamingOptions {
  /** Long-poll hold in seconds; Salesforce holds about 110 s, tests want a few. */
  timeoutSeconds?: number;
  log: Logger;
}

export interface StreamingService {
  /** Publishes on a channel (e.g. a platform event `/event/X__e`) and retains it for replay. */
  publishEvent(channel: string, payload: Record<string, unknown>): number;
  close(): Promise<void>;
}

/**
 * The Streaming API (CometD / Bayeux, served by faye) on the org's own HTTP server, as jsforce's
 * streaming client expects it: any `/cometd/<version>` path, the session token in the handshake's
 * Authorization header, Salesforce's failure shapes (`403::Handshake denied`, `401::Authentication
 * invalid`, `400::… does not exist`), replay through `ext.replay`, PushTopic events for committed
 * DML and platform events published through `publishEvent`.
 */
export function attachStreaming(server: Server, org: Org, opts: StreamingOptions): StreamingService {
  const bayeux = new faye.NodeAdapter({ mount: '/cometd', timeout: opts.timeoutSeconds ?? 110 });
  const events = new EventLog(org.db);
  const replayFrom = new Map<string, number>();

  bayeux.addExtension({
    incoming(message, request, callback) {
      // The in-process publishing client has no request; it is the org itself.
      if (!request) return callback(message);
      if (message.channel === '/meta/handshake') {
        if (!org.sessions.resolve(tokenOf(request) ?? '')) message.error = '403::Handshake denied';
      } else if (message.channel === '/meta/subscribe' && typeof message.subscription === 'string') {
        const channel = message.subscription;
        const problem = subscribeProblem(org, channel);
        if (problem) message.error = problem;
        else {
          const replay = (message.ext?.replay as Record<string, unknown> | undefined)?.[channel];
          replayFrom.set(`${message.clientId} ${channel}`, typeof replay === 'number' ? replay : -1);
        }
      } else if (!message.channel.startsWith('/meta/')) {
        message.error = `403::Publish denied {${message.channel}}`;
      }
      callback(message);
    },
    outgoing(message, request, callback) {
      if (message.channel === '/meta/handshake' && request) {
        if (message.successful === false) {
          message.advice = { reconnect: 'none' };
          message.ext = { ...(message.ext ?? {}), sfdc: { failureReason: '401::Authentication invalid' } };
        } else {
          message.ext = { ...(message.ext ?? {}), replay: true, 'payload.format': true };
          message.supportedConnectionTypes = ['long-polling'];
        }
      }
      callback(message);
    },
  });

  bayeux.on('subscribe', (clientId, channel) => {
    const key = `${clientId} ${channel}`;
    const from = replayFrom.get(key);
    replayFrom.delete(key);
    if (from === undefined || from === -1) return;
    deliverTo(bayeux, clientId, events.after(channel, from, org.now()));
  });

  bayeux.attach(server);
  const client = bayeux.getClient();

  const publish = (
    channel: string,
    build: (replayId: number, createdDate: string) => Record<string, unknown>,
  ) => {
    const now = org.now();
    const createdDate = new Date(now).toISOString().replace('Z', '+0000');
    const event = events.append(channel, now, (replayId) => build(replayId, createdDate));
    void client.publish(channel, event.data);
    return event.replayId;
  };

  const onChanges = (changes: RecordChange[]) => {
    try {
      if (changes.some((c) => c.object.toLowerCase() === 'pushtopic'))
        setWantedObjects(org, watchedObjects(org, opts.log));
      for (const m of matchPushTopics(org, changes, opts.log)) {
        publish(`/topic/${m.topic}`, (replayId, createdDate) => ({
          event: { createdDate, replayId, type: m.type },
          sobject: m.sobject,
        }));
      }
      events.pruneBefore(org.now() - RETENTION_MS);
    } catch (err) {
      // A closed org (tests tearing down) or a broken topic must never fail the write that fired it.
      opts.log.warn({ err: (err as Error).message }, 'streaming: could not evaluate PushTopics');
    }
  };
  const unsubscribe = onRecordChanges(org, onChanges);
  setWantedObjects(org, watchedObjects(org, opts.log));

  return {
    publishEvent: (channel, payload) =>
      publish(channel, (replayId, createdDate) => ({
        schema: channel.slice(channel.lastIndexOf('/') + 1),
        payload: { CreatedDate: createdDate, ...payload },
        event: { replayId },
      })),
    close: async () => {
      unsubscribe();
      await Promise.resolve(client.disconnect());
      bayeux.close();
    },
  };
}

function tokenOf(req: IncomingMessage): string | null {
  const header = req.headers.authorization ?? '';
  const m = /^(?:OAuth|Bearer)\s+(.+)$/i.exec(header.trim());
  return m ? m[1] : null;
}

function subscribeProblem(org: Org, channel: string): string | null {
  if (channel.startsWith('/topic/')) {
    return topicExists(org, channel.slice('/topic/'.length))
      ? null
      : `400::The channel you requested to subscribe to does not exist {${channel}}`;
  }
  if (channel.startsWith('/event/') || channel.startsWith('/u/') || channel.startsWith('/data/')) return null;
  return `403::Unknown channel {${channel}}`;
}

/**
 * Replays retained events to one client only. faye has no public per-client send, so this queues
 * on its in-memory engine the way its own publish does (flushed on the client's next connect).
 */
function deliverTo(bayeux: NodeAdapter, clientId: string, events: RetainedEvent[]): void {
  if (events.length === 0) return;
  const proxy = (bayeux as unknown as { _server: { _engine: EngineProxy } })._server._engine;
  const engine = proxy._engine;
  const queue = engine._messages.get(clientId) ?? [];
  for (const e of events) queue.push({ channel: e.channel, data: e.data, id: String(e.replayId) });
  engine._messages.set(clientId, queue);
  engine.emptyQueue(clientId);
}

interface EngineProxy {
  _engine: { _messages: Map<string, BayeuxMessage[]>; emptyQueue(clientId: string): void };
}
