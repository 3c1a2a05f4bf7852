import type { TestProject } from 'vitest/node';
import { postgresBinDir, startPostgres, type ThrowawayPostgres } from './helpers/postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The throwaway cluster's URL, or '' when PostgreSQL is not installed (tests then say why they skip). */
    pgUrl: string;
  }
}

let cluster: ThrowawayPostgres | null = null;

/** One throwaway PostgreSQL cluster for the whole run; each test file makes its own database on it. */
export async function setup(project: TestProject): Promise<void> {
  if (!postgresBinDir()) {
    if (process.env.CI === 'true') throw new Error('CI=true but PostgreSQL is not installed: .ci/run must install postgresql');
    console.warn('PostgreSQL not found (apt-get install -y postgresql): the PostgreSQL tests are skipped.');
    project.provide('pgUrl', '');
    return;
  }
  cluster = await startPostgres();
  project.provide('pgUrl', cluster.url);
}

export async function teardown(): Promise<void> {
  await cluster?.stop();
}
