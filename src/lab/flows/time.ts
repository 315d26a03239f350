/** The last whole second formatted, with its text up to the fraction: flows of one request share it. */
let lastSecond = -1n;
let lastPrefix = '';

/**
 * A flow's time as protojson prints a Timestamp (RFC 3339, UTC, nine fraction digits when there
 * are nanoseconds: google.golang.org/protobuf encoding/protojson well_known_types.go marshalTimestamp
 * trims to 0, 3, 6 or 9 digits; meshwright always writes nine so times compare as strings, which
 * FlowRing relies on).
 */
export function formatFlowTime(epochNs: bigint): string {
  const second = epochNs / 1_000_000_000n;
  if (second !== lastSecond) {
    lastSecond = second;
    lastPrefix = new Date(Number(second) * 1000).toISOString().slice(0, 19);
  }
  return `${lastPrefix}.${(epochNs % 1_000_000_000n).toString().padStart(9, '0')}Z`;
}
