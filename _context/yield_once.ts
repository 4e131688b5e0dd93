// Copyright 2026 the @frontier/generators authors. MIT license.
// A context manager's generator must yield exactly once: the errors for one
// that does not yield or yields again, and the closing of one that yielded
// again, so that its `finally` blocks still run.

/**
 * How many times a generator that yields again while being closed is asked to
 * return before it is given up on. Each ask runs one more `finally` block, so
 * this bounds only generators that yield from a loop inside `finally`.
 */
const CLOSE_ATTEMPTS = 100;

/** The error for a generator that returned before its `yield`. */
export function didNotYield(name: string): TypeError {
  return new TypeError(
    `Cannot enter the context manager ${name}: its generator did not yield, it returned without reaching \`yield\`; a context manager's generator must yield exactly once, and what it yields is the manager's value`,
  );
}

/** The error for a generator that yielded again after a block that ended well. */
export function didNotStop(name: string): TypeError {
  return new TypeError(
    `Cannot exit the context manager ${name}: its generator did not stop, it yielded again after the block ended; a context manager's generator must yield exactly once (it was closed, which ran its finally blocks)`,
  );
}

/** The error for a generator that caught the block's error and yielded again. */
export function didNotStopAfterError(name: string, error: unknown): TypeError {
  return new TypeError(
    `Cannot exit the context manager ${name}: its generator did not stop after the block's error was thrown into it, it caught the error and yielded again; to suppress the error return after catching it, to let it through rethrow it (the generator was closed, which ran its finally blocks; the error is this one's cause)`,
    { cause: error },
  );
}

/**
 * Closes a generator that yielded when it should have stopped, running its
 * `finally` blocks, then throws `error`. An error from the closing meets it.
 */
export function closeAndThrow(
  generator: Generator,
  error: Error,
  name: string,
): never {
  try {
    for (let attempt = 0; !generator.return(undefined).done; attempt++) {
      if (attempt === CLOSE_ATTEMPTS) throw keptYielding(name);
    }
  } catch (closeError) {
    throw new SuppressedError(closeError, error, closingFailed(name));
  }
  throw error;
}

/** {@linkcode closeAndThrow} for an async generator. */
export async function closeAsyncAndThrow(
  generator: AsyncGenerator,
  error: Error,
  name: string,
): Promise<never> {
  try {
    for (
      let attempt = 0;
      !(await generator.return(undefined)).done;
      attempt++
    ) {
      if (attempt === CLOSE_ATTEMPTS) throw keptYielding(name);
    }
  } catch (closeError) {
    throw new SuppressedError(closeError, error, closingFailed(name));
  }
  throw error;
}

function keptYielding(name: string): TypeError {
  return new TypeError(
    `Cannot close the context manager ${name}: its generator kept yielding while being closed (asked to return ${CLOSE_ATTEMPTS} times); do not yield inside its finally blocks`,
  );
}

function closingFailed(name: string): string {
  return `Cannot close the context manager ${name} after it did not stop: the closing raised an error; .error is the error from the closing, .suppressed the one that says it did not stop`;
}
