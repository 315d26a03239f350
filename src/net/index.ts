export { blocksSize, contains, formatAddress, formatCidr, overlaps, parseAddress, parseCidr, parseIpBlock, rangeSize } from './ip.js';
export type { Cidr, Family, IpRange } from './ip.js';
export { byCodeUnit } from './order.js';
export { isLoopbackHost } from './loopback-host.js';
