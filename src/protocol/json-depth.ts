/**
 * How many levels objects and arrays may nest in a request body, a query or a client frame
 * (the outermost is level 1, so a send's `data` may nest 31). Real payloads nest a few levels;
 * the limit is there because JSON.stringify, class-transformer and class-validator recurse once
 * per level, and V8's iterative JSON.parse builds 30,000 levels from a 60 KB body.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether objects and arrays nest more than `maxDepth` levels in `value` (the outermost is
 * level 1). It recurses at most `maxDepth + 1` calls deep and stops at the first branch that is
 * too deep, so it is safe on any value JSON.parse returns. Arrays are walked by index: parsers
 * of JSON text never make sparse ones.
 */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (maxDepth === 0) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (nestsDeeperThan(item, maxDepth - 1)) return true;
    return false;
  }
  for (const key in value) {
    if (Object.hasOwn(value, key) && nestsDeeperThan((value as Record<string, unknown>)[key], maxDepth - 1)) return true;
  }
  return false;
}
