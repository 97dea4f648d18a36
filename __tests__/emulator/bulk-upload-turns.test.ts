import { EventEmitter } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import { receivingUpload, yieldToEventLoop } from '../../emulator/src/bulk/background';

/** How many turns of the event loop pass while `yieldToEventLoop()` is pending. */
async function turnsOfOneYield(): Promise<number> {
  let turns = 0;
  let done = false;
  const tick = (): void => {
    if (done) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  await yieldToEventLoop();
  done = true;
  return turns;
}

describe('a Bulk job between two chunks', () => {
  it('When no upload is being received, then it gives the event loop one turn', async () => {
    expect(await turnsOfOneYield()).toBeLessThanOrEqual(2);
  });

  it('When an upload is being received, then it gives the event loop many turns, until the body has arrived', async () => {
    const upload = new EventEmitter();
    receivingUpload(upload);
    expect(await turnsOfOneYield()).toBeGreaterThanOrEqual(30);
    upload.emit('end');
    // 'close' after 'end' must not count the upload off twice.
    upload.emit('close');
    expect(await turnsOfOneYield()).toBeLessThanOrEqual(2);
  });

  it('When an upload is dropped before its end, then it stops counting as being received', async () => {
    const upload = new EventEmitter();
    receivingUpload(upload);
    upload.emit('close');
    expect(await turnsOfOneYield()).toBeLessThanOrEqual(2);
  });
});
