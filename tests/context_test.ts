// Copyright 2026 the @frontier/generators authors. MIT license.

import assert from "node:assert/strict";
import fc from "fast-check";
import {
  type AsyncContextManager,
  asyncContextManager,
  closing,
  type ContextManager,
  contextManager,
  enterAsyncContext,
  enterContext,
  nullContext,
  suppress,
  withAsyncContext,
  withContext,
  withTaskContext,
} from "../context.ts";
import { CancelledError, Future } from "../future.ts";
import { type Operation, runInlineFuture, startInlineFuture } from "../task.ts";

// ---------------------------------------------------------------------------
// Helpers.

/** An error with a tag, to tell errors apart in assertions. */
class Tagged extends Error {
  constructor(readonly tag: string, options?: ErrorOptions) {
    super(tag, options);
    this.name = "Tagged";
  }
}

/**
 * Wraps a generator function so that a test can tell when its generator is
 * closed: the wrapper delegates with `yield*`, which passes `throw` and
 * `return` on, and its own `finally` runs exactly when the inner generator
 * has left its body.
 */
function tracked<A extends unknown[], T>(
  fn: (...args: A) => Generator<T, unknown, undefined>,
) {
  const state = { closed: 0 };
  const factory = contextManager(function* (...args: A) {
    try {
      return yield* fn(...args);
    } finally {
      state.closed++;
    }
  });
  return { state, factory };
}

function trackedAsync<A extends unknown[], T>(
  fn: (...args: A) => AsyncGenerator<T, unknown, undefined>,
) {
  const state = { closed: 0 };
  const factory = asyncContextManager(async function* (...args: A) {
    try {
      return yield* fn(...args);
    } finally {
      state.closed++;
    }
  });
  return { state, factory };
}

function isTypeError(pattern: RegExp) {
  return (error: unknown) =>
    error instanceof TypeError && pattern.test(error.message);
}

/** Lets pending promise callbacks and zero-delay timers run. */
function turn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

// ---------------------------------------------------------------------------
// contextManager(): entering and exiting.

Deno.test("contextManager() enters when the factory is called and exits when the using block ends", () => {
  const log: string[] = [];
  const tag = contextManager(function* (name: string) {
    log.push(`enter ${name}`);
    try {
      yield name.toUpperCase();
    } finally {
      log.push(`exit ${name}`);
    }
  });
  {
    using a = tag("a");
    log.push(`body ${a.value}`);
    using b = tag("b");
    log.push(`body ${b.value}`);
  }
  assert.deepEqual(log, [
    "enter a",
    "body A",
    "enter b",
    "body B",
    "exit b",
    "exit a",
  ]);
});

Deno.test("contextManager() factory keeps the generator function's name and passes this and the arguments on", () => {
  const named = contextManager(function* tempdir(a: number, b: string) {
    yield `${a}${b}`;
  });
  assert.equal(named.name, "tempdir");
  assert.equal(named(1, "x").value, "1x");

  class Counter {
    count = 0;
    bump = contextManager(function* (this: Counter, by: number) {
      this.count += by;
      try {
        yield this.count;
      } finally {
        this.count -= by;
      }
    });
  }
  const counter = new Counter();
  {
    using c = counter.bump(5);
    assert.equal(c.value, 5);
    assert.equal(counter.count, 5);
  }
  assert.equal(counter.count, 0);
});

Deno.test("contextManager() factory makes a fresh manager on every call, so it can be used recursively", () => {
  const log: number[] = [];
  const depth = contextManager(function* (n: number) {
    log.push(n);
    yield n;
    log.push(-n);
  });
  function recurse(n: number): void {
    using _ = depth(n);
    if (n > 0) recurse(n - 1);
  }
  recurse(3);
  assert.deepEqual(log, [3, 2, 1, 0, -0, -1, -2, -3]);
});

Deno.test("contextManager() rejects what is not a generator function, with a hint for async ones", () => {
  assert.throws(
    // @ts-expect-error: not a generator function
    () => contextManager(() => 1),
    isTypeError(
      /Cannot create a context manager factory: expected a generator function \(function\*\), got the function/,
    ),
  );
  assert.throws(
    // @ts-expect-error: an async generator function
    () => contextManager(async function* connect() {}),
    isTypeError(/the async generator function connect.*asyncContextManager/),
  );
  assert.throws(
    // @ts-expect-error: not a function at all
    () => contextManager(null),
    isTypeError(/got null/),
  );
});

Deno.test("a generator that does not yield makes the factory throw a TypeError (did not yield)", () => {
  // deno-lint-ignore require-yield
  const { state, factory } = tracked(function* noYield(): Generator<
    number,
    void,
    undefined
  > {
    return;
  });
  assert.throws(
    () => factory(),
    isTypeError(
      /Cannot enter the context manager .*: its generator did not yield, it returned without reaching `yield`/,
    ),
  );
  assert.equal(state.closed, 1);

  const named = contextManager(function* opener(): Generator<never> {});
  assert.throws(() => named(), isTypeError(/the context manager opener/));
});

Deno.test("an error thrown before the yield propagates from the factory as the same object, and nothing exits", () => {
  const boom = new Tagged("boom");
  let exited = false;
  const failing = contextManager(function* (fail: boolean) {
    if (fail) throw boom;
    try {
      yield;
    } finally {
      exited = true;
    }
  });
  assert.throws(() => failing(true), (error) => error === boom);
  assert.equal(exited, false);
});

Deno.test("a generator that yields twice: the exit throws a TypeError (did not stop) and closes the generator, running its finally", () => {
  const log: string[] = [];
  const { state, factory } = tracked(function* twice() {
    try {
      yield 1;
      log.push("after first yield");
      yield 2;
      log.push("never");
    } finally {
      log.push("finally");
    }
  });
  assert.throws(
    () => {
      using _ = factory();
    },
    isTypeError(
      /Cannot exit the context manager .*: its generator did not stop, it yielded again/,
    ),
  );
  assert.deepEqual(log, ["after first yield", "finally"]);
  assert.equal(state.closed, 1);
});

Deno.test("a generator that yields twice after a failed using block: the TypeError and the block's error meet in a SuppressedError", () => {
  const { state, factory } = tracked(function* () {
    yield 1;
    yield 2;
  });
  const body = new Tagged("body");
  assert.throws(
    () => {
      using _ = factory();
      throw body;
    },
    (error) =>
      error instanceof SuppressedError && error.suppressed === body &&
      isTypeError(/did not stop/)(error.error),
  );
  assert.equal(state.closed, 1);
});

Deno.test("a generator that does not stop after an error was thrown in: a TypeError whose cause is the error, and the generator is closed", () => {
  const log: string[] = [];
  const { state, factory } = tracked(function* stubborn() {
    try {
      try {
        yield 1;
      } catch {
        log.push("caught");
      }
      yield 2;
    } finally {
      log.push("finally");
    }
  });
  const body = new Tagged("body");
  assert.throws(
    () => factory().exit(body),
    (error) =>
      isTypeError(/did not stop after the block's error/)(error) &&
      (error as Error).cause === body,
  );
  assert.deepEqual(log, ["caught", "finally"]);
  assert.equal(state.closed, 1);

  // Through withContext the TypeError holds the block's error as its
  // cause, so it is thrown as it is.
  assert.throws(
    () =>
      withContext(factory(), () => {
        throw body;
      }),
    (error) => error instanceof TypeError && error.cause === body,
  );
  assert.equal(state.closed, 2);
});

Deno.test("a generator that yields again while being closed is asked again, so each finally block runs", () => {
  const log: string[] = [];
  const { state, factory } = tracked(function* () {
    try {
      try {
        yield 1;
        yield 2;
      } finally {
        log.push("inner finally");
        yield 3;
      }
    } finally {
      log.push("outer finally");
    }
  });
  assert.throws(() => {
    using _ = factory();
  }, isTypeError(/did not stop/));
  assert.deepEqual(log, ["inner finally", "outer finally"]);
  assert.equal(state.closed, 1);
});

Deno.test("a generator that never stops yielding while being closed is given up on, with both errors kept", () => {
  const endless = contextManager(function* endless() {
    for (;;) {
      try {
        yield 1;
      } finally {
        // deno-lint-ignore no-unsafe-finally
        continue;
      }
    }
  });
  assert.throws(
    () => {
      using _ = endless();
    },
    (error) =>
      error instanceof SuppressedError &&
      isTypeError(
        /Cannot close the context manager endless: its generator kept yielding while being closed/,
      )(error.error) &&
      isTypeError(/the context manager endless: its generator did not stop/)(
        error.suppressed,
      ),
  );
});

Deno.test("an error raised while closing a generator that did not stop meets the did-not-stop TypeError", () => {
  const closeError = new Tagged("close");
  const bad = contextManager(function* () {
    try {
      yield 1;
      yield 2;
    } finally {
      // deno-lint-ignore no-unsafe-finally
      throw closeError;
    }
  });
  assert.throws(
    () => {
      using _ = bad();
    },
    (error) =>
      error instanceof SuppressedError && error.error === closeError &&
      isTypeError(/did not stop/)(error.suppressed),
  );
});

// ---------------------------------------------------------------------------
// exit(error).

Deno.test("exit(error) returns true when the generator suppressed the error, false when it rethrew that same error", () => {
  const { state, factory } = tracked(function* (mode: string) {
    try {
      yield;
    } catch (error) {
      if (mode === "rethrow") throw error;
    }
  });
  const error = new Tagged("e");
  assert.equal(factory("suppress").exit(error), true);
  assert.equal(factory("rethrow").exit(error), false);
  assert.equal(factory("rethrow").exit(), false);
  assert.equal(state.closed, 3);
});

Deno.test("exit(error) throws a different error raised by the generator, as it is", () => {
  const replacement = new Tagged("replacement");
  const cm = contextManager(function* () {
    try {
      yield;
    } catch {
      throw replacement;
    }
  })();
  assert.throws(() => cm.exit(new Tagged("e")), (e) => e === replacement);
});

Deno.test("exit(undefined) throws undefined into the generator: an error may be any value", () => {
  const seen: unknown[] = [];
  const cm = contextManager(function* () {
    try {
      yield;
      seen.push("no error");
    } catch (error) {
      seen.push(error);
    }
  });
  assert.equal(cm().exit(undefined), true);
  assert.equal(cm().exit(), false);
  assert.deepEqual(seen, [undefined, "no error"]);
});

Deno.test("a second exit does nothing and returns false, also from inside the generator's own cleanup", () => {
  let exits = 0;
  const self: { cm?: ContextManager<void> } = {};
  const cm = contextManager(function* () {
    try {
      yield;
    } finally {
      exits++;
      assert.equal(self.cm!.exit(new Tagged("re-entrant")), false);
    }
  })();
  self.cm = cm;
  cm[Symbol.dispose]();
  cm[Symbol.dispose]();
  assert.equal(cm.exit(new Tagged("late")), false);
  assert.equal(exits, 1);
});

// ---------------------------------------------------------------------------
// using and DisposableStack.

Deno.test("using: the block's error propagates as the same object, and the generator resumes normally (using cannot tell it the error)", () => {
  const seen: string[] = [];
  const cm = contextManager(function* () {
    try {
      yield;
      seen.push("resumed normally");
    } catch {
      seen.push("caught");
    } finally {
      seen.push("finally");
    }
  });
  const body = new Tagged("body");
  assert.throws(() => {
    using _ = cm();
    throw body;
  }, (error) => error === body);
  assert.deepEqual(seen, ["resumed normally", "finally"]);
});

Deno.test("using: an error raised while exiting meets the block's error in a SuppressedError, and neither is lost", () => {
  const exitError = new Tagged("exit");
  const body = new Tagged("body");
  const failing = contextManager(function* () {
    yield;
    throw exitError;
  });
  assert.throws(() => {
    using _ = failing();
    throw body;
  }, (error) =>
    error instanceof SuppressedError && error.error === exitError &&
    error.suppressed === body);
  // Without a block error, the exit's error propagates as it is.
  assert.throws(() => {
    using _ = failing();
  }, (error) => error === exitError);
});

Deno.test("DisposableStack.use takes generator managers and exits them in reverse order", () => {
  const log: string[] = [];
  const { state, factory } = tracked(function* (name: string) {
    log.push(`enter ${name}`);
    yield name;
    log.push(`exit ${name}`);
  });
  {
    using stack = new DisposableStack();
    assert.equal(stack.use(factory("a")).value, "a");
    stack.use(factory("b"));
  }
  assert.deepEqual(log, ["enter a", "enter b", "exit b", "exit a"]);
  assert.equal(state.closed, 2);
});

// ---------------------------------------------------------------------------
// withContext.

Deno.test("withContext returns the block's result and exits the manager after it", () => {
  const log: string[] = [];
  const cm = contextManager(function* () {
    log.push("enter");
    yield 20;
    log.push("exit");
  });
  assert.equal(
    withContext(cm(), (value) => {
      log.push("body");
      return value + 1;
    }),
    21,
  );
  assert.deepEqual(log, ["enter", "body", "exit"]);
});

Deno.test("withContext throws the block's error into the generator, which can suppress it (withContext then returns undefined)", () => {
  const seen: unknown[] = [];
  const handler = contextManager(function* (suppressIt: boolean) {
    try {
      yield;
    } catch (error) {
      seen.push(error);
      if (!suppressIt) throw error;
    }
  });
  const body = new Tagged("body");
  assert.equal(
    withContext(handler(true), () => {
      throw body;
    }),
    undefined,
  );
  assert.throws(
    () =>
      withContext(handler(false), () => {
        throw body;
      }),
    (error) => error === body,
  );
  assert.deepEqual(seen, [body, body]);
});

Deno.test("withContext: an error raised by the exit meets the block's error in a SuppressedError", () => {
  const body = new Tagged("body");
  const exitError = new Tagged("exit");
  const failing = contextManager(function* () {
    try {
      yield;
    } finally {
      // deno-lint-ignore no-unsafe-finally
      throw exitError;
    }
  });
  assert.throws(
    () =>
      withContext(failing(), () => {
        throw body;
      }),
    (error) =>
      error instanceof SuppressedError && error.error === exitError &&
      error.suppressed === body &&
      /Cannot exit the context manager/.test(error.message),
  );
  assert.throws(() => withContext(failing(), () => 1), (e) => e === exitError);
});

Deno.test("withContext: an exit error that holds the block's error (as cause, or suppressed) is thrown as it is", () => {
  const body = new Tagged("body");
  const translating = contextManager(function* () {
    try {
      yield;
    } catch (error) {
      throw new Tagged("translated", { cause: error });
    }
  });
  assert.throws(
    () =>
      withContext(translating(), () => {
        throw body;
      }),
    (error) =>
      error instanceof Tagged && error.tag === "translated" &&
      error.cause === body,
  );

  const cleanupFails = {
    [Symbol.dispose]: () => {
      throw new Tagged("cleanup");
    },
  };
  const nested = contextManager(function* () {
    try {
      yield;
    } catch (error) {
      using _ = cleanupFails;
      throw error;
    }
  });
  assert.throws(
    () =>
      withContext(nested(), () => {
        throw body;
      }),
    (error) =>
      error instanceof SuppressedError && error.suppressed === body &&
      (error.error as Tagged).tag === "cleanup",
  );
});

Deno.test("withContext: a block that returns a promise is an error that the manager sees", async () => {
  const seen: unknown[] = [];
  const cm = contextManager(function* () {
    try {
      yield;
    } catch (error) {
      seen.push(error);
      throw error;
    }
  });
  const promise = Promise.resolve(1);
  assert.throws(
    // @ts-expect-error: withContext takes a synchronous block
    () => withContext(cm(), () => promise),
    isTypeError(/returned a Promise.*use withAsyncContext/),
  );
  assert.equal(seen.length, 1);
  assert.ok(seen[0] instanceof TypeError);
  await promise;
});

Deno.test("withContext rejects async managers, promises and non-managers with clear TypeErrors, before the block runs", async () => {
  let ran = false;
  const body = () => {
    ran = true;
  };
  const seen: unknown[] = [];
  const conn = asyncContextManager(async function* connect() {
    try {
      yield 1;
    } catch (error) {
      seen.push(error);
      throw error;
    }
  });
  const entered = await conn();
  assert.throws(
    // @ts-expect-error: an async manager
    () => withContext(entered, body),
    isTypeError(/asynchronous context manager connect.*withAsyncContext/),
  );
  // It had been entered: it is exited, with the TypeError as the error.
  assert.equal(await entered.exit(), false);
  assert.equal(seen.length, 1);
  assert.ok(isTypeError(/asynchronous context manager/)(seen[0]));
  const pending = conn();
  assert.throws(
    // @ts-expect-error: a promise
    () => withContext(pending, body),
    isTypeError(/got a Promise.*await it first/),
  );
  await (await pending)[Symbol.asyncDispose]();
  const tempdir = contextManager(function* tempdir() {
    yield "/tmp/x";
  });
  assert.throws(
    // @ts-expect-error: the factory, not what it returns
    () => withContext(tempdir, body),
    isTypeError(/got the function tempdir; call it first: tempdir\(\.\.\.\)/),
  );
  assert.throws(
    // @ts-expect-error: not a manager
    () => withContext(42, body),
    isTypeError(
      /Cannot run withContext\(cm, body\): expected a context manager, got 42 \(a number\)/,
    ),
  );
  assert.throws(
    // @ts-expect-error: not a manager
    () => withContext({ open() {} }, body),
    isTypeError(
      /Cannot run withContext\(cm, body\): expected a context manager, got a plain object/,
    ),
  );
  assert.throws(
    // @ts-expect-error: only async-disposable
    () => withContext({ async [Symbol.asyncDispose]() {} }, body),
    isTypeError(/only async-disposable/),
  );
  assert.throws(
    () =>
      withContext({
        async enter() {},
        exit() {},
      }, body),
    isTypeError(/is an async function/),
  );
  assert.throws(
    // @ts-expect-error: enter without exit
    () => withContext({ enter() {} }, body),
    isTypeError(/has enter\(\) but no exit\(error\)/),
  );
  assert.throws(
    // @ts-expect-error: not a function
    () => withContext(nullContext(1), "body"),
    isTypeError(
      /Cannot run withContext\(cm, body\): expected a function for the block/,
    ),
  );
  assert.equal(ran, false);
});

Deno.test("withContext: a block that is not a function is a TypeError that an entered manager sees, and it exits", () => {
  const seen: unknown[] = [];
  const cm = contextManager(function* () {
    try {
      yield;
    } catch (error) {
      seen.push(error);
      throw error;
    }
  });
  assert.throws(
    // @ts-expect-error: not a function
    () => withContext(cm(), null),
    isTypeError(
      /Cannot run withContext\(cm, body\): expected a function for the block, got null/,
    ),
  );
  assert.equal(seen.length, 1);
});

/**
 * Managers that suppress every error: a generator one (entered by its
 * factory), an async generator one, and one in the enter()/exit() shape,
 * with a log of what they were asked to do.
 */
function swallowers(log: string[]) {
  const generator = contextManager(function* swallow() {
    log.push("generator entered");
    try {
      yield 1;
    } catch (error) {
      log.push(`generator saw ${(error as Error).name}`);
    }
  });
  const asyncGenerator = asyncContextManager(async function* swallowAsync() {
    log.push("async generator entered");
    try {
      yield 1;
    } catch (error) {
      log.push(`async generator saw ${(error as Error).name}`);
    }
  });
  const plain = {
    enter() {
      log.push("plain entered");
      return 1;
    },
    exit(error?: unknown) {
      log.push(`plain saw ${(error as Error | undefined)?.name}`);
      return true;
    },
  };
  return { generator, asyncGenerator, plain };
}

Deno.test("withContext: a block that is not a function is refused before entering, and a manager that suppresses everything cannot suppress it", () => {
  const log: string[] = [];
  const { generator, plain } = swallowers(log);
  const refused = isTypeError(
    /^Cannot run withContext\(cm, body\): expected a function for the block, got 42 \(a number\)$/,
  );
  // @ts-expect-error: not a function
  assert.throws(() => withContext(plain, 42), refused);
  // @ts-expect-error: not a function
  assert.throws(() => withContext(enterContext(plain), 42), refused);
  // @ts-expect-error: not a function
  assert.throws(() => withContext(generator(), 42), refused);
  assert.deepEqual(log, [
    "plain entered", // by enterContext, before withContext was called
    "plain saw TypeError",
    "generator entered",
    "generator saw TypeError",
  ]);
});

Deno.test("withAsyncContext: a block that is not a function is refused before entering, and a manager that suppresses everything cannot suppress it", async () => {
  const log: string[] = [];
  const { generator, asyncGenerator, plain } = swallowers(log);
  const refused = isTypeError(
    /^Cannot run withAsyncContext\(cm, body\): expected a function for the block, got 42 \(a number\)$/,
  );
  // @ts-expect-error: not a function
  await assert.rejects(withAsyncContext(plain, 42), refused);
  // @ts-expect-error: not a function
  await assert.rejects(withAsyncContext(generator(), 42), refused);
  // @ts-expect-error: not a function
  await assert.rejects(withAsyncContext(asyncGenerator(), 42), refused);
  assert.deepEqual(log, [
    "generator entered",
    "generator saw TypeError",
    "async generator entered",
    "async generator saw TypeError",
  ]);
});

Deno.test("withTaskContext: a block that is not a function, or not an operation, is refused, and a manager that suppresses everything cannot suppress it", async () => {
  const log: string[] = [];
  const { generator, asyncGenerator, plain } = swallowers(log);
  const refused = isTypeError(
    /^Cannot run withTaskContext\(cm, body\): expected a function for the block, got 42 \(a number\)$/,
  );
  // @ts-expect-error: not a function
  await assert.rejects(runInlineFuture(withTaskContext(plain, 42)), refused);
  await assert.rejects(
    // @ts-expect-error: not a function
    runInlineFuture(withTaskContext(asyncGenerator(), 42)),
    refused,
  );
  await assert.rejects(
    // @ts-expect-error: the block must be a generator function
    runInlineFuture(withTaskContext(generator(), () => 1)),
    isTypeError(/expected the block to be a generator function/),
  );
  await assert.rejects(
    // @ts-expect-error: the block must be a generator function
    runInlineFuture(withTaskContext(plain, () => 1)),
    isTypeError(/expected the block to be a generator function/),
  );
  assert.deepEqual(log, [
    "async generator entered",
    "async generator saw TypeError",
    "generator entered",
    "generator saw TypeError",
    "plain entered",
    "plain saw TypeError",
  ]);
});

Deno.test("withContext: a sync exit that returns a promise is a TypeError", async () => {
  let settled: Promise<void> | undefined;
  const manager = {
    enter: () => 1,
    exit: () => {
      settled = Promise.resolve();
      return settled as unknown as boolean;
    },
  };
  assert.throws(
    () => withContext(manager, () => 1),
    isTypeError(/returned a Promise.*use withAsyncContext/),
  );
  await settled;
});

Deno.test("withContext with a plain disposable: its value is the disposable, and an exit error meets the block's", () => {
  let disposed = 0;
  const resource = {
    name: "r",
    [Symbol.dispose]() {
      disposed++;
    },
  };
  assert.equal(withContext(resource, (r) => r.name), "r");
  assert.equal(disposed, 1);

  const body = new Tagged("body");
  const exitError = new Tagged("exit");
  const failing = {
    [Symbol.dispose]() {
      throw exitError;
    },
  };
  assert.throws(
    () =>
      withContext(failing, () => {
        throw body;
      }),
    (error) =>
      error instanceof SuppressedError && error.error === exitError &&
      error.suppressed === body,
  );
});

Deno.test("withContext gives back any thrown value as the same value, whether the manager rethrows it or not", () => {
  fc.assert(
    fc.property(fc.anything(), fc.boolean(), (thrown, rethrow) => {
      let seen: unknown = "nothing";
      const cm = contextManager(function* () {
        try {
          yield;
        } catch (error) {
          seen = error;
          if (rethrow) throw error;
        }
      });
      let caught: unknown = "nothing";
      let result: unknown = "nothing";
      try {
        result = withContext(cm(), () => {
          throw thrown;
        });
      } catch (error) {
        caught = error;
      }
      assert.ok(Object.is(seen, thrown));
      if (rethrow) assert.ok(Object.is(caught, thrown));
      else assert.equal(result, undefined);
    }),
  );
});

// ---------------------------------------------------------------------------
// Nesting against a model of PEP 343.

type Behaviour =
  | "pass"
  | "rethrow"
  | "suppress"
  | "replace"
  | "translate"
  | "failOnExit";

const behaviours: Behaviour[] = [
  "pass",
  "rethrow",
  "suppress",
  "replace",
  "translate",
  "failOnExit",
];

function* behave(b: Behaviour, i: number): Generator<number, void, undefined> {
  let failed = false;
  try {
    yield i;
  } catch (error) {
    failed = true;
    switch (b) {
      case "suppress":
        return;
      case "replace":
        throw new Tagged(`replace${i}`);
      case "translate":
        throw new Tagged(`translate${i}`, { cause: error });
      default:
        throw error;
    }
  } finally {
    // deno-lint-ignore no-unsafe-finally
    if (b === "failOnExit") throw new Tagged(`exit${i}`);
  }
  void failed;
}

async function* behaveAsync(
  b: Behaviour,
  i: number,
): AsyncGenerator<number, void, undefined> {
  await Promise.resolve();
  try {
    return yield* behave(b, i);
  } finally {
    await Promise.resolve();
  }
}

type Shape = string | { error: Shape; suppressed: Shape } | {
  tag: string;
  cause: Shape;
};

function shape(error: unknown): Shape {
  if (error instanceof SuppressedError) {
    return { error: shape(error.error), suppressed: shape(error.suppressed) };
  }
  if (error instanceof Tagged) {
    return error.cause === undefined
      ? error.tag
      : { tag: error.tag, cause: shape(error.cause) };
  }
  return `not tagged: ${String(error)}`;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: Shape };

/** What nested `with` blocks give, by PEP 343 and the rule for meeting errors. */
function model(plan: Behaviour[], bodyThrows: boolean): Outcome {
  let out: Outcome = bodyThrows
    ? { ok: false, error: "body" }
    : { ok: true, value: 7 };
  for (let i = plan.length - 1; i >= 0; i--) {
    const b = plan[i];
    if (b === "failOnExit") {
      out = {
        ok: false,
        error: out.ok
          ? `exit${i}`
          : { error: `exit${i}`, suppressed: out.error },
      };
    } else if (!out.ok) {
      const error = out.error;
      if (b === "suppress") out = { ok: true, value: undefined };
      if (b === "replace") {
        out = { ok: false, error: { error: `replace${i}`, suppressed: error } };
      }
      if (b === "translate") {
        out = { ok: false, error: { tag: `translate${i}`, cause: error } };
      }
    }
  }
  return out;
}

function outcomeOf(run: () => unknown): Outcome {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    return { ok: false, error: shape(error) };
  }
}

async function asyncOutcomeOf(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, error: shape(error) };
  }
}

const planArbitrary = fc.array(fc.constantFrom(...behaviours), {
  minLength: 1,
  maxLength: 6,
});

Deno.test("nested withContext blocks behave as nested with statements (PEP 343), checked against a model", () => {
  const cm = contextManager(behave);
  fc.assert(
    fc.property(planArbitrary, fc.boolean(), (plan, bodyThrows) => {
      const run = (i: number): unknown => {
        if (i === plan.length) {
          if (bodyThrows) throw new Tagged("body");
          return 7;
        }
        return withContext(cm(plan[i], i), () => run(i + 1));
      };
      assert.deepEqual(outcomeOf(() => run(0)), model(plan, bodyThrows));
    }),
  );
});

Deno.test("nested withAsyncContext blocks behave as nested with statements, checked against the same model", async () => {
  const cm = asyncContextManager(behaveAsync);
  await fc.assert(
    fc.asyncProperty(planArbitrary, fc.boolean(), async (plan, bodyThrows) => {
      const run = async (i: number): Promise<unknown> => {
        if (i === plan.length) {
          await Promise.resolve();
          if (bodyThrows) throw new Tagged("body");
          return 7;
        }
        return await withAsyncContext(cm(plan[i], i), () => run(i + 1));
      };
      assert.deepEqual(
        await asyncOutcomeOf(() => run(0)),
        model(plan, bodyThrows),
      );
    }),
  );
});

Deno.test("nested withTaskContext blocks behave as nested with statements, checked against the same model", async () => {
  const sync = contextManager(behave);
  const async = asyncContextManager(behaveAsync);
  await fc.assert(
    fc.asyncProperty(
      planArbitrary,
      fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
      fc.boolean(),
      async (plan, useAsync, bodyThrows) => {
        function* run(i: number): Operation<unknown> {
          if (i === plan.length) {
            yield* Future.from(Promise.resolve());
            if (bodyThrows) throw new Tagged("body");
            return 7;
          }
          const cm = useAsync[i] ? async(plan[i], i) : sync(plan[i], i);
          return yield* withTaskContext(cm, function* () {
            return yield* run(i + 1);
          });
        }
        assert.deepEqual(
          await asyncOutcomeOf(() => runInlineFuture(run(0))),
          model(plan, bodyThrows),
        );
      },
    ),
  );
});

// ---------------------------------------------------------------------------
// The generator is closed after exit, in every path.

Deno.test("the generator is closed after the exit in every path", () => {
  const body = new Tagged("body");
  const paths: [string, (fn: () => ContextManager<number>) => void][] = [
    ["using, block succeeds", (f) => {
      using _ = f();
    }],
    ["using, block fails", (f) => {
      try {
        using _ = f();
        throw body;
      } catch (error) {
        if (error !== body) throw error;
      }
    }],
    ["withContext, block succeeds", (f) => withContext(f(), () => 1)],
    ["withContext, block fails", (f) => {
      try {
        withContext(f(), () => {
          throw body;
        });
      } catch (error) {
        if (error !== body) throw error;
      }
    }],
    ["exit() twice", (f) => {
      const cm = f();
      cm.exit();
      cm.exit();
    }],
    ["exit(error) twice", (f) => {
      const cm = f();
      cm.exit(body);
      cm.exit(body);
    }],
    ["DisposableStack", (f) => {
      using stack = new DisposableStack();
      stack.use(f());
    }],
  ];
  const kinds: [string, () => Generator<number, void, undefined>][] = [
    ["passes errors", function* () {
      yield 1;
    }],
    ["suppresses errors", function* () {
      try {
        yield 1;
      } catch {
        // suppressed
      }
    }],
    ["rethrows errors", function* () {
      try {
        yield 1;
      } catch (error) {
        throw error;
      }
    }],
    ["raises another error", function* () {
      try {
        yield 1;
      } finally {
        // deno-lint-ignore no-unsafe-finally
        throw new Tagged("exit");
      }
    }],
    ["yields twice", function* () {
      try {
        yield 1;
      } catch {
        // then yields again
      }
      yield 2;
    }],
  ];
  for (const [kind, fn] of kinds) {
    for (const [path, run] of paths) {
      const { state, factory } = tracked(fn);
      try {
        run(factory);
      } catch {
        // Some kinds raise errors; only the closing is checked here.
      }
      assert.equal(state.closed, 1, `${kind}, ${path}`);
    }
  }
});

Deno.test("the async generator is closed after the exit in every path", async () => {
  const body = new Tagged("body");
  const ignore = (error: unknown) => {
    if (error !== body) throw error;
  };
  type Factory = () => Promise<AsyncContextManager<number>>;
  const paths: [string, (f: Factory) => Promise<unknown>][] = [
    ["await using, block succeeds", async (f) => {
      await using _ = await f();
    }],
    ["await using, block fails", async (f) => {
      try {
        await using _ = await f();
        throw body;
      } catch (error) {
        ignore(error);
      }
    }],
    ["withAsyncContext, block succeeds", (f) => withAsyncContext(f(), () => 1)],
    ["withAsyncContext, block fails", (f) =>
      withAsyncContext(f(), () => {
        throw body;
      }).catch(ignore)],
    [
      "withTaskContext, block fails",
      (f) =>
        runInlineFuture(withTaskContext(f(), function* () {
          yield* Future.from(Promise.resolve());
          throw body;
        })).catch(ignore),
    ],
    ["exit(error) twice", async (f) => {
      const cm = await f();
      await cm.exit(body).catch(ignore);
      await cm.exit(body);
    }],
    ["AsyncDisposableStack", async (f) => {
      await using stack = new AsyncDisposableStack();
      stack.use(await f());
    }],
  ];
  const kinds: [string, () => AsyncGenerator<number, void, undefined>][] = [
    ["passes errors", async function* () {
      yield 1;
    }],
    ["suppresses errors", async function* () {
      try {
        yield 1;
      } catch {
        await Promise.resolve();
      }
    }],
    ["raises another error", async function* () {
      try {
        yield 1;
      } finally {
        await Promise.resolve();
        // deno-lint-ignore no-unsafe-finally
        throw new Tagged("exit");
      }
    }],
    ["yields twice", async function* () {
      try {
        yield 1;
      } catch {
        // then yields again
      }
      yield 2;
    }],
  ];
  for (const [kind, fn] of kinds) {
    for (const [path, run] of paths) {
      const { state, factory } = trackedAsync(fn);
      try {
        await run(factory);
      } catch {
        // Some kinds raise errors; only the closing is checked here.
      }
      assert.equal(state.closed, 1, `${kind}, ${path}`);
    }
  }
});

// ---------------------------------------------------------------------------
// Ten thousand managers.

Deno.test("10,000 nested managers on a DisposableStack exit in reverse order without a stack overflow", () => {
  const exited: number[] = [];
  const cm = contextManager(function* (i: number) {
    try {
      yield i;
    } finally {
      exited.push(i);
    }
  });
  {
    using stack = new DisposableStack();
    for (let i = 0; i < 10_000; i++) stack.use(cm(i));
  }
  assert.equal(exited.length, 10_000);
  assert.ok(exited.every((value, index) => value === 9_999 - index));
});

Deno.test("10,000 nested using declarations of generator managers exit in reverse order", () => {
  const exited: number[] = [];
  const cm = contextManager(function* (i: number) {
    try {
      yield i;
    } finally {
      exited.push(i);
    }
  });
  const lines = Array.from(
    { length: 10_000 },
    (_, i) => `using m${i} = cm(${i});`,
  );
  const block = new Function("cm", `{ ${lines.join("\n")} }`);
  block(cm);
  assert.equal(exited.length, 10_000);
  assert.ok(exited.every((value, index) => value === 9_999 - index));
});

Deno.test("10,000 managers whose exits all raise errors: every error is kept", () => {
  const body = new Tagged("body");
  const cm = contextManager(function* (i: number) {
    yield i;
    throw new Tagged(`exit${i}`);
  });
  let caught: unknown;
  try {
    using stack = new DisposableStack();
    for (let i = 0; i < 10_000; i++) stack.use(cm(i));
    throw body;
  } catch (error) {
    caught = error;
  }
  // Collect every error in the tree of SuppressedErrors, without recursion.
  const tags = new Set<string>();
  const work = [caught];
  while (work.length > 0) {
    const error = work.pop();
    if (error instanceof SuppressedError) {
      work.push(error.error, error.suppressed);
    } else tags.add((error as Tagged).tag);
  }
  assert.equal(tags.size, 10_001);
  assert.ok(tags.has("body"));
  for (let i = 0; i < 10_000; i++) assert.ok(tags.has(`exit${i}`));
});

Deno.test("10,000 nested async managers on an AsyncDisposableStack exit in reverse order", async () => {
  const exited: number[] = [];
  const cm = asyncContextManager(async function* (i: number) {
    try {
      yield i;
    } finally {
      await Promise.resolve();
      exited.push(i);
    }
  });
  {
    await using stack = new AsyncDisposableStack();
    for (let i = 0; i < 10_000; i++) stack.use(await cm(i));
  }
  assert.equal(exited.length, 10_000);
  assert.ok(exited.every((value, index) => value === 9_999 - index));
});

Deno.test("a cancelled task holding 10,000 sync and 10,000 async managers exits them all, in reverse order", async () => {
  const exited: string[] = [];
  const sync = contextManager(function* (i: number) {
    try {
      yield i;
    } finally {
      exited.push(`sync ${i}`);
    }
  });
  const async = asyncContextManager(async function* (i: number) {
    try {
      yield i;
    } finally {
      await Promise.resolve();
      exited.push(`async ${i}`);
    }
  });
  const ready = new Future<void>();
  const task = startInlineFuture((function* (): Operation<void> {
    using syncStack = new DisposableStack();
    for (let i = 0; i < 10_000; i++) syncStack.use(sync(i));
    const asyncStack = new AsyncDisposableStack();
    yield* withTaskContext(asyncStack, function* (stack) {
      for (let i = 0; i < 10_000; i++) {
        stack.use(yield* Future.from(async(i)));
      }
      ready.setResult(undefined);
      yield* new Future<never>();
    });
  })());
  await ready;
  task.cancel();
  await assert.rejects(Promise.resolve(task), CancelledError);
  assert.equal(exited.length, 20_000);
  for (let i = 0; i < 10_000; i++) {
    assert.equal(exited[i], `async ${9_999 - i}`);
    assert.equal(exited[10_000 + i], `sync ${9_999 - i}`);
  }
});

// ---------------------------------------------------------------------------
// asyncContextManager().

Deno.test("asyncContextManager() factory returns a promise of the entered manager, for await using", async () => {
  const log: string[] = [];
  const connect = asyncContextManager(async function* connect(url: string) {
    await Promise.resolve();
    log.push(`open ${url}`);
    try {
      yield { url };
    } finally {
      await Promise.resolve();
      log.push(`close ${url}`);
    }
  });
  assert.equal(connect.name, "connect");
  const pending = connect("a");
  assert.ok(pending instanceof Promise);
  {
    await using conn = await pending;
    log.push(`use ${conn.value.url}`);
  }
  assert.deepEqual(log, ["open a", "use a", "close a"]);
});

Deno.test("asyncContextManager() passes this and the arguments on", async () => {
  class Pool {
    size = 2;
    lease = asyncContextManager(async function* (this: Pool, n: number) {
      this.size -= n;
      try {
        yield this.size;
      } finally {
        this.size += n;
      }
    });
  }
  const pool = new Pool();
  {
    await using lease = await pool.lease(1);
    assert.equal(lease.value, 1);
  }
  assert.equal(pool.size, 2);
});

Deno.test("asyncContextManager() rejects what is not an async generator function", () => {
  assert.throws(
    // @ts-expect-error: a sync generator function
    () => asyncContextManager(function* tempdir() {}),
    isTypeError(/the generator function tempdir.*use contextManager/),
  );
  assert.throws(
    // @ts-expect-error: an async function
    () => asyncContextManager(async () => {}),
    isTypeError(
      /Cannot create an async context manager factory: expected an async generator function/,
    ),
  );
});

Deno.test("async: did not yield, an error before the yield, did not stop, and did not stop after an error", async () => {
  const noYield = trackedAsync(async function* opener(): AsyncGenerator<
    never,
    void,
    undefined
  > {});
  await assert.rejects(noYield.factory(), isTypeError(/did not yield/));
  assert.equal(noYield.state.closed, 1);

  const boom = new Tagged("boom");
  // deno-lint-ignore require-yield
  const failing = asyncContextManager(async function* (): AsyncGenerator<
    never,
    void,
    undefined
  > {
    await Promise.resolve();
    throw boom;
  });
  await assert.rejects(failing(), (error) => error === boom);

  const log: string[] = [];
  const twice = trackedAsync(async function* () {
    try {
      yield 1;
      yield 2;
    } finally {
      await Promise.resolve();
      log.push("finally");
    }
  });
  await assert.rejects(
    async () => {
      await using _ = await twice.factory();
    },
    isTypeError(
      /Cannot exit the context manager .*: its generator did not stop, it yielded again/,
    ),
  );
  assert.deepEqual(log, ["finally"]);
  assert.equal(twice.state.closed, 1);

  const body = new Tagged("body");
  const stubborn = trackedAsync(async function* () {
    try {
      yield 1;
    } catch {
      // then yields again
    }
    yield 2;
  });
  await assert.rejects(
    async () => (await stubborn.factory()).exit(body),
    (error) =>
      isTypeError(/did not stop after the block's error/)(error) &&
      (error as Error).cause === body,
  );
  assert.equal(stubborn.state.closed, 1);
});

Deno.test("async exit(error): true when suppressed, false when rethrown, a different error rejects; a second exit does nothing", async () => {
  const { state, factory } = trackedAsync(async function* (mode: string) {
    try {
      yield;
    } catch (error) {
      await Promise.resolve();
      if (mode === "rethrow") throw error;
      if (mode === "replace") throw new Tagged("replacement");
    }
  });
  const error = new Tagged("e");
  assert.equal(await (await factory("suppress")).exit(error), true);
  assert.equal(await (await factory("rethrow")).exit(error), false);
  await assert.rejects(
    (await factory("replace")).exit(error),
    (e) => e instanceof Tagged && e.tag === "replacement",
  );
  const cm = await factory("rethrow");
  assert.equal(await cm.exit(), false);
  assert.equal(await cm.exit(error), false);
  assert.equal(state.closed, 4);
});

Deno.test("await using: an error raised while exiting meets the block's error in a SuppressedError", async () => {
  const exitError = new Tagged("exit");
  const body = new Tagged("body");
  const failing = asyncContextManager(async function* () {
    yield;
    await Promise.resolve();
    throw exitError;
  });
  await assert.rejects(async () => {
    await using _ = await failing();
    throw body;
  }, (error) =>
    error instanceof SuppressedError && error.error === exitError &&
    error.suppressed === body);
});

Deno.test("AsyncDisposableStack.use takes async generator managers", async () => {
  const log: string[] = [];
  const cm = asyncContextManager(async function* (name: string) {
    log.push(`enter ${name}`);
    yield name;
    await Promise.resolve();
    log.push(`exit ${name}`);
  });
  {
    await using stack = new AsyncDisposableStack();
    stack.use(await cm("a"));
    stack.use(await cm("b"));
  }
  assert.deepEqual(log, ["enter a", "enter b", "exit b", "exit a"]);
});

// ---------------------------------------------------------------------------
// withAsyncContext.

Deno.test("withAsyncContext takes a promise of a manager, and gives the block's result or error", async () => {
  const seen: unknown[] = [];
  const tx = asyncContextManager(async function* (suppressIt: boolean) {
    await Promise.resolve();
    try {
      yield "tx";
    } catch (error) {
      seen.push(error);
      if (!suppressIt) throw error;
    }
  });
  assert.equal(
    await withAsyncContext(tx(false), (v) => Promise.resolve(`${v}!`)),
    "tx!",
  );
  const body = new Tagged("body");
  await assert.rejects(
    withAsyncContext(tx(false), async () => {
      await Promise.resolve();
      throw body;
    }),
    (error) => error === body,
  );
  assert.equal(
    await withAsyncContext(tx(true), () => {
      throw body;
    }),
    undefined,
  );
  assert.deepEqual(seen, [body, body]);
});

Deno.test("withAsyncContext takes sync managers, async enter/exit managers, and async disposables", async () => {
  const log: string[] = [];
  const sync = contextManager(function* () {
    yield "sync";
    log.push("sync exit");
  });
  assert.equal(
    await withAsyncContext(sync(), (v) => Promise.resolve(v)),
    "sync",
  );

  const manager = {
    async enter() {
      await Promise.resolve();
      return "plain";
    },
    async exit(error?: unknown) {
      await Promise.resolve();
      log.push(`plain exit ${error === undefined ? "ok" : "error"}`);
      return error instanceof RangeError;
    },
  };
  assert.equal(await withAsyncContext(manager, (v) => v), "plain");
  assert.equal(
    await withAsyncContext(manager, () => {
      throw new RangeError();
    }),
    undefined,
  );

  const disposable = {
    async [Symbol.asyncDispose]() {
      await Promise.resolve();
      log.push("async disposed");
    },
  };
  assert.equal(
    await withAsyncContext(disposable, (d) => d === disposable),
    true,
  );
  assert.deepEqual(log, [
    "sync exit",
    "plain exit ok",
    "plain exit error",
    "async disposed",
  ]);
});

Deno.test("withAsyncContext: an async manager whose enter fails is not exited", async () => {
  let exited = false;
  const boom = new Tagged("boom");
  await assert.rejects(
    withAsyncContext({
      enter: () => Promise.reject(boom),
      exit: () => {
        exited = true;
      },
    }, () => 1),
    (error) => error === boom,
  );
  assert.equal(exited, false);
});

Deno.test("withAsyncContext: an error raised while exiting meets the block's error", async () => {
  const exitError = new Tagged("exit");
  const body = new Tagged("body");
  const failing = asyncContextManager(async function* () {
    try {
      yield;
    } finally {
      await Promise.resolve();
      // deno-lint-ignore no-unsafe-finally
      throw exitError;
    }
  });
  await assert.rejects(
    withAsyncContext(failing(), () => {
      throw body;
    }),
    (error) =>
      error instanceof SuppressedError && error.error === exitError &&
      error.suppressed === body,
  );
});

// ---------------------------------------------------------------------------
// Managers in the tutorial's enter()/exit(error) shape.

Deno.test("the tutorial's Manager class works with withContext: exit() after success, exit(error) after failure, true handles it", () => {
  const calls: unknown[][] = [];
  class Manager {
    enter() {
      return "value";
    }
    exit(...args: unknown[]) {
      calls.push(args);
      return args[0] instanceof RangeError;
    }
  }
  assert.equal(withContext(new Manager(), (v) => v.length), 5);
  const handled = new RangeError("handled");
  assert.equal(
    withContext(new Manager(), () => {
      throw handled;
    }),
    undefined,
  );
  const unhandled = new TypeError("unhandled");
  assert.throws(
    () =>
      withContext(new Manager(), () => {
        throw unhandled;
      }),
    (error) => error === unhandled,
  );
  assert.deepEqual(calls, [[], [handled], [unhandled]]);
});

Deno.test("enterContext adapts an enter()/exit(error) manager to using and DisposableStack, exiting once", () => {
  const calls: unknown[][] = [];
  const manager = {
    enter() {
      calls.push(["enter"]);
      return 1;
    },
    exit(...args: unknown[]) {
      calls.push(["exit", ...args]);
      return true;
    },
  };
  {
    using m = enterContext(manager);
    assert.equal(m.value, 1);
  }
  {
    using stack = new DisposableStack();
    stack.use(enterContext(manager));
  }
  const error = new Tagged("e");
  const cm = enterContext(manager);
  assert.equal(cm.exit(error), true);
  assert.equal(cm.exit(error), false);
  cm[Symbol.dispose]();
  assert.deepEqual(calls, [
    ["enter"],
    ["exit"],
    ["enter"],
    ["exit"],
    ["enter"],
    ["exit", error],
  ]);
  assert.throws(
    // @ts-expect-error: no exit
    () => enterContext({ enter() {} }),
    isTypeError(
      /Cannot run enterContext\(manager\): expected an object with enter\(\) and exit\(error\)/,
    ),
  );
});

Deno.test("enterContext: a manager whose exit returns a promise is a TypeError", async () => {
  let promise: Promise<boolean> | undefined;
  const cm = enterContext({
    enter: () => 1,
    exit: () => (promise = Promise.resolve(true)) as unknown as boolean,
  });
  assert.throws(
    () => cm[Symbol.dispose](),
    isTypeError(/use enterAsyncContext/),
  );
  await promise;
});

Deno.test("enterContext and enterAsyncContext: errors raised by the exit name the manager, also in the messages of the runners", async () => {
  class Failing {
    enter() {
      return 1;
    }
    exit(): boolean {
      throw new Tagged("exit");
    }
  }
  class Promising {
    enter() {
      return 1;
    }
    exit(): boolean {
      return Promise.resolve(true) as unknown as boolean;
    }
  }
  class AsyncFailing {
    async enter() {
      await turn();
      return 1;
    }
    async exit(): Promise<boolean> {
      await turn();
      throw new Tagged("exit");
    }
  }
  const block = () => {
    throw new Tagged("block");
  };
  const failed = (name: string, exitMessage: RegExp) => (error: unknown) =>
    error instanceof SuppressedError &&
    error.message.startsWith(
      `Cannot exit an object of class ${name}: its exit raised an error`,
    ) &&
    exitMessage.test((error.error as Error).message) &&
    (error.suppressed as Tagged).tag === "block";
  assert.throws(
    () => withContext(enterContext(new Failing()), block),
    failed("Failing", /^exit$/),
  );
  assert.throws(
    () => withContext(enterContext(new Promising()), block),
    failed(
      "Promising",
      /^Cannot exit an object of class Promising: its exit\(\) returned a promise/,
    ),
  );
  await assert.rejects(
    withAsyncContext(await enterAsyncContext(new AsyncFailing()), block),
    failed("AsyncFailing", /^exit$/),
  );
  await assert.rejects(
    runInlineFuture(
      withTaskContext(
        await enterAsyncContext(new AsyncFailing()),
        function* () {
          yield* Future.from(0);
          block();
        },
      ),
    ),
    failed("AsyncFailing", /^exit$/),
  );
  // A second exit still does nothing.
  const cm = enterContext(new Failing());
  assert.throws(() => cm[Symbol.dispose](), (error) => error instanceof Tagged);
  cm[Symbol.dispose]();
});

Deno.test("enterAsyncContext adapts an async enter()/exit(error) manager to await using", async () => {
  const log: string[] = [];
  const manager = {
    async enter() {
      await Promise.resolve();
      log.push("enter");
      return "conn";
    },
    async exit(error?: unknown) {
      await Promise.resolve();
      log.push(
        error === undefined ? "exit" : `exit ${(error as Error).message}`,
      );
      return true;
    },
  };
  {
    await using conn = await enterAsyncContext(manager);
    log.push(`use ${conn.value}`);
  }
  const cm = await enterAsyncContext(manager);
  assert.equal(await cm.exit(new Error("e")), true);
  assert.deepEqual(log, ["enter", "use conn", "exit", "enter", "exit e"]);
  await assert.rejects(
    // @ts-expect-error: not a manager
    enterAsyncContext(null),
    isTypeError(/got null/),
  );
});

// ---------------------------------------------------------------------------
// suppress, closing, nullContext.

Deno.test("suppress() suppresses errors of the given classes and their subclasses in withContext, and nothing else", () => {
  class NotFound extends Error {}
  class Gone extends NotFound {}
  assert.equal(
    withContext(suppress(NotFound, RangeError), () => {
      throw new Gone();
    }),
    undefined,
  );
  assert.equal(
    withContext(suppress(NotFound, RangeError), () => {
      throw new RangeError();
    }),
    undefined,
  );
  assert.equal(withContext(suppress(NotFound), () => 3), 3);
  const other = new TypeError();
  assert.throws(
    () =>
      withContext(suppress(NotFound), () => {
        throw other;
      }),
    (error) => error === other,
  );
  assert.throws(
    () =>
      withContext(suppress(), () => {
        throw other;
      }),
    (error) => error === other,
  );
  // A thrown primitive is no instance of anything.
  assert.throws(
    () =>
      withContext(suppress(Error), () => {
        throw "a string";
      }),
    (error) => error === "a string",
  );
});

Deno.test("suppress() works with withAsyncContext and withTaskContext", async () => {
  assert.equal(
    await withAsyncContext(suppress(RangeError), async () => {
      await Promise.resolve();
      throw new RangeError();
    }),
    undefined,
  );
  assert.equal(
    await runInlineFuture(withTaskContext(suppress(RangeError), function* () {
      yield* Future.from(Promise.resolve());
      throw new RangeError();
    })),
    undefined,
  );
});

Deno.test("suppress() is not disposable, so using rejects it (using cannot suppress)", () => {
  assert.throws(() => {
    // @ts-expect-error: suppress() cannot work with using
    using _ = suppress(Error);
  }, TypeError);
  assert.throws(
    // @ts-expect-error: not a class
    () => suppress("Error"),
    isTypeError(
      /Cannot create a suppress\(\) manager: expected classes of errors, got "Error" \(a string\)/,
    ),
  );
});

Deno.test("closing() closes the object once when the block ends, and never suppresses", () => {
  class Resource {
    closes = 0;
    close() {
      this.closes++;
    }
  }
  const r = new Resource();
  {
    using c = closing(r);
    assert.equal(c.value, r);
    assert.equal(r.closes, 0);
  }
  assert.equal(r.closes, 1);

  const body = new Tagged("body");
  const r2 = new Resource();
  assert.throws(
    () =>
      withContext(closing(r2), () => {
        throw body;
      }),
    (error) => error === body,
  );
  const c = closing(r2);
  assert.equal(c.exit(body), false);
  c[Symbol.dispose]();
  assert.equal(r2.closes, 2);

  assert.throws(
    // @ts-expect-error: nothing to close
    () => closing({}),
    isTypeError(
      /Cannot create a closing\(\) manager: expected an object with a close\(\) method, got a plain object/,
    ),
  );
});

Deno.test("nullContext() gives its value and does nothing, with using, await using and every runner", async () => {
  {
    using n = nullContext(5);
    assert.equal(n.value, 5);
  }
  {
    await using n = nullContext("x");
    assert.equal(n.value, "x");
  }
  assert.equal(withContext(nullContext(2), (v) => v * 2), 4);
  assert.equal(await withAsyncContext(nullContext(3), (v) => v * 2), 6);
  assert.equal(
    // deno-lint-ignore require-yield
    await runInlineFuture(withTaskContext(nullContext(4), function* (v) {
      return v * 2;
    })),
    8,
  );
  const body = new Tagged("body");
  assert.throws(
    () =>
      withContext(nullContext(1), () => {
        throw body;
      }),
    (error) => error === body,
  );
});

// ---------------------------------------------------------------------------
// Context managers inside tasks.

/** A sync manager that logs its exit. */
const lock = contextManager(function* lock(log: string[], name: string) {
  log.push(`acquire ${name}`);
  try {
    yield name;
  } finally {
    log.push(`release ${name}`);
  }
});

/** An async manager whose entry and exit can be held open by futures. */
const connection = asyncContextManager(async function* connection(
  log: string[],
  name: string,
  gates: { enter?: Future<void>; exit?: Future<void>; exiting?: Future<void> } =
    {},
) {
  if (gates.enter) await gates.enter;
  log.push(`open ${name}`);
  try {
    yield name;
  } catch (error) {
    log.push(`${name} saw ${(error as Error).name}`);
    throw error;
  } finally {
    gates.exiting?.setResult(undefined);
    if (gates.exit) await gates.exit;
    log.push(`close ${name}`);
  }
});

Deno.test("cancelling a task exits every manager it holds, sync and async, in reverse order, and waits for async exits", async () => {
  const log: string[] = [];
  const exitGate = new Future<void>();
  const exiting = new Future<void>();
  const inside = new Future<void>();
  const task = startInlineFuture((function* (): Operation<void> {
    using _a = lock(log, "a");
    yield* withTaskContext(connection(log, "b"), function* () {
      using _c = lock(log, "c");
      yield* withTaskContext(
        connection(log, "d", { exit: exitGate, exiting }),
        function* () {
          using _e = lock(log, "e");
          inside.setResult(undefined);
          yield* new Future<never>();
          log.push("never");
        },
      );
    });
  })());
  await inside;
  assert.equal(task.cancel(), true);
  await exiting;
  await turn();
  // d's exit is waiting: the task must wait with it.
  assert.equal(task.done(), false);
  assert.deepEqual(log.slice(-2), ["release e", "d saw CancelledError"]);
  exitGate.setResult(undefined);
  await assert.rejects(Promise.resolve(task), CancelledError);
  assert.deepEqual(log, [
    "acquire a",
    "open b",
    "acquire c",
    "open d",
    "acquire e",
    "release e",
    "d saw CancelledError",
    "close d",
    "release c",
    "b saw CancelledError",
    "close b",
    "release a",
  ]);
});

Deno.test("a task cancelled at any point exits every manager it entered exactly once, in reverse order, before it ends", async () => {
  type Kind = "using" | "sync" | "async";
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.constantFrom<Kind>("using", "sync", "async"), {
        minLength: 1,
        maxLength: 5,
      }),
      fc.nat({ max: 15 }),
      fc.boolean(),
      async (plan, cancelAfter, cancelTwice) => {
        const log: string[] = [];
        const syncCm = contextManager(function* (i: number) {
          log.push(`enter ${i}`);
          try {
            yield i;
          } finally {
            log.push(`exit ${i}`);
          }
        });
        const asyncCm = asyncContextManager(async function* (i: number) {
          await turn();
          log.push(`enter ${i}`);
          try {
            yield i;
          } finally {
            await turn();
            log.push(`exit ${i}`);
          }
        });
        function* level(i: number): Operation<void> {
          if (i === plan.length) return yield* new Future<never>();
          yield* Future.from(turn());
          if (plan[i] === "using") {
            using _ = syncCm(i);
            return yield* level(i + 1);
          }
          const cm = plan[i] === "sync" ? syncCm(i) : asyncCm(i);
          yield* withTaskContext(cm, () => level(i + 1));
        }
        const task = startInlineFuture(level(0));
        for (let k = 0; k < cancelAfter; k++) await turn();
        task.cancel();
        if (cancelTwice) {
          await turn();
          task.cancel();
        }
        await assert.rejects(Promise.resolve(task), CancelledError);
        const atEnd = log.length;
        await turn();
        await turn();
        assert.equal(log.length, atEnd, "nothing exits after the task ended");
        const entered = log.filter((e) => e.startsWith("enter"));
        const exited = log.filter((e) => e.startsWith("exit"));
        assert.deepEqual(
          exited.map((e) => e.slice(5)),
          entered.map((e) => e.slice(6)).reverse(),
        );
      },
    ),
    { numRuns: 60 },
  );
});

Deno.test("cancelling a task again while an async exit waits does not cut the exit short", async () => {
  const log: string[] = [];
  const exitGate = new Future<void>();
  const exiting = new Future<void>();
  const inside = new Future<void>();
  const task = startInlineFuture((function* (): Operation<string> {
    yield* withTaskContext(
      connection(log, "x", { exit: exitGate, exiting }),
      function* () {
        inside.setResult(undefined);
        yield* new Future<never>();
      },
    );
    return "not reached";
  })());
  await inside;
  task.cancel("first");
  await exiting;
  assert.equal(task.cancel("second"), true);
  assert.equal(task.cancel("third"), true);
  await turn();
  assert.equal(task.done(), false);
  exitGate.setResult(undefined);
  await assert.rejects(Promise.resolve(task), {
    name: "CancelledError",
    message: "first",
  });
  assert.deepEqual(log, ["open x", "x saw CancelledError", "close x"]);
});

Deno.test("a task cancelled after its block, while an async exit runs, finishes the exit and then ends cancelled", async () => {
  const log: string[] = [];
  const exitGate = new Future<void>();
  const exiting = new Future<void>();
  const task = startInlineFuture(
    withTaskContext(
      connection(log, "x", { exit: exitGate, exiting }),
      // deno-lint-ignore require-yield
      function* () {
        log.push("block done");
        return 1;
      },
    ),
  );
  await exiting;
  task.cancel();
  await turn();
  assert.equal(task.done(), false);
  exitGate.setResult(undefined);
  await assert.rejects(Promise.resolve(task), CancelledError);
  assert.deepEqual(log, ["open x", "block done", "close x"]);
});

Deno.test("a task cancelled while an async manager enters: it is entered, then exited with the CancelledError, and the block does not run", async () => {
  const log: string[] = [];
  const enterGate = new Future<void>();
  const task = startInlineFuture(
    withTaskContext(
      connection(log, "x", { enter: enterGate }),
      // deno-lint-ignore require-yield
      function* () {
        log.push("block");
      },
    ),
  );
  await turn();
  assert.equal(task.cancel(), true);
  await turn();
  assert.equal(task.done(), false);
  enterGate.setResult(undefined);
  await assert.rejects(Promise.resolve(task), CancelledError);
  assert.deepEqual(log, ["open x", "x saw CancelledError", "close x"]);
});

Deno.test("a task cancelled while a plain async manager's enter() runs: it exits once the enter is done", async () => {
  const calls: string[] = [];
  const entered = new Future<string>();
  const task = startInlineFuture(withTaskContext({
    enter: () => entered.then((v) => v),
    exit: (error?: unknown) => {
      calls.push(`exit ${(error as Error).name}`);
    },
    // deno-lint-ignore require-yield
  }, function* () {
    calls.push("block");
  }));
  await turn();
  task.cancel();
  entered.setResult("value");
  await assert.rejects(Promise.resolve(task), CancelledError);
  assert.deepEqual(calls, ["exit CancelledError"]);
});

Deno.test("withTaskContext: a manager can suppress the cancellation, and the task goes on", async () => {
  const inside = new Future<void>();
  const task = startInlineFuture((function* (): Operation<string> {
    const result = yield* withTaskContext(
      suppress(CancelledError),
      function* () {
        inside.setResult(undefined);
        yield* new Future<never>();
        return "not reached";
      },
    );
    return `went on with ${result}`;
  })());
  await inside;
  task.cancel();
  assert.equal(await task, "went on with undefined");
});

Deno.test("withTaskContext: the block's result, its error as the same object, and the manager sees the error", async () => {
  const log: string[] = [];
  assert.equal(
    await runInlineFuture(
      // deno-lint-ignore require-yield
      withTaskContext(connection(log, "a"), function* (name) {
        return `${name}!`;
      }),
    ),
    "a!",
  );
  const body = new Tagged("body");
  await assert.rejects(
    runInlineFuture(
      withTaskContext(connection(log, "b"), function* () {
        yield* Future.from(Promise.resolve());
        throw body;
      }),
    ),
    (error) => error === body,
  );
  assert.deepEqual(log, [
    "open a",
    "close a",
    "open b",
    "b saw Tagged",
    "close b",
  ]);
});

Deno.test("withTaskContext: an exit error after a cancellation meets the CancelledError, and the task fails", async () => {
  const exitError = new Tagged("exit");
  const failing = asyncContextManager(async function* () {
    try {
      yield;
    } finally {
      await Promise.resolve();
      // deno-lint-ignore no-unsafe-finally
      throw exitError;
    }
  });
  const inside = new Future<void>();
  const task = startInlineFuture(withTaskContext(failing(), function* () {
    inside.setResult(undefined);
    yield* new Future<never>();
  }));
  await inside;
  task.cancel();
  await assert.rejects(
    Promise.resolve(task),
    (error) =>
      error instanceof SuppressedError && error.error === exitError &&
      error.suppressed instanceof CancelledError,
  );
  assert.equal(task.cancelled(), false);
});

Deno.test("withTaskContext: a block that is not an operation is a TypeError the manager sees", async () => {
  const log: string[] = [];
  await assert.rejects(
    runInlineFuture(
      // @ts-expect-error: the block must be a generator function
      withTaskContext(connection(log, "a"), () => 1),
    ),
    isTypeError(
      /Cannot run withTaskContext\(cm, body\): expected the block to be a generator function/,
    ),
  );
  assert.deepEqual(log, ["open a", "a saw TypeError", "close a"]);
});

Deno.test("withTaskContext: a future given as the manager is cancelled with the task", async () => {
  const pending = new Future<ContextManager<number>>();
  // deno-lint-ignore require-yield
  const task = startInlineFuture(withTaskContext(pending, function* (v) {
    return v;
  }));
  task.cancel();
  await assert.rejects(Promise.resolve(task), CancelledError);
  assert.equal(pending.cancelled(), true);
});

Deno.test("a sync manager declared with using in a task exits when the task is cancelled", async () => {
  const log: string[] = [];
  const inside = new Future<void>();
  const task = startInlineFuture((function* (): Operation<void> {
    using _a = lock(log, "a");
    using _b = lock(log, "b");
    inside.setResult(undefined);
    yield* new Future<never>();
  })());
  await inside;
  task.cancel();
  await assert.rejects(Promise.resolve(task), CancelledError);
  assert.deepEqual(log, ["acquire a", "acquire b", "release b", "release a"]);
});

// ---------------------------------------------------------------------------
// Types.

Deno.test("types: managers carry their value type into blocks", async () => {
  const text = contextManager(function* () {
    yield "text";
  });
  const n = asyncContextManager(async function* () {
    yield 1;
  });
  const s: string = text().value;
  const length: number | undefined = withContext(text(), (v) => v.length);
  const doubled: number | undefined = await withAsyncContext(
    n(),
    (v) => Promise.resolve(v * 2),
  );
  const fromTask: Operation<string | undefined> = withTaskContext(
    n(),
    // deno-lint-ignore require-yield
    function* (v) {
      return v.toFixed(1);
    },
  );
  // @ts-expect-error: the value is a string
  const wrong: number = text().value;
  const entered = await n();
  // @ts-expect-error: withContext takes no async manager
  assert.throws(() => withContext(entered, () => 1), TypeError);
  await entered.exit();
  // @ts-expect-error: the block of withContext must not return a promise
  assert.throws(() => withContext(text(), () => Promise.resolve(1)), TypeError);
  void [s, length, doubled, fromTask, wrong];
});
