import { useEffect, useState } from 'react';

/**
 * `value` once it has stopped changing for `delayMs`; the first value at once. Pass a stable
 * value (a primitive, or an object memoised on its fields): a new object every render never settles.
 */
export function useDebouncedValue<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}
