import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * Questions the FAQ must not answer (other agencies' procedures, everyday topics, vague or case-specific
 * messages), one per line: they teach the learned scorer its "none" class and calibrate the confidence.
 */
export const OUT_OF_SCOPE_FILE = 'calibration/out-of-scope.txt';

const SHIPPED = fileURLToPath(new URL(`../../${OUT_OF_SCOPE_FILE}`, import.meta.url));

/** The out-of-scope questions (blank lines and lines starting with "#" skipped). */
export async function loadOutOfScope(file: string = SHIPPED): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}
