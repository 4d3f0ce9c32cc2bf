/** Exhaustiveness guard: adding a union member without handling it is a compile error. */
export function assertNever(x: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(x)}`);
}
