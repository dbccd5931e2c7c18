/** Order statistics of measured samples: percentiles by nearest rank, the median, and a latency summary. */

/**
 * The value at `share` (0..1) of the samples by the nearest-rank method: the smallest sample with
 * at least that share of all samples at or below it. NaN for no samples.
 */
export function percentile(samples: ArrayLike<number>, share: number): number {
  if (samples.length === 0) return NaN;
  const sorted = Array.from(samples).sort((a, b) => a - b);
  return sortedPercentile(sorted, share);
}

/** As `percentile`, for samples already sorted in ascending order (cheaper for several shares of one set). */
export function sortedPercentile(sorted: ArrayLike<number>, share: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil(share * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

/** The median: the mean of the two middle samples for an even count. */
export function median(samples: ArrayLike<number>): number {
  if (samples.length === 0) return NaN;
  const sorted = Array.from(samples).sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export function summarize(samples: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  return {
    count: sorted.length,
    p50: sortedPercentile(sorted, 0.5),
    p99: sortedPercentile(sorted, 0.99),
    max: sorted.length === 0 ? NaN : sorted[sorted.length - 1]!,
  };
}

/** A growable list of numbers without boxing, for hundreds of thousands of latencies. */
export class Samples {
  private values = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = value;
  }

  /** The value pushed `index`-th (from 0). */
  at(index: number): number {
    return index < this.length ? this.values[index]! : NaN;
  }

  toArray(): Float64Array {
    return this.values.slice(0, this.length);
  }
}
