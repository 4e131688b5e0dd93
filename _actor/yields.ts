// Copyright 2026 the @frontier/generators authors. MIT license.
// An actor's generator that yields where it must not. A value yielded
// while it runs is a mistake (often `yield* future` in an actor, which would
// take the next message as the future's result): it gets a TypeError at that
// `yield`, as a task does. A `yield` in a `finally` block while it is being
// closed would leave it suspended for good: it is returned from again until
// it has finished.

import { Future } from "../future.ts";
import { describe } from "../_core/describe.ts";

/** Which actor yielded, and what. */
export interface Yielded {
  /** The actor's name. */
  name: string;
  /** What it yielded. */
  value: unknown;
}

/**
 * Throws a TypeError into the generator of an actor that yielded a value, and
 * returns what it does next. An actor that catches the error and yields a
 * value again is stopped, and the error says so: it would never take a
 * message.
 */
export function checkYield(
  generator: Generator<unknown, unknown, unknown>,
  yielded: Yielded,
): IteratorResult<unknown, unknown> {
  const value = yielded.value;
  const name = JSON.stringify(yielded.name);
  const error = new TypeError(
    value instanceof Future
      ? `Cannot yield a Future in actor ${name}: an actor's generator may only yield nothing, and an actor cannot wait for a future; start a task for that, and have it send the result to the actor`
      : `Cannot yield ${
        describe(value)
      } in actor ${name}: an actor's generator may only yield nothing; receive messages with a bare \`const msg = yield\`, and answer questions with reply(value)`,
  );
  const result = generator.throw(error);
  if (!result.done && result.value !== undefined) {
    let closeError: unknown = undefined;
    try {
      finish(generator);
    } catch (thrown) {
      closeError = thrown;
    }
    throw new TypeError(
      `Cannot keep actor ${name} running: it yielded ${
        describe(result.value)
      } again after the TypeError for yielding ${
        describe(value)
      }, so it would never take a message; it was stopped`,
      closeError === undefined ? { cause: error } : { cause: closeError },
    );
  }
  return result;
}

/**
 * How many times {@linkcode finish} returns from a generator that keeps
 * yielding: each `return()` leaves at least one `finally` block unless that
 * block overrides it (a `continue` in a `finally`), so only such a loop
 * reaches it.
 */
const MAX_RETURNS = 1000;

/**
 * Closes a generator for good: `return()`, and, while it yields (from a
 * `finally` block), `return()` again, so that it is never left suspended
 * with its outer `finally` blocks not run. Throws what the generator throws.
 *
 * @returns How many times it yielded while closing (0 for a clean close),
 * or `Infinity` if it was still suspended after {@linkcode MAX_RETURNS}.
 */
export function finish(
  generator: Generator<unknown, unknown, unknown>,
): number {
  for (let yields = 0; yields < MAX_RETURNS; yields++) {
    if (generator.return(undefined).done) return yields;
  }
  return Infinity;
}
