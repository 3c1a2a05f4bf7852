/**
 * Rows of integers in one buffer (compressed sparse rows): row r is values[offsets[r] .. offsets[r + 1]). At 10,000
 * entries the index holds hundreds of thousands of short lists (each question's features, each feature's entries);
 * as one typed array each, their object headers and separate allocations weighed more than the numbers themselves.
 */
export interface PackedRows {
  /** rows + 1 offsets into values. */
  readonly offsets: Int32Array;
  readonly values: Int32Array;
}

export function rowCount(rows: PackedRows): number {
  return rows.offsets.length - 1;
}

/** A view of one row (no copy): for the few places that need a row as an array, not the hot loops. */
export function rowOf(rows: PackedRows, r: number): Int32Array {
  return rows.values.subarray(rows.offsets[r]!, rows.offsets[r + 1]!);
}

/** Packs lists built one by one. */
export function packRows(lists: ReadonlyArray<ArrayLike<number>>): PackedRows {
  const offsets = new Int32Array(lists.length + 1);
  let total = 0;
  lists.forEach((list, r) => {
    total += list.length;
    offsets[r + 1] = total;
  });
  const values = new Int32Array(total);
  lists.forEach((list, r) => values.set(list, offsets[r]!));
  return { offsets, values };
}

/** Appends rows in order, growing one buffer: for rows that are complete when they are added. */
export class RowsBuilder {
  private offsets: number[] = [0];
  private values = new Int32Array(1024);
  private size = 0;

  get rows(): number {
    return this.offsets.length - 1;
  }

  add(row: ArrayLike<number>): void {
    if (this.size + row.length > this.values.length) {
      const grown = new Int32Array(Math.max(this.values.length * 2, this.size + row.length));
      grown.set(this.values.subarray(0, this.size));
      this.values = grown;
    }
    this.values.set(row, this.size);
    this.size += row.length;
    this.offsets.push(this.size);
  }

  build(): PackedRows {
    return { offsets: Int32Array.from(this.offsets), values: this.values.slice(0, this.size) };
  }
}
