/** Whether writing `data` over `row` would change any of its fields: unchanged rows are not rewritten. */
export function differs(row: object, data: object): boolean {
  const stored = row as Record<string, unknown>;
  return Object.entries(data).some(([key, value]) => value !== undefined && !sameValue(stored[key], value));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((value, i) => sameValue(value, b[i]));
  return a === b;
}
