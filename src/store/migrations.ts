import { SCHEMA_VERSION, type Schema } from './schema.js';

/**
 * Migrations from version n to n + 1, applied in order on start (the previous file is kept as db.json.v<n>.bak).
 * Each one only adds or reshapes; none deletes user data.
 */
const MIGRATIONS: Record<number, (data: Record<string, unknown>) => void> = {};

export function migrate(data: Record<string, unknown>, from: number): Schema {
  for (let v = from; v < SCHEMA_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) throw new Error(`không có bước chuyển đổi dữ liệu từ phiên bản ${v}`);
    step(data);
    data.version = v + 1;
  }
  return data as unknown as Schema;
}
