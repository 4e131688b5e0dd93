// Copyright 2026 the @frontier/generators authors. MIT license.
// Actor functions that the tests run in Workers.

import {
  type ActorGenerator,
  ask,
  reply,
  send,
} from "@frontier/generators/actor";

/** Replies to every question with the message itself. */
export function* echo(): ActorGenerator<unknown> {
  while (true) reply(yield);
}

/**
 * Takes numbered messages; replies to a question with how many arrived and
 * how many were out of order.
 */
export function* sequence(): ActorGenerator<number | "report"> {
  let expected = 0;
  let outOfOrder = 0;
  while (true) {
    const n = yield;
    if (n === "report") reply({ count: expected, outOfOrder });
    else {
      if (n !== expected) outOfOrder++;
      expected = n + 1;
    }
  }
}

/** Sends every message on to `target`, with a prefix. */
export function* forward(
  target: string,
  prefix: string,
): ActorGenerator<unknown> {
  while (true) send(target, `${prefix}${yield}`);
}

/**
 * Asks `target` each message as a question, and sends the answer to
 * `resultsTo`.
 */
export function* askAround(
  target: string,
  resultsTo: string,
): ActorGenerator<unknown> {
  while (true) {
    const message = yield;
    const answer = ask(target, message);
    answer.addDoneCallback((f) => {
      send(resultsTo, f.exception() === undefined ? f.result() : "failed");
    });
  }
}

/** Throws a `RangeError` on "boom"; counts (and replies with) the rest. */
export function* fragile(start: number): ActorGenerator<string> {
  let count = start;
  while (true) {
    const message = yield;
    if (message === "boom") {
      const error = new RangeError(`boom after ${count}`);
      Object.assign(error, { code: "E_BOOM" });
      throw error;
    }
    count++;
    reply(count);
  }
}

/** Tells `target` when its `finally` block runs. */
export function* guarded(target: string): ActorGenerator<unknown> {
  try {
    while (true) reply(yield);
  } finally {
    send(target, "finally ran");
  }
}

/** Asks `target` each message as a question, and never looks at the answer. */
export function* unwatchedAsks(target: string): ActorGenerator<unknown> {
  while (true) ask(target, yield);
}

/** Returns after its first message. */
export function* once(): ActorGenerator<unknown> {
  reply(yield);
}

/** Spins forever on "hang", never yielding again. */
export function* stubborn(): ActorGenerator<string> {
  while (true) {
    const message = yield;
    // deno-lint-ignore no-empty
    if (message === "hang") { while (true) {} }
    reply(message);
  }
}

/** Throws later, outside its generator, on "later". */
export function* throwsLater(): ActorGenerator<string> {
  while (true) {
    const message = yield;
    if (message === "later") {
      setTimeout(() => {
        throw new EvalError("thrown from a timer");
      }, 0);
    }
    reply(message);
  }
}

/** Replies with something structured clone refuses. */
export function* unclonableReply(): ActorGenerator<unknown> {
  while (true) {
    yield;
    reply(() => "a function");
  }
}

/** Sends to a name nobody has. */
export function* lost(): ActorGenerator<unknown> {
  while (true) send("nobody-has-this-name", yield);
}

/**
 * Sends to, then asks, the name it is given as a message (which may not be
 * a string), and replies with what each call threw, or "no error".
 */
export function* namesAnything(): ActorGenerator<unknown> {
  while (true) {
    const name = yield;
    const thrown: string[] = [];
    for (const call of [send, ask]) {
      try {
        const answer = call(name as string, "hi");
        // An answer that fails is seen here: only the call is under test.
        answer?.addDoneCallback(() => {});
        thrown.push("no error");
      } catch (error) {
        thrown.push(`${(error as Error).name}: ${(error as Error).message}`);
      }
    }
    reply(thrown);
  }
}

/**
 * Ends its own Worker: `Deno.exit(code)` on `["exit", code]`, `close()` on
 * "close"; replies to anything else with the message itself.
 */
export function* exits(): ActorGenerator<unknown> {
  while (true) {
    const message = yield;
    if (Array.isArray(message) && message[0] === "exit") Deno.exit(message[1]);
    if (message === "close") {
      (globalThis as unknown as { close(): void }).close();
    }
    reply(message);
  }
}

/** Keeps its thread busy for the given milliseconds, then goes on without replying. */
export function* spinsFor(): ActorGenerator<number> {
  while (true) {
    const ms = yield;
    const end = performance.now() + ms;
    while (performance.now() < end) {
      // Busy on purpose: the thread does nothing else meanwhile.
    }
  }
}

/** Not a generator function. */
export function notAnActor(): string {
  return "plain";
}
