/** What `fn` throws; fails the test when it returns instead. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

export const messageOf = (fn: () => unknown): string => {
  const error = thrown(fn);
  return error instanceof Error ? error.message : String(error);
};
