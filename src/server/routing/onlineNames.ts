/**
 * Who is online, in a stable order for paging: names sorted by their key, kept sorted as people
 * come and go (a binary search and one splice per change, not a sort per join).
 */
export interface OnlinePage {
  names: string[];
  total: number;
  /** Pass as `after` for the next page; absent on the last page. */
  next?: string;
}

export class OnlineNames {
  private readonly keys: string[] = [];
  private readonly names = new Map<string, string>();

  get size(): number {
    return this.keys.length;
  }

  add(key: string, name: string): void {
    if (!this.names.has(key)) this.keys.splice(this.position(key), 0, key);
    this.names.set(key, name);
  }

  remove(key: string): void {
    if (!this.names.delete(key)) return;
    this.keys.splice(this.position(key), 1);
  }

  /** Up to `limit` names after the key `after` (from the start when absent), leaving out `except`. */
  page(limit: number, after?: string, except?: string): OnlinePage {
    let index = after === undefined ? 0 : this.position(after);
    if (after !== undefined && this.keys[index] === after) index++;
    const names: string[] = [];
    let last: string | undefined;
    while (index < this.keys.length && names.length < limit) {
      const key = this.keys[index++]!;
      if (key === except) continue;
      names.push(this.names.get(key)!);
      last = key;
    }
    const total = this.keys.length - (except !== undefined && this.names.has(except) ? 1 : 0);
    const more = index < this.keys.length && !(index === this.keys.length - 1 && this.keys[index] === except);
    return more && last !== undefined ? { names, total, next: last } : { names, total };
  }

  all(): string[] {
    return this.keys.map((key) => this.names.get(key)!);
  }

  /** The first index whose key is not below `key`. */
  private position(key: string): number {
    let low = 0;
    let high = this.keys.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.keys[middle]! < key) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
