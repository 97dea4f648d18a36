import type { Connection } from 'jsforce';
import { StreamingExtension } from 'jsforce/lib/api/streaming';
import type { RunningOrg } from '../../../emulator/src/server';
import { connect, startTestOrg } from '../../helpers/org';

// The Streaming API of the embedded org, through jsforce 3.10.16's own streaming client.

type Message = {
  event: { replayId: number; type: string; createdDate: string };
  sobject: Record<string, unknown>;
};

let running: RunningOrg;
let conn: Connection;
const clients: Array<{ disconnect(): unknown }> = [];
const track = (c: unknown) => clients.push(c as { disconnect(): unknown });

beforeAll(async () => {
  running = await startTestOrg({ streamingTimeoutSeconds: 2 });
  conn = connect(running);
  await conn.sobject('PushTopic').create({
    Name: 'JobRequests',
    Query: "SELECT Id, Status__c, Type__c FROM SalesOps_Job__c WHERE Status__c = 'Requested'",
    ApiVersion: 59.0,
    NotifyForFields: 'Referenced',
  });
});

afterAll(async () => {
  for (const c of clients) await Promise.resolve(c.disconnect());
  // jsforce keeps one faye client per connection for topics and events; end its long poll too.
  const shared = (conn.streaming as unknown as { _fayeClients: Record<string, { disconnect(): unknown }> })
    ._fayeClients;
  for (const c of Object.values(shared)) await Promise.resolve(c.disconnect());
  await running.close();
});

function collector(): { messages: Message[]; next(n: number): Promise<Message[]> } {
  const messages: Message[] = [];
  return {
    messages,
    next: (n) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const tick = () => {
          if (messages.length >= n) return resolve(messages.slice(0, n));
          if (Date.now() - started > 10_000)
            return reject(new Error(`only ${messages.length} of ${n} messages`));
          setTimeout(tick, 20);
        };
        tick();
      }),
  };
}

test('a matching insert and a matching update each arrive once; a non-matching write does not', async () => {
  const got = collector();
  const topic = conn.streaming.topic('JobRequests');
  const sub = topic.subscribe((m) => got.messages.push(m as unknown as Message));
  await sub;
  clients.push({ disconnect: () => sub.cancel() });

  const created = await conn.sobject('SalesOps_Job__c').create({ Type__c: 'Sync', Status__c: 'Requested' });
  const other = await conn.sobject('SalesOps_Job__c').create({ Type__c: 'Sync', Status__c: 'Running' });
  const [first] = await got.next(1);
  expect(first.event.type).toBe('created');
  expect(first.sobject).toEqual({ Id: created.id, Status__c: 'Requested', Type__c: 'Sync' });

  // Moving the non-matching record into the query's WHERE announces it as an update.
  await conn.sobject('SalesOps_Job__c').update({ Id: other.id as string, Status__c: 'Requested' });
  const [, second] = await got.next(2);
  expect(second.event.type).toBe('updated');
  expect(second.sobject.Id).toBe(other.id);
  expect(second.event.replayId).toBeGreaterThan(first.event.replayId);

  // Leaving the WHERE (Requested → Queued) announces nothing.
  await conn.sobject('SalesOps_Job__c').update({ Id: created.id as string, Status__c: 'Queued' });
  await new Promise((r) => setTimeout(r, 300));
  expect(got.messages).toHaveLength(2);
});

test('an all-or-none call that rolls back announces nothing', async () => {
  const got = collector();
  const sub = conn.streaming
    .topic('JobRequests')
    .subscribe((m) => got.messages.push(m as unknown as Message));
  await sub;
  clients.push({ disconnect: () => sub.cancel() });
  const results = await conn
    .sobject('SalesOps_Job__c')
    .create(
      [
        { Type__c: 'Sync', Status__c: 'Requested' },
        { Type__c: 'NotAType', Status__c: 'Requested' },
      ],
      { allOrNone: true },
    )
    .catch((e: unknown) => e);
  expect(JSON.stringify(results)).toMatch(/ALL_OR_NONE|INVALID_OR_NULL|bad value/i);
  await new Promise((r) => setTimeout(r, 300));
  expect(got.messages).toHaveLength(0);
});

test('replay -2 delivers retained events to the new subscriber', async () => {
  const got = collector();
  const client = conn.streaming.createClient([new StreamingExtension.Replay('/topic/JobRequests', -2)]);
  track(client);
  const sub = client.subscribe('/topic/JobRequests', (m: unknown) => got.messages.push(m as Message));
  await sub;
  const replayed = await got.next(2);
  expect(replayed.map((m) => m.event.type)).toEqual(['created', 'updated']);
});

test('a bad token is refused at handshake with the Salesforce failure reason', async () => {
  const bad = connect(running, 'not-a-token');
  const failure = new Promise<unknown>((resolve) => {
    const client = bad.streaming.createClient([
      new StreamingExtension.AuthFailure((err: unknown) => resolve(err)),
    ]);
    track(client);
    client.subscribe('/topic/JobRequests', () => undefined);
  });
  const err = (await failure) as { ext?: { sfdc?: { failureReason?: string } } };
  expect(err.ext?.sfdc?.failureReason).toBe('401::Authentication invalid');
});

test('subscribing to a topic that does not exist fails', async () => {
  const sub = conn.streaming.topic('NoSuchTopic').subscribe(() => undefined);
  await expect(sub).rejects.toBeTruthy();
  clients.push({ disconnect: () => sub.cancel() });
});

test('platform events published by the org carry the Salesforce shape', async () => {
  const got = collector();
  const sub = conn.streaming
    .channel('/event/Job_Request__e')
    .subscribe((m: unknown) => got.messages.push(m as Message));
  await sub;
  clients.push({ disconnect: () => sub.cancel() });
  running.streaming.publishEvent('/event/Job_Request__e', { Type__c: 'Cycle' });
  const [m] = await got.next(1);
  const msg = m as unknown as {
    schema: string;
    payload: Record<string, unknown>;
    event: { replayId: number };
  };
  expect(msg.schema).toBe('Job_Request__e');
  expect(msg.payload.Type__c).toBe('Cycle');
  expect(typeof msg.event.replayId).toBe('number');
});
