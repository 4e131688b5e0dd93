// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * Part 1 of the tutorial: generators and coroutines in TypeScript.
 *
 * `deno run examples/generators_101.ts`
 *
 * @module
 */

/** `yield` defines a generator function; it feeds iteration. */
export function* countdown(n: number): Generator<number, void, unknown> {
  while (n > 0) {
    yield n;
    n -= 1;
  }
}

/** `yield` can receive a value instead: a generator you send things to. */
export function* receiver(
  log: (line: string) => void = console.log,
): Generator<void, never, string> {
  while (true) {
    const item = yield;
    log(`Got ${item}`);
  }
}

/** Delegation: `yield*` is Python's `yield from`. */
export function* chain<T>(x: Iterable<T>, y: Iterable<T>): Generator<T> {
  yield* x;
  yield* y;
}

/** A generator that cleans up when closed: `return()` is Python's `close()`. */
function* closable(log: (line: string) => void): Generator<number> {
  try {
    yield 1;
    yield 2;
  } finally {
    log("Shutting down");
  }
}

/** Prints what the tutorial prints, and a little more. */
export function main(): void {
  for (const x of countdown(10)) console.log("T-minus", x);

  // Under the covers: the generator runs in response to next().
  const c = countdown(3);
  console.log(c.next(), c.next(), c.next());
  console.log(c.next()); // { value: undefined, done: true }: StopIteration

  const recv = receiver();
  recv.next(); // advance to the first yield
  recv.next("Hello");
  recv.next("World");

  const a = [1, 2, 3];
  const b = [4, 5, 6];
  console.log([...chain(a, b)].join(" "));
  console.log([...chain(a, chain(b, [7, 8, 9]))].join(" "));

  const g = closable(console.log);
  g.next();
  g.return(undefined); // runs the finally block, like gen.close()

  // throw() raises the error at the yield and returns the next yielded value.
  const t = (function* () {
    while (true) {
      try {
        yield "waiting";
      } catch (e) {
        console.log("caught at the yield:", (e as Error).message);
      }
    }
  })();
  t.next();
  console.log(t.throw(new Error("boom")).value);
}

if (import.meta.main) main();
