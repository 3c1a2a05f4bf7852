import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { InboundEvent, OutboundMessage } from '../../src/channels/types.js';
import { Dispatcher } from '../../src/dispatch/dispatcher.js';
import type { Conversations } from '../../src/store/conversations.js';
import { Journal } from '../../src/store/journal.js';

/** Eight users' messages through a dispatcher whose pipeline takes a few milliseconds: how many ran at once. */
async function mostAtOnce(pipelines: number | undefined): Promise<{ most: number; handled: number }> {
  const journal = await Journal.open<InboundEvent, OutboundMessage>(await mkdtemp(path.join(os.tmpdir(), 'pipelines-')));
  let running = 0;
  let most = 0;
  let handled = 0;
  const dispatcher = new Dispatcher({
    journal,
    pipeline: {
      async handle() {
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        handled++;
        return null;
      },
    },
    // Never reached: a pipeline that answers nothing leaves the conversation alone.
    conversations: {} as Conversations,
    channels: new Map(),
    gates: new Map(),
    logger: pino({ level: 'silent' }),
    maxUsers: 8,
    ...(pipelines === undefined ? {} : { pipelines }),
  });
  const at = Date.now();
  await dispatcher.receive(
    Array.from({ length: 8 }, (_, i) => ({
      id: `web:${i}`,
      event: { kind: 'message' as const, message: { channel: 'web' as const, userId: `u${i}`, messageId: `m${i}`, timestamp: at, kind: 'text' as const, text: 'hỏi' } },
    })),
  );
  await dispatcher.idle();
  await dispatcher.stop();
  await journal.close();
  return { most, handled };
}

describe('Dispatcher pipelines', () => {
  it('works out at most `pipelines` replies at once, and every message still gets handled', async () => {
    expect(await mostAtOnce(1)).toEqual({ most: 1, handled: 8 });
    expect(await mostAtOnce(3)).toEqual({ most: 3, handled: 8 });
  });

  it('runs every user in parallel when not limited', async () => {
    expect((await mostAtOnce(undefined)).most).toBe(8);
  });
});
