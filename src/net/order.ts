/** Code-unit order, the same on every machine (localeCompare follows the user's locale). */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
