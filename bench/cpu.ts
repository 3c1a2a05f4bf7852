import { readFileSync } from 'node:fs';

/** /proc counts CPU in clock ticks of 10 ms: ample over runs of thousands of messages. */
const TICK_MS = 10;

/** CPU time (user + system, ms) each process has used so far, from /proc (Linux; processes gone are left out). */
export function cpuByPid(pids: readonly number[]): Map<number, number> {
  const used = new Map<number, number>();
  for (const pid of pids) {
    try {
      // The command name may hold spaces: fields are counted after its closing parenthesis.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      used.set(pid, (Number(fields[11]) + Number(fields[12])) * TICK_MS);
    } catch {
      // Gone, or not Linux.
    }
  }
  return used;
}

/** CPU used between two readings; a process that started in between counts from zero. */
export function cpuSince(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let ms = 0;
  for (const [pid, now] of after) ms += now - (before.get(pid) ?? 0);
  return ms;
}

/**
 * The PostgreSQL server's processes as the database lists them (backends, and background processes such as the WAL
 * writer and autovacuum).
 */
export async function postgresPids(url: string): Promise<number[]> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid()')).rows.map((r) => r.pid);
  } finally {
    await client.end();
  }
}
