import { describe } from 'vitest';
import type { DataStore } from '../../../src/store/types.js';
import { accountsContract } from './data-accounts.js';
import { conversationsContract } from './data-conversations.js';
import { privacyContract } from './data-privacy.js';
import { proposalsContract } from './data-proposals.js';
import { recordsContract } from './data-records.js';
import { snapshotContract } from './data-snapshot.js';
import { ticketsContract } from './data-tickets.js';
import type { Reopenable } from './harness.js';

/**
 * Everything src/store/types.ts promises of a DataStore, for any implementation: `open` gives a store on fresh,
 * empty data (its secrets included) before each test.
 */
export function dataStoreContract(name: string, open: () => Promise<Reopenable<DataStore>>): void {
  describe(`DataStore contract: ${name}`, () => {
    conversationsContract(open);
    ticketsContract(open);
    accountsContract(open);
    recordsContract(open);
    privacyContract(open);
    proposalsContract(open);
    snapshotContract(open);
  });
}
