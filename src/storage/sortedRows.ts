/**
 * Rows kept in order under insertions and removals, for the embedded server's ordered index
 * views (./embeddedIndex.ts). One sorted array moved every row after the place of each write: in
 * a reminder slot of 20,000 schedules that was most of what a write cost the double. Here the
 * rows are in chunks of at most `chunkSize`, so a write moves a chunk's rows only.
 */
export class SortedRows<T> {
  private chunks: T[][] = [];
  private count = 0;

  constructor(
    /** The order: negative if a comes first. Rows that compare 0 are the same row. */
    private readonly compare: (a: T, b: T) => number,
    private readonly chunkSize = 512,
  ) {}

  get size(): number {
    return this.count;
  }

  /** Takes rows in any order. */
  static from<T>(rows: readonly T[], compare: (a: T, b: T) => number, chunkSize?: number): SortedRows<T> {
    const sorted = new SortedRows(compare, chunkSize);
    const all = [...rows].sort(compare);
    const half = Math.max(1, sorted.chunkSize >> 1);
    for (let i = 0; i < all.length; i += half) sorted.chunks.push(all.slice(i, i + half));
    sorted.count = all.length;
    return sorted;
  }

  insert(row: T): void {
    if (this.chunks.length === 0) {
      this.chunks.push([row]);
      this.count = 1;
      return;
    }
    const c = this.chunkFor(row);
    const chunk = this.chunks[c]!;
    chunk.splice(this.positionIn(chunk, row), 0, row);
    this.count += 1;
    if (chunk.length > this.chunkSize) this.chunks.splice(c, 1, chunk.slice(0, chunk.length >> 1), chunk.slice(chunk.length >> 1));
  }

  /** Removes the row that compares equal to `row`; false if there is none. */
  remove(row: T): boolean {
    if (this.chunks.length === 0) return false;
    const c = this.chunkFor(row);
    const chunk = this.chunks[c]!;
    const at = this.positionIn(chunk, row) - 1;
    if (at < 0 || this.compare(chunk[at]!, row) !== 0) return false;
    chunk.splice(at, 1);
    this.count -= 1;
    if (chunk.length === 0) this.chunks.splice(c, 1);
    return true;
  }

  /** The rows in order, the first `limit` of them at most, up to (not including) the first for which `past` is true. */
  first(limit = Infinity, past?: (row: T) => boolean): T[] {
    const out: T[] = [];
    for (const chunk of this.chunks) {
      for (const row of chunk) {
        if (out.length >= limit || past?.(row)) return out;
        out.push(row);
      }
    }
    return out;
  }

  /** The chunk a row belongs in: the first whose last row is not before it (or the last chunk). */
  private chunkFor(row: T): number {
    let low = 0;
    let high = this.chunks.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const chunk = this.chunks[middle]!;
      if (this.compare(chunk[chunk.length - 1]!, row) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The first position in a chunk whose row comes after `row`. */
  private positionIn(chunk: readonly T[], row: T): number {
    let low = 0;
    let high = chunk.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.compare(chunk[middle]!, row) <= 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
