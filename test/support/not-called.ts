/**
 * A stand-in for a dependency the code under test must not use: any property access fails the test,
 * so a unit test cannot silently depend on it.
 */
export function notCalled<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get(_target, property) {
      if (property === 'then') return undefined; // not a promise
      throw new Error(`${name}.${String(property)} must not be used here`);
    },
  });
}
