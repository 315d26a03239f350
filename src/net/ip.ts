import ipaddr from 'ipaddr.js';

export type Family = 4 | 6;

/** An inclusive address range of one family: a single address, a CIDR or a start-stop block. */
export interface IpRange {
  family: Family;
  first: bigint;
  last: bigint;
}

export interface Cidr extends IpRange {
  prefix: number;
  /** False when host bits are set (10.1.0.5/16): Go's ParseCIDR masks them silently. */
  canonical: boolean;
}

const BITS: Record<Family, number> = { 4: 32, 6: 128 };

export function parseAddress(text: string): IpRange | undefined {
  const family = addressFamily(text);
  if (!family) return undefined;
  const value = toBigInt(ipaddr.parse(text).toByteArray());
  return { family, first: value, last: value };
}

/** `10.1.0.0/16` → its range; strict dotted-quad for IPv4 (no `10.1`, no octal). */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash === -1) return undefined;
  const addr = text.slice(0, slash);
  const bitsText = text.slice(slash + 1);
  const family = addressFamily(addr);
  if (!family || !/^\d{1,3}$/.test(bitsText)) return undefined;
  const prefix = Number(bitsText);
  if (prefix > BITS[family]) return undefined;
  const value = toBigInt(ipaddr.parse(addr).toByteArray());
  const hostBits = BigInt(BITS[family] - prefix);
  const first = (value >> hostBits) << hostBits;
  return { family, prefix, first, last: first + (1n << hostBits) - 1n, canonical: first === value };
}

/** An address, a CIDR or `start-stop`, as LB IPAM pool blocks accept them. */
export function parseIpBlock(text: string): IpRange | undefined {
  if (text.includes('/')) return parseCidr(text);
  const dash = text.indexOf('-');
  if (dash === -1) return parseAddress(text);
  const a = parseAddress(text.slice(0, dash).trim());
  const b = parseAddress(text.slice(dash + 1).trim());
  if (!a || !b || a.family !== b.family || b.first < a.first) return undefined;
  return { family: a.family, first: a.first, last: b.first };
}

export function overlaps(a: IpRange, b: IpRange): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

export function contains(outer: IpRange, inner: IpRange): boolean {
  return outer.family === inner.family && outer.first <= inner.first && inner.last <= outer.last;
}

export function rangeSize(r: IpRange): bigint {
  return r.last - r.first + 1n;
}

export function formatAddress(family: Family, value: bigint): string {
  const bytes: number[] = [];
  for (let i = BITS[family] / 8 - 1; i >= 0; i--) bytes.push(Number((value >> BigInt(i * 8)) & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}

export function formatCidr(c: Pick<Cidr, 'family' | 'first' | 'prefix'>): string {
  return `${formatAddress(c.family, c.first)}/${c.prefix}`;
}

function addressFamily(text: string): Family | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return 4;
  if (!text.includes('.') && ipaddr.IPv6.isValid(text)) return 6;
  if (text.includes(':') && ipaddr.IPv6.isValid(text)) return 6;
  return undefined;
}

function toBigInt(bytes: number[]): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** How many addresses a list of blocks holds; unparsable entries count nothing. */
export function blocksSize(blocks: readonly string[]): bigint {
  return blocks.reduce((n, t) => {
    const r = parseIpBlock(t);
    return r ? n + rangeSize(r) : n;
  }, 0n);
}
