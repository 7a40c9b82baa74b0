/**
 * Latency recording with HdrHistogram: microsecond values, 3 significant digits, so that
 * a p99 is not an average of buckets.
 */
import * as hdr from 'hdr-histogram-js';

const HIGHEST_MICROSECONDS = 10 * 60 * 1_000_000;

export class LatencyRecorder {
  private readonly histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_MICROSECONDS,
    numberOfSignificantValueDigits: 3,
    autoResize: false,
  });

  /** Records one latency given in milliseconds (performance.now() differences). */
  recordMs(milliseconds: number): void {
    const microseconds = Math.round(milliseconds * 1000);
    this.histogram.recordValue(Math.min(Math.max(microseconds, 1), HIGHEST_MICROSECONDS));
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  /** The given percentile in milliseconds, or NaN when nothing was recorded. */
  percentileMs(percentile: number): number {
    if (this.count === 0) return Number.NaN;
    return this.histogram.getValueAtPercentile(percentile) / 1000;
  }
}
