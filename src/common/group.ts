/**
 * Groups rows under a key, keeping their order: the shape DataLoader batch functions need
 * to answer each key with its own list.
 */
export function group<TRow, TValue>(
  rows: readonly TRow[],
  keyOf: (row: TRow) => number,
  valueOf: (row: TRow) => TValue,
): Map<number, TValue[]> {
  const groups = new Map<number, TValue[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = groups.get(key);
    if (list) list.push(valueOf(row));
    else groups.set(key, [valueOf(row)]);
  }
  return groups;
}
