/**
 * A flow's time as protojson prints a Timestamp (RFC 3339, UTC, nine fraction digits when there
 * are nanoseconds: google.golang.org/protobuf encoding/protojson well_known_types.go marshalTimestamp
 * trims to 0, 3, 6 or 9 digits; meshwright always writes nine so times compare as strings, which
 * FlowRing relies on).
 */
export function formatFlowTime(epochNs: bigint): string {
  const ms = Number(epochNs / 1_000_000n);
  const nanos = epochNs % 1_000_000_000n;
  return `${new Date(ms).toISOString().slice(0, 19)}.${nanos.toString().padStart(9, '0')}Z`;
}
