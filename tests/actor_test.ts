// Copyright 2026 the @frontier/generators authors. MIT license.

import assert from "node:assert/strict";
import fc from "fast-check";
import FakeTimers from "@sinonjs/fake-timers";
import {
  actor,
  ActorError,
  type ActorErrorInfo,
  type ActorGenerator,
  actorModule,
  type ActorRef,
  ActorSystem,
  ask,
  defaultSystem,
  reply,
  run,
  send,
  spawn,
  stop,
} from "@frontier/generators/actor";
import { Future, sleep, TimeoutError } from "@frontier/generators/future";
import { runInlineFuture } from "@frontier/generators/task";
import type * as Fixtures from "./_actor_fixtures.ts";
import { captureReportedErrors, captureUnhandled } from "./_util.ts";
import { Link, type LinkHandler } from "../_actor/link.ts";
import { Mailbox } from "../_actor/mailbox.ts";
import { askFuture } from "../_actor/ask.ts";
import { threadUrl } from "../_actor/thread.ts";
import type { Cell } from "../_actor/cell.ts";
import {
  deserializeError,
  type SerializedError,
  serializeError,
} from "../_core/error_clone.ts";

// Collects what a system reports, and lets a test wait for the next report.
function errorLog() {
  const errors: { error: unknown; info: ActorErrorInfo }[] = [];
  let waiter: Future<void> | undefined;
  return {
    errors,
    onError(error: unknown, info: ActorErrorInfo) {
      errors.push({ error, info });
      waiter?.setResult(undefined);
      waiter = undefined;
    },
    /** Resolves once `count` errors have been reported. */
    async until(count: number): Promise<void> {
      while (errors.length < count) {
        waiter = new Future<void>();
        await waiter;
      }
    },
  };
}

// Waits for a condition that other threads make true. The bound only stops a
// broken test from hanging forever; it is not a timing assertion.
async function until(what: string, condition: () => boolean): Promise<void> {
  for (let i = 0; i < 20_000 && !condition(); i++) await sleep(1);
  if (!condition()) throw new Error(`gave up waiting until ${what}`);
}

function stackDepth(): number {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Infinity;
  const depth = new Error().stack!.split("\n").length;
  Error.stackTraceLimit = limit;
  return depth;
}

const fixtures = actorModule<typeof Fixtures>(
  new URL("./_actor_fixtures.ts", import.meta.url),
);

// ---------------------------------------------------------------------------
// The tutorial's API

Deno.test("actor() registers the primed generator under its function's name, and run() delivers in order", () => {
  const printed: string[] = [];
  const printer = actor(function* printer(): ActorGenerator<number> {
    while (true) {
      const msg = yield;
      printed.push(`printer: ${msg}`);
    }
  });
  const ref = printer();
  assert.equal(ref.name, "printer");
  let n = 10;
  while (n > 0) {
    send("printer", n);
    n -= 1;
  }
  assert.deepEqual(printed, [], "send() only queues");
  assert.equal(run(), 10);
  assert.deepEqual(
    printed,
    [10, 9, 8, 7, 6, 5, 4, 3, 2, 1].map((n) => `printer: ${n}`),
  );
  assert.equal(run(), 0);
  return stop("printer");
});

Deno.test("actor() primes the generator: code before the first yield runs at once, with the arguments", () => {
  const system = new ActorSystem();
  const log: string[] = [];
  const greeter = system.actor(
    function* greeter(greeting: string): ActorGenerator<string> {
      log.push("started");
      while (true) log.push(`${greeting}, ${yield}`);
    },
  );
  greeter("hello");
  assert.deepEqual(log, ["started"]);
  system.send("greeter", "world");
  system.run();
  assert.deepEqual(log, ["started", "hello, world"]);
});

Deno.test("the naive registry of the tutorial fails at ping-pong with 'Generator is already running'", () => {
  const registry = new Map<string, Generator<void, void, number>>();
  const naiveSend = (name: string, n: number) => registry.get(name)!.next(n);
  function* ping(): Generator<void, void, number> {
    while (true) naiveSend("pong", (yield) + 1);
  }
  function* pong(): Generator<void, void, number> {
    while (true) naiveSend("ping", (yield) + 1);
  }
  for (const fn of [ping, pong]) {
    const gen = fn();
    gen.next();
    registry.set(fn.name, gen);
  }
  assert.throws(() => naiveSend("ping", 0), {
    name: "TypeError",
    message: "Generator is already running",
  });
});

Deno.test("ping-pong runs for millions of messages at a constant stack depth", () => {
  const system = new ActorSystem();
  const depths: number[] = [];
  const total = 2_000_000;
  function* player(other: string): ActorGenerator<number> {
    while (true) {
      const n = yield;
      if (n === 1 || n === total - 1) depths.push(stackDepth());
      system.send(other, n + 1);
    }
  }
  system.spawn("ping", player, "pong");
  system.spawn("pong", player, "ping");
  system.send("ping", 0);
  assert.equal(system.run({ maxMessages: total }), total);
  assert.equal(depths.length, 2);
  assert.equal(depths[0], depths[1]);
  assert.equal(system.pending, 1, "the next ball is waiting");
});

Deno.test("the queue gives its memory back after a burst of a million messages, delivered or stopped", async () => {
  const script = new URL("./fixtures/actor_mailbox_heap.ts", import.meta.url);
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--v8-flags=--expose-gc", script.href],
    stdout: "piped",
    stderr: "piped",
    // Only a guard against a hang.
    signal: AbortSignal.timeout(120_000),
  }).output();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  const heap = JSON.parse(new TextDecoder().decode(output.stdout));
  const MB = 1024 * 1024;
  // The burst itself is seen: at least 8 bytes per queued message.
  assert.ok(heap.queued - heap.before > 8 * MB, JSON.stringify(heap));
  // Once delivered, or moved out by stop(), it is gone; before the fix the
  // queue kept 24 MB.
  assert.ok(heap.delivered - heap.before < 2 * MB, JSON.stringify(heap));
  assert.ok(heap.stopped - heap.before < 2 * MB, JSON.stringify(heap));
});

Deno.test("the queue keeps first-in first-out order across its chunks, however pushes and shifts interleave (property)", () => {
  const cell = {} as Cell;
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: -3000, max: 3000 }), { maxLength: 12 }),
      (runs) => {
        const mailbox = new Mailbox();
        const model: number[] = [];
        let next = 0;
        for (const run of runs) {
          for (let i = 0; i < Math.abs(run); i++) {
            if (run > 0) {
              mailbox.push(cell, next, undefined);
              model.push(next++);
            } else if (model.length > 0) {
              assert.equal(mailbox.shift(), cell);
              assert.equal(mailbox.message, model.shift());
            }
          }
          assert.equal(mailbox.size, model.length);
        }
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("run({ maxMessages }) delivers at most that many, and run() resumes where it stopped", () => {
  const system = new ActorSystem();
  const got: number[] = [];
  system.spawn("sink", function* (): ActorGenerator<number> {
    while (true) got.push(yield);
  });
  for (let i = 0; i < 5; i++) system.send("sink", i);
  assert.equal(system.run({ maxMessages: 2 }), 2);
  assert.deepEqual(got, [0, 1]);
  assert.equal(system.run({ maxMessages: 0 }), 0);
  assert.equal(system.run(), 3);
  assert.deepEqual(got, [0, 1, 2, 3, 4]);
});

Deno.test("messages from each sender arrive in the order they were sent (property)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(2), fc.nat(2)), { maxLength: 150 }),
      fc.integer({ min: 1, max: 40 }),
      (commands, step) => {
        const system = new ActorSystem();
        const received = new Map<number, [number, number][]>();
        for (let r = 0; r < 3; r++) {
          received.set(r, []);
          system.spawn(`receiver-${r}`, function* (): ActorGenerator<
            [number, number]
          > {
            while (true) received.get(r)!.push(yield);
          });
          system.spawn(`relay-${r}`, function* (): ActorGenerator<
            { to: number; seq: number }
          > {
            while (true) {
              const { to, seq } = yield;
              system.send(`receiver-${to}`, [r, seq]);
            }
          });
        }
        commands.forEach(([relay, to], seq) => {
          system.send(`relay-${relay}`, { to, seq });
        });
        while (system.run({ maxMessages: step }) > 0) {
          // Deliver in slices, as an application would.
        }
        for (const [to, log] of received) {
          for (let relay = 0; relay < 3; relay++) {
            const sent = commands
              .map(([r, t], seq) => [r, t, seq])
              .filter(([r, t]) => r === relay && t === to)
              .map(([, , seq]) => seq);
            const got = log.filter(([r]) => r === relay).map(([, s]) => s);
            assert.deepEqual(got, sent);
          }
        }
      },
    ),
  );
});

// ---------------------------------------------------------------------------
// Names

Deno.test("spawn() takes names chosen at run time, and refuses a second running actor with one name", () => {
  const system = new ActorSystem();
  const seen: string[] = [];
  function* worker(id: number): ActorGenerator<string> {
    while (true) seen.push(`${id}:${yield}`);
  }
  const refs: ActorRef<string>[] = [];
  for (let id = 0; id < 3; id++) refs.push(system.spawn(`w${id}`, worker, id));
  system.send("w2", "a");
  refs[0].send("b");
  system.run();
  assert.deepEqual(seen, ["2:a", "0:b"]);
  assert.throws(() => system.spawn("w1", worker, 9), (error: unknown) => {
    assert.ok(error instanceof ActorError);
    assert.equal(error.actor, "w1");
    assert.match(error.message, /an actor named "w1" is already running/);
    return true;
  });
});

Deno.test("a stopped actor's name can be taken again; the old handle stays bound to the old actor", async () => {
  const system = new ActorSystem();
  const got: string[] = [];
  function* tagged(tag: string): ActorGenerator<string> {
    while (true) got.push(`${tag}:${yield}`);
  }
  const first = system.spawn("svc", tagged, "first");
  await system.stop("svc");
  const second = system.spawn("svc", tagged, "second");
  first.send("to old");
  second.send("to new");
  system.send("svc", "by name");
  system.run();
  assert.deepEqual(got, ["second:to new", "second:by name"]);
  assert.deepEqual(system.deadLetters, [{ name: "svc", message: "to old" }]);
  assert.equal(first.stopped, true);
  assert.equal(second.stopped, false);
});

Deno.test("sending, asking or stopping an unknown name throws an ActorError that names it and the running actors", () => {
  const system = new ActorSystem();
  system.spawn("ping", function* () {
    while (true) yield;
  });
  for (
    const call of [
      () => system.send("pnog", 1),
      () => system.ask("pnog", 1),
      () => system.stop("pnog"),
    ]
  ) {
    assert.throws(call, (error: unknown) => {
      assert.ok(error instanceof ActorError);
      assert.equal(error.actor, "pnog");
      assert.match(error.message, /no actor named "pnog"/);
      assert.match(error.message, /"ping"/);
      return true;
    });
  }
});

Deno.test("arguments are checked, with messages that say what to do", () => {
  const system = new ActorSystem();
  assert.throws(
    () => system.spawn("x", (() => {}) as never),
    {
      name: "TypeError",
      message: /Cannot spawn actor "x": expected a generator function/,
    },
  );
  assert.throws(
    () => system.spawn("", function* () {}),
    { name: "TypeError", message: /non-empty name/ },
  );
  assert.throws(
    () => actor((function* () {}) as () => ActorGenerator),
    {
      name: "TypeError",
      message: /its generator function has no name.*; name it/,
    },
  );
  assert.throws(
    () =>
      system.spawn(
        { name: "x", restart: "sometimes" as "always" },
        function* () {},
      ),
    { name: "TypeError", message: /"never" or "always"/ },
  );
  assert.throws(
    () =>
      system.spawn(
        { name: "x", restart: "always", maxRestarts: Infinity },
        function* () {},
      ),
    { name: "RangeError", message: /restarted forever/ },
  );
  assert.throws(() => system.run({ maxMessages: -1 }), RangeError);
  assert.throws(() => system.run({ maxMessages: 1.5 }), RangeError);
  assert.throws(() => new ActorSystem({ batchSize: 0 }), RangeError);
  assert.throws(
    () => new ActorSystem({ onError: "log" as never }),
    TypeError,
  );
  system.spawn("sink", function* () {
    while (true) yield;
  });
  assert.throws(() => system.ask("sink", 1, { timeout: -5 }), RangeError);
  assert.throws(
    () => system.spawnWorker("w", { module: "./relative.ts", export: "x" }),
    {
      name: "TypeError",
      message:
        /must be an absolute URL.*new URL\("\.\/relative\.ts", import\.meta\.url\)/,
    },
  );
  assert.throws(
    () => system.spawnWorker("w", { module: fixtures, export: "" as "echo" }),
    { name: "TypeError", message: /spec\.export/ },
  );
});

// ---------------------------------------------------------------------------
// Stopping, dead letters

Deno.test("an actor that returns stops, and later messages are kept as dead letters", () => {
  const system = new ActorSystem();
  const got: number[] = [];
  const ref = system.spawn("twice", function* (): ActorGenerator<number> {
    got.push(yield);
    got.push(yield);
  });
  for (let i = 1; i <= 4; i++) system.send("twice", i);
  assert.equal(system.run(), 2);
  assert.deepEqual(got, [1, 2]);
  assert.equal(ref.stopped, true);
  assert.equal(system.has("twice"), false);
  system.send("twice", 5);
  assert.deepEqual(system.deadLetters, [
    { name: "twice", message: 3 },
    { name: "twice", message: 4 },
    { name: "twice", message: 5 },
  ]);
});

Deno.test("an actor that returns before its first yield is registered as stopped", () => {
  const system = new ActorSystem();
  const ref = system.spawn("done", function* () {});
  assert.equal(ref.stopped, true);
  system.send("done", "late");
  assert.deepEqual(system.deadLetters, [{ name: "done", message: "late" }]);
});

Deno.test("stop(name) closes the generator so its finally blocks run, at once", async () => {
  const system = new ActorSystem();
  const log: string[] = [];
  system.spawn("conn", function* (): ActorGenerator<string> {
    try {
      while (true) log.push(yield);
    } finally {
      log.push("closed");
    }
  });
  system.send("conn", "a");
  system.run();
  const stopped = system.stop("conn");
  assert.deepEqual(log, ["a", "closed"], "closed before stop() returns");
  await stopped;
  await system.stop("conn"); // stopping twice is harmless
  assert.deepEqual(log, ["a", "closed"]);
});

Deno.test("an actor that stops itself from its handler is closed when the handler yields", () => {
  const system = new ActorSystem();
  const log: string[] = [];
  system.spawn("quitter", function* (): ActorGenerator<string> {
    try {
      while (true) {
        const msg = yield;
        if (msg === "quit") {
          void system.stop("quitter");
          log.push("after stop()");
        } else log.push(msg);
      }
    } finally {
      log.push("finally");
    }
  });
  for (const m of ["a", "quit", "b"]) system.send("quitter", m);
  assert.equal(system.run(), 2);
  assert.deepEqual(log, ["a", "after stop()", "finally"]);
  assert.deepEqual(system.deadLetters, [{ name: "quitter", message: "b" }]);
});

Deno.test("errors thrown or yields made while stopping are reported, and the actor still stops", async () => {
  const log = errorLog();
  const system = new ActorSystem({ onError: log.onError });
  system.spawn("bad-finally", function* () {
    try {
      while (true) yield;
    } finally {
      // deno-lint-ignore no-unsafe-finally
      throw new SyntaxError("cleanup failed");
    }
  });
  system.spawn("waits-in-finally", function* () {
    try {
      while (true) yield;
    } finally {
      yield;
    }
  });
  await system.stop("bad-finally");
  await system.stop("waits-in-finally");
  assert.equal(system.has("bad-finally"), false);
  assert.equal(system.has("waits-in-finally"), false);
  assert.equal(log.errors.length, 2);
  assert.equal((log.errors[0].error as Error).message, "cleanup failed");
  assert.deepEqual(log.errors[0].info, {
    name: "bad-finally",
    message: undefined,
    restarting: false,
  });
  assert.match(
    (log.errors[1].error as Error).message,
    /yielded in a finally block while stopping/,
  );
});

Deno.test("an actor that yields in a finally block while stopping is finished, so its outer finally blocks run", async () => {
  const log = errorLog();
  const system = new ActorSystem({ onError: log.onError });
  const ran: string[] = [];
  system.spawn("yields-in-finally", function* () {
    try {
      try {
        while (true) yield;
      } finally {
        ran.push("inner finally");
        yield;
        ran.push("after the yield");
      }
    } finally {
      ran.push("outer finally");
    }
  });
  await system.stop("yields-in-finally");
  assert.deepEqual(ran, ["inner finally", "outer finally"]);
  assert.equal(log.errors.length, 1);
  assert.match(
    (log.errors[0].error as Error).message,
    /yielded in a finally block while stopping.*it was returned from at that yield, so the rest of that finally block did not run/,
  );
});

Deno.test("stop() stops every actor and turns queued messages into dead letters, failing their questions", async () => {
  const system = new ActorSystem();
  const closed: string[] = [];
  for (const name of ["a", "b"]) {
    system.spawn(name, function* () {
      try {
        while (true) yield;
      } finally {
        closed.push(name);
      }
    });
  }
  system.send("a", 1);
  const question = system.ask("b", 2);
  await system.stop();
  assert.deepEqual(closed, ["a", "b"]);
  assert.deepEqual(system.deadLetters, [
    { name: "a", message: 1 },
    { name: "b", message: 2 },
  ]);
  await assert.rejects(Promise.resolve(question), {
    name: "ActorError",
    message: /the system was stopped before it was delivered/,
  });
  system.send("a", 3);
  assert.equal(system.deadLetters.length, 3);
});

Deno.test("`await using` stops the system", async () => {
  let closed = false;
  {
    await using system = new ActorSystem();
    system.spawn("res", function* () {
      try {
        while (true) yield;
      } finally {
        closed = true;
      }
    });
  }
  assert.equal(closed, true);
});

// ---------------------------------------------------------------------------
// Failures and restarts

Deno.test("an actor that throws is stopped, its error goes to onError, and the others go on", () => {
  const log = errorLog();
  const system = new ActorSystem({ onError: log.onError });
  const got: string[] = [];
  system.spawn("fragile", function* (): ActorGenerator<string> {
    while (true) {
      const msg = yield;
      if (msg === "boom") throw new RangeError("boom");
      got.push(`fragile:${msg}`);
    }
  });
  system.spawn("steady", function* (): ActorGenerator<string> {
    while (true) got.push(`steady:${yield}`);
  });
  for (
    const [to, msg] of [
      ["fragile", "a"],
      ["fragile", "boom"],
      ["steady", "b"],
      ["fragile", "c"],
    ]
  ) {
    system.send(to, msg);
  }
  assert.equal(system.run(), 3);
  assert.deepEqual(got, ["fragile:a", "steady:b"]);
  assert.equal(log.errors.length, 1);
  assert.ok(log.errors[0].error instanceof RangeError);
  assert.deepEqual(log.errors[0].info, {
    name: "fragile",
    message: "boom",
    restarting: false,
  });
  assert.deepEqual(system.deadLetters, [{ name: "fragile", message: "c" }]);
});

Deno.test("by default an actor's error is reported like an uncaught error, as an ActorError naming the actor", async () => {
  const system = new ActorSystem();
  const [error] = await captureReportedErrors(() => {
    system.spawn("loud", function* (): ActorGenerator<number> {
      yield;
      throw new TypeError("bad input");
    });
    system.send("loud", 42);
    system.run();
  });
  assert.ok(error instanceof ActorError);
  assert.equal(error.actor, "loud");
  assert.match(error.message, /Actor "loud" failed while handling 42/);
  assert.ok(error.cause instanceof TypeError);
});

Deno.test("an error thrown by onError itself is reported, and delivery goes on", async () => {
  const system = new ActorSystem({
    onError: () => {
      throw new Error("onError broke");
    },
  });
  const got: number[] = [];
  const reported = await captureReportedErrors(() => {
    system.spawn("bad", function* () {
      yield;
      throw new Error("first");
    });
    system.spawn("good", function* (): ActorGenerator<number> {
      while (true) got.push(yield);
    });
    system.send("bad", 0);
    system.send("good", 1);
    assert.equal(system.run(), 2);
  });
  assert.deepEqual(got, [1]);
  assert.deepEqual(reported.map((e) => (e as Error).message), [
    "onError broke",
  ]);
});

Deno.test('restart: "always" makes the actor again from its function and arguments', () => {
  const log = errorLog();
  const system = new ActorSystem({ onError: log.onError });
  const got: string[] = [];
  let starts = 0;
  function* counter(base: number): ActorGenerator<string> {
    starts++;
    let count = base;
    while (true) {
      const msg = yield;
      if (msg === "boom") throw new Error("boom");
      got.push(`${msg}:${++count}`);
    }
  }
  const ref = system.spawn({ name: "c", restart: "always" }, counter, 100);
  for (const m of ["a", "b", "boom", "c"]) system.send("c", m);
  system.run();
  assert.deepEqual(got, ["a:101", "b:102", "c:101"], "state starts afresh");
  assert.equal(starts, 2);
  assert.equal(ref.stopped, false);
  assert.deepEqual(log.errors.map((e) => e.info), [
    { name: "c", message: "boom", restarting: true },
  ]);
});

Deno.test("restarts stop at maxRestarts, and then the actor stays stopped", () => {
  const log = errorLog();
  const system = new ActorSystem({ onError: log.onError });
  const crasher = system.actor(
    function* crasher(): ActorGenerator<number> {
      while (true) {
        yield;
        throw new Error("again");
      }
    },
    { restart: "always", maxRestarts: 2 },
  );
  const ref = crasher();
  for (let i = 0; i < 5; i++) system.send("crasher", i);
  assert.equal(system.run(), 3);
  assert.deepEqual(log.errors.map((e) => e.info.restarting), [
    true,
    true,
    false,
  ]);
  assert.equal(ref.stopped, true);
  assert.deepEqual(system.deadLetters.map((d) => d.message), [3, 4]);
});

Deno.test("an actor that fails as it restarts counts against its limit and does not loop forever", () => {
  const log = errorLog();
  const system = new ActorSystem({ onError: log.onError });
  let starts = 0;
  system.spawn(
    { name: "flaky-start", restart: "always", maxRestarts: 3 },
    function* (): ActorGenerator<number> {
      if (starts++ > 0) throw new Error(`start ${starts}`);
      yield;
      throw new Error("first crash");
    },
  );
  system.send("flaky-start", 1);
  system.run();
  assert.equal(starts, 4);
  assert.deepEqual(
    log.errors.map((
      e,
    ) => [(e.error as Error).message, e.info.message, e.info.restarting]),
    [
      ["first crash", 1, true],
      ["start 2", undefined, true],
      ["start 3", undefined, true],
      ["start 4", undefined, false],
    ],
  );
  assert.equal(system.has("flaky-start"), false);
});

Deno.test("restarts are counted within restartWindow: old ones stop counting", () => {
  const clock = FakeTimers.install({ toFake: ["performance"] });
  try {
    const log = errorLog();
    const system = new ActorSystem({ onError: log.onError });
    system.spawn(
      { name: "w", restart: "always", maxRestarts: 1, restartWindow: 1000 },
      function* () {
        while (true) {
          yield;
          throw new Error("crash");
        }
      },
    );
    system.send("w", 1);
    system.run();
    clock.tick(1500);
    system.send("w", 2);
    system.run();
    assert.equal(system.has("w"), true, "the first restart has aged out");
    clock.tick(10);
    system.send("w", 3);
    system.run();
    assert.equal(system.has("w"), false, "two restarts within the window");
    assert.deepEqual(log.errors.map((e) => e.info.restarting), [
      true,
      true,
      false,
    ]);
  } finally {
    clock.uninstall();
  }
});

Deno.test("an actor that yields a value gets a TypeError at that yield, with a hint for futures", () => {
  const log = errorLog();
  const system = new ActorSystem({ onError: log.onError });
  const caught: string[] = [];
  system.spawn("forgiving", function* () {
    try {
      // deno-lint-ignore no-explicit-any
      yield "not allowed" as any;
    } catch (error) {
      caught.push((error as Error).message);
    }
    while (true) yield;
  });
  assert.match(
    caught[0],
    /Cannot yield "not allowed" \(a string\) in actor "forgiving"/,
  );
  assert.equal(system.has("forgiving"), true);
  const closed: string[] = [];
  assert.throws(
    () =>
      system.spawn("stubborn", function* () {
        try {
          while (true) {
            try {
              // deno-lint-ignore no-explicit-any
              yield 1 as any;
            } catch {
              // Ignores the TypeError, and yields a value again.
            }
          }
        } finally {
          closed.push("finally");
        }
      }),
    {
      name: "TypeError",
      message: /yielded 1 \(a number\) again after the TypeError/,
    },
  );
  assert.deepEqual(closed, ["finally"]);
  assert.equal(system.has("stubborn"), false);
  system.spawn("waits", function* () {
    yield;
    // deno-lint-ignore no-explicit-any
    yield* new Future<number>() as any;
  });
  system.send("waits", 1);
  system.run();
  assert.equal(log.errors.length, 1);
  assert.match(
    (log.errors[0].error as Error).message,
    /Cannot yield a Future in actor "waits": .*start a task/,
  );
});

Deno.test("run() from inside a handler of the same system is an error", () => {
  const log = errorLog();
  const system = new ActorSystem({ onError: log.onError });
  system.spawn("reentrant", function* () {
    yield;
    system.run();
  });
  system.send("reentrant", 1);
  system.run();
  assert.equal((log.errors[0].error as Error).name, "InvalidStateError");
  assert.match((log.errors[0].error as Error).message, /handlers only send/);
});

// ---------------------------------------------------------------------------
// ask and reply

Deno.test("ask() returns a future of what the actor passes to reply()", () => {
  const system = new ActorSystem();
  system.spawn("adder", function* (): ActorGenerator<[number, number]> {
    while (true) {
      const [a, b] = yield;
      reply(a + b);
    }
  });
  const sum = system.ask<number>("adder", [2, 3]);
  assert.equal(sum.done(), false);
  system.run();
  assert.equal(sum.result(), 5);
});

Deno.test("reply() returns false for a plain message, and throws outside a handler or when called twice", () => {
  const log = errorLog();
  const system = new ActorSystem({ onError: log.onError });
  const results: boolean[] = [];
  system.spawn("r", function* () {
    while (true) {
      const twice = yield;
      results.push(reply(1));
      if (twice) reply(2);
    }
  });
  system.send("r", false);
  const answer = system.ask("r", true);
  system.run();
  assert.deepEqual(results, [false, true]);
  assert.equal(answer.result(), 1, "the first reply counts");
  assert.match(
    (log.errors[0].error as Error).message,
    /already replied to this message/,
  );
  assert.throws(() => reply(3), {
    name: "InvalidStateError",
    message: /outside an actor's handler/,
  });
});

Deno.test("a question the actor takes its next message without answering fails with an ActorError that says so", async () => {
  const system = new ActorSystem();
  system.spawn("mute", function* () {
    while (true) yield;
  });
  system.spawn("one-shot", function* () {
    yield;
  });
  const unanswered = system.ask("mute", "hello?");
  const returned = system.ask("one-shot", "hello?");
  system.run();
  await assert.rejects(Promise.resolve(unanswered), {
    name: "ActorError",
    message: /took its next message without calling reply\(\)/,
  });
  await assert.rejects(Promise.resolve(returned), {
    name: "ActorError",
    message: /returned without calling reply\(\)/,
  });
});

Deno.test("a question to an actor that fails while handling it fails with the cause", async () => {
  const system = new ActorSystem({ onError: () => {} });
  system.spawn("thrower", function* () {
    yield;
    throw new URIError("malformed");
  });
  const answer = system.ask("thrower", "q");
  system.run();
  await assert.rejects(Promise.resolve(answer), (error: unknown) => {
    assert.ok(error instanceof ActorError);
    assert.match(error.message, /failed while handling it/);
    assert.ok(error.cause instanceof URIError);
    return true;
  });
});

Deno.test("a question to a stopped actor fails at once and is kept as a dead letter", async () => {
  const system = new ActorSystem();
  system.spawn("gone", function* () {});
  const answer = system.ask("gone", "anyone?");
  assert.equal(answer.done(), true);
  await assert.rejects(Promise.resolve(answer), {
    name: "ActorError",
    message: /has stopped; the message is in deadLetters/,
  });
  assert.deepEqual(system.deadLetters, [{ name: "gone", message: "anyone?" }]);
});

Deno.test("ask({ timeout }) fails with a TimeoutError when no reply comes in time", async () => {
  const clock = FakeTimers.install({ toFake: ["setTimeout", "clearTimeout"] });
  try {
    const system = new ActorSystem();
    system.spawn("slow", function* () {
      while (true) yield;
    });
    const answer = system.ask("slow", "ping", { timeout: 100 });
    clock.tick(99);
    assert.equal(answer.done(), false);
    clock.tick(1);
    await assert.rejects(Promise.resolve(answer), (error: unknown) => {
      assert.ok(error instanceof TimeoutError);
      assert.match(
        error.message,
        /Cannot get a reply to "ping" \(a string\) from actor "slow": none came within 100 ms/,
      );
      return true;
    });
    assert.equal(clock.countTimers(), 0);
  } finally {
    clock.uninstall();
  }
});

Deno.test("an ask answered, cancelled or failed before its timeout leaves no timer behind", () => {
  const clock = FakeTimers.install({ toFake: ["setTimeout", "clearTimeout"] });
  try {
    const system = new ActorSystem();
    system.spawn("quick", function* () {
      while (true) reply((yield) as number * 2);
    });
    const answered = system.ask("quick", 21, { timeout: 60_000 });
    const cancelled = system.ask("quick", 1, { timeout: 60_000 });
    assert.equal(clock.countTimers(), 2);
    cancelled.cancel();
    system.run();
    assert.equal(answered.result(), 42);
    assert.equal(clock.countTimers(), 0);
  } finally {
    clock.uninstall();
  }
});

// ---------------------------------------------------------------------------
// Automatic mode

Deno.test("start() delivers messages as they arrive, and tasks can yield* system.ask()", async () => {
  await using system = new ActorSystem();
  system.spawn("doubler", function* (): ActorGenerator<number> {
    while (true) reply(2 * (yield));
  });
  system.start();
  const results = await runInlineFuture((function* () {
    const out: number[] = [];
    for (let i = 0; i < 100; i++) {
      out.push(yield* system.ask<number>("doubler", i));
    }
    return out;
  })());
  assert.deepEqual(results, Array.from({ length: 100 }, (_, i) => 2 * i));
});

Deno.test("a question asked of a system that nobody runs is answered: the system starts by itself", async () => {
  const script = new URL("./fixtures/actor_forgotten_run.ts", import.meta.url);
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script.href],
    stdout: "piped",
    stderr: "piped",
    // Only a guard against a hang.
    signal: AbortSignal.timeout(60_000),
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, stderr);
  assert.equal(
    new TextDecoder().decode(output.stdout).trim(),
    "hello, world; hello, task",
  );
});

Deno.test("a question that run() delivers in the same synchronous work leaves the system manual", async () => {
  const system = new ActorSystem();
  system.spawn("echo", function* () {
    while (true) reply(yield);
  });
  const answer = system.ask("echo", 1);
  assert.equal(system.run(), 1);
  assert.equal(await answer, 1);
  await sleep(0);
  system.send("echo", 2);
  await sleep(0);
  assert.equal(system.pending, 1, "nothing delivers it but run()");
  assert.equal(system.run(), 1);
  // A cancelled question leaves nobody waiting: the system stays manual.
  system.ask("echo", 3).cancel();
  await sleep(0);
  assert.equal(system.pending, 1);
  assert.equal(system.run(), 1);
});

Deno.test("an endless exchange in automatic mode leaves the event loop its turn", async () => {
  await using system = new ActorSystem();
  let exchanged = 0;
  system.spawn("ping", function* (): ActorGenerator<number> {
    while (true) {
      exchanged++;
      system.send("pong", (yield) + 1);
    }
  });
  system.spawn("pong", function* (): ActorGenerator<number> {
    while (true) {
      exchanged++;
      system.send("ping", (yield) + 1);
    }
  });
  system.start();
  system.send("ping", 0);
  // Timers fire while the game goes on, and the game goes on after them.
  await sleep(30);
  const seen = exchanged;
  assert.ok(seen > 0);
  await sleep(30);
  assert.ok(exchanged > seen);
  await system.stop();
  const final = exchanged;
  await sleep(5);
  assert.equal(exchanged, final, "stop() ends the automatic mode");
});

Deno.test("batchSize bounds how many messages are delivered before woken tasks run", async () => {
  for (
    const [batchSize, expected] of [[1, "task,m1,m2,m3"], [
      1024,
      "m1,m2,m3,task",
    ]] as const
  ) {
    await using system = new ActorSystem({ batchSize });
    const order: string[] = [];
    system.spawn("answerer", function* () {
      while (true) {
        yield;
        reply("yes");
      }
    });
    system.spawn("log", function* (): ActorGenerator<string> {
      while (true) order.push(yield);
    });
    const question = system.ask("answerer", "?");
    for (const m of ["m1", "m2", "m3"]) system.send("log", m);
    const task = runInlineFuture((function* () {
      yield* question;
      order.push("task");
    })());
    system.start();
    await task;
    await until("all are delivered", () => order.length === 4);
    assert.equal(order.join(","), expected);
  }
});

Deno.test("inside a handler the module-level functions act on the system delivering the message", () => {
  const system = new ActorSystem();
  const got: string[] = [];
  system.spawn("a", function* (): ActorGenerator<string> {
    while (true) send("b", `${yield} via a`); // the module-level send
  });
  system.spawn("b", function* (): ActorGenerator<string> {
    while (true) got.push(yield);
  });
  system.send("a", "hi");
  system.run();
  assert.deepEqual(got, ["hi via a"]);
  assert.equal(defaultSystem.has("a"), false);
});

Deno.test("the module-level functions use the default system", async () => {
  spawn("default-echo", function* () {
    while (true) reply(yield);
  });
  const answer = ask("default-echo", "x");
  assert.equal(defaultSystem.pending, 1);
  run();
  assert.equal(answer.result(), "x");
  await stop("default-echo");
  assert.equal(defaultSystem.has("default-echo"), false);
});

// ---------------------------------------------------------------------------
// Types

Deno.test("handles and spawn() are typed by the actor function", async () => {
  const system = new ActorSystem();
  function* numbers(scale: number): ActorGenerator<number> {
    while (true) reply((yield) * scale);
  }
  const ref = system.spawn("n", numbers, 2);
  ref.send(1);
  // @ts-expect-error: the actor takes numbers
  ref.send("one");
  // @ts-expect-error: numbers() takes a number
  const badArgs = () => system.spawn("n2", numbers, "two");
  void badArgs;
  function* yieldsNumbers() {
    yield 5;
  }
  // @ts-expect-error: an actor yields nothing
  const yielding = () => system.spawn("y", yieldsNumbers);
  void yielding;
  const answer: Future<number> = ref.ask<number>(21);
  system.run();
  assert.equal(answer.result(), 42);
  // Worker actors are checked against the module's exports.
  const typed = () => {
    system.spawnWorker("w", { module: fixtures, export: "fragile" }, 1);
    // @ts-expect-error: fragile() takes a number
    system.spawnWorker("w", { module: fixtures, export: "fragile" }, "1");
    // @ts-expect-error: no such export
    system.spawnWorker("w", { module: fixtures, export: "missing" });
    // @ts-expect-error: not an actor function
    system.spawnWorker("w", { module: fixtures, export: "notAnActor" });
    const f = system.spawnWorker(
      "w",
      { module: fixtures, export: "fragile" },
      0,
    );
    // @ts-expect-error: fragile takes strings
    f.send(1);
  };
  void typed;
  await system.stop();
});

// ---------------------------------------------------------------------------
// Actors in Workers

Deno.test("a Worker actor answers questions and takes messages sent before its Worker is up", async () => {
  const log = errorLog();
  await using system = new ActorSystem({ onError: log.onError });
  const echo = system.spawnWorker("echo", { module: fixtures, export: "echo" });
  const answers = [echo.ask("one"), system.ask("echo", { two: [2] })];
  assert.deepEqual(await Promise.all(answers), ["one", { two: [2] }]);
  assert.deepEqual(log.errors, []);
});

Deno.test("messages to a Worker actor arrive complete and in order", async () => {
  await using system = new ActorSystem({ onError: () => {} });
  const seq = system.spawnWorker("seq", {
    module: fixtures,
    export: "sequence",
  });
  const count = 200_000;
  for (let i = 0; i < count; i++) seq.send(i);
  assert.deepEqual(await seq.ask("report"), { count, outOfOrder: 0 });
});

Deno.test("a Worker actor's sends reach actors of the main system, in order", async () => {
  await using system = new ActorSystem({ onError: () => {} });
  const got: string[] = [];
  const all = new Future<void>();
  system.spawn("inbox", function* (): ActorGenerator<string> {
    while (true) {
      got.push(yield);
      if (got.length === 1000) all.setResult(undefined);
    }
  });
  system.start();
  const fwd = system.spawnWorker(
    "fwd",
    { module: fixtures, export: "forward" },
    "inbox",
    "w:",
  );
  for (let i = 0; i < 1000; i++) fwd.send(i);
  await all;
  assert.deepEqual(got, Array.from({ length: 1000 }, (_, i) => `w:${i}`));
});

Deno.test("a Worker actor can ask actors of the main system", async () => {
  await using system = new ActorSystem({ onError: () => {} });
  const results: unknown[] = [];
  const both = new Future<void>();
  system.spawn("main-doubler", function* (): ActorGenerator<number> {
    while (true) reply(2 * (yield));
  });
  system.spawn("results", function* () {
    while (true) {
      results.push(yield);
      if (results.length === 2) both.setResult(undefined);
    }
  });
  system.start();
  const asker = system.spawnWorker(
    "asker",
    { module: fixtures, export: "askAround" },
    "main-doubler",
    "results",
  );
  asker.send(20);
  asker.send(1);
  await both;
  assert.deepEqual(results, [40, 2]);
});

Deno.test("a ping-pong between the main thread and a Worker actor", async () => {
  await using system = new ActorSystem({ onError: () => {} });
  const done = new Future<number>();
  system.spawn("ping", function* (): ActorGenerator<number> {
    while (true) {
      const n = yield;
      if (n >= 1000) done.setResult(n);
      else system.send("pong", n + 1);
    }
  });
  const mod = actorModule<typeof import("../examples/actors.ts")>(
    new URL("../examples/actors.ts", import.meta.url),
  );
  system.spawnWorker("pong", { module: mod, export: "pong" });
  system.start();
  system.send("ping", 0);
  assert.equal(await done, 1000);
});

Deno.test("a Worker actor that throws is reported with its error's name, message, stack and fields", async () => {
  const log = errorLog();
  await using system = new ActorSystem({ onError: log.onError });
  const fragile = system.spawnWorker(
    "fragile",
    { module: fixtures, export: "fragile" },
    10,
  );
  assert.equal(await fragile.ask("x"), 11);
  const failed = fragile.ask("boom");
  await assert.rejects(Promise.resolve(failed), (error: unknown) => {
    assert.equal((error as Error).name, "ActorError");
    assert.match((error as Error).message, /failed while handling it/);
    assert.equal(((error as Error).cause as Error).name, "RangeError");
    return true;
  });
  await log.until(1);
  const { error, info } = log.errors[0];
  assert.ok(error instanceof RangeError);
  assert.equal(error.message, "boom after 11");
  assert.match(error.stack!, /_actor_fixtures\.ts/);
  assert.equal((error as RangeError & { code: string }).code, "E_BOOM");
  assert.deepEqual(info, {
    name: "fragile",
    message: "boom",
    restarting: false,
  });
  await until("the actor is stopped", () => fragile.stopped);
  fragile.send("after");
  assert.deepEqual(system.deadLetters.at(-1), {
    name: "fragile",
    message: "after",
  });
});

Deno.test('a Worker actor with restart: "always" is restarted inside its Worker', async () => {
  const log = errorLog();
  await using system = new ActorSystem({ onError: log.onError });
  const fragile = system.spawnWorker(
    { name: "phoenix", restart: "always", maxRestarts: 5 },
    { module: fixtures, export: "fragile" },
    0,
  );
  assert.equal(await fragile.ask("a"), 1);
  fragile.send("boom");
  assert.equal(await fragile.ask("b"), 1, "made again from its arguments");
  assert.equal(log.errors.length, 1);
  assert.equal(log.errors[0].info.restarting, true);
  assert.equal(fragile.stopped, false);
});

Deno.test("stopping a Worker actor runs its finally blocks in the Worker first", async () => {
  await using system = new ActorSystem({ onError: () => {} });
  const heard = new Future<string>();
  system.spawn("listener", function* (): ActorGenerator<string> {
    while (true) {
      const msg = yield;
      if (!heard.done()) heard.setResult(msg);
    }
  });
  system.start();
  const guarded = system.spawnWorker(
    "guarded",
    { module: fixtures, export: "guarded" },
    "listener",
  );
  assert.equal(await guarded.ask("up?"), "up?");
  await guarded.stop();
  assert.equal(guarded.stopped, true);
  assert.equal(await heard, "finally ran");
});

Deno.test("a Worker actor that returns stops, and messages that were on their way come back as dead letters", async () => {
  await using system = new ActorSystem({ onError: () => {} });
  const once = system.spawnWorker("once", { module: fixtures, export: "once" });
  const first = once.ask("first");
  for (let i = 0; i < 5; i++) once.send(i);
  assert.equal(await first, "first");
  await until("the actor is stopped", () => once.stopped);
  await until(
    "the dead letters are back",
    () => system.deadLetters.length === 5,
  );
  assert.deepEqual(
    system.deadLetters,
    [0, 1, 2, 3, 4].map((message) => ({ name: "once", message })),
  );
});

Deno.test("a Worker actor that cannot start is reported, and its messages become dead letters", async () => {
  const log = errorLog();
  await using system = new ActorSystem({ onError: log.onError });
  const notActor = system.spawnWorker("not-actor", {
    module: fixtures,
    export: "notAnActor" as "echo",
  });
  const question = notActor.ask("hello?");
  await assert.rejects(Promise.resolve(question), { name: "ActorError" });
  await log.until(1);
  assert.match(
    (log.errors[0].error as Error).message,
    /the export "notAnActor" of .*_actor_fixtures\.ts is the function notAnActor, not a generator function; its generator function exports are "askAround", "echo", /,
  );
  const missing = system.spawnWorker("missing", {
    module: new URL("./no_such_module.ts", import.meta.url),
    export: "x",
  });
  await log.until(2);
  assert.match((log.errors[1].error as Error).message, /no_such_module\.ts/);
  await until("both have stopped", () => missing.stopped && notActor.stopped);
  assert.ok(system.deadLetters.some((d) => d.message === "hello?"));
});

Deno.test("a Worker actor stopped before its Worker is up still closes, and what was sent is answered or kept", async () => {
  const system = new ActorSystem({ onError: () => {} });
  const echo = system.spawnWorker("early", {
    module: fixtures,
    export: "echo",
  });
  const answer = echo.ask("a");
  await system.stop();
  assert.equal(echo.stopped, true);
  assert.equal(answer.done(), true);
  if (answer.exception() === undefined) assert.equal(answer.result(), "a");
  else assert.deepEqual(system.deadLetters, [{ name: "early", message: "a" }]);
  echo.send("late");
  assert.deepEqual(system.deadLetters.at(-1), {
    name: "early",
    message: "late",
  });
});

Deno.test("a Worker actor stuck in a loop is terminated after stopTimeout, and that is reported", async () => {
  const log = errorLog();
  const system = new ActorSystem({ onError: log.onError, stopTimeout: 200 });
  const stubborn = system.spawnWorker("stubborn", {
    module: fixtures,
    export: "stubborn",
  });
  assert.equal(await stubborn.ask("ok"), "ok");
  const hanging = stubborn.ask("hang");
  await system.stop();
  await assert.rejects(Promise.resolve(hanging), {
    name: "ActorError",
    message: /stopped before it replied/,
  });
  assert.equal(log.errors.length, 1);
  assert.match(
    (log.errors[0].error as Error).message,
    /did not stop within 200 ms.*terminated without running its finally blocks/,
  );
});

Deno.test("a Worker actor stuck in a loop that the system stopped is gone: its thread burns no CPU and the process exits", async () => {
  const script = new URL("./fixtures/actor_stuck_stop.ts", import.meta.url);
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script.href],
    stdout: "piped",
    stderr: "piped",
    // Only a guard: a thread left spinning would keep the process alive.
    signal: AbortSignal.timeout(60_000),
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.signal, null, `killed by the guard: ${stderr}`);
  assert.equal(output.code, 0, stderr);
  assert.equal(
    new TextDecoder().decode(output.stdout).trim(),
    "up: up?\nstopped: true; reports: 1\nquestion: true\ncpu: true",
  );
});

Deno.test("a Worker actor whose Worker calls Deno.exit() fails its questions, is reported and stopped", async () => {
  const log = errorLog();
  await using system = new ActorSystem({ onError: log.onError });
  const exits = system.spawnWorker("exits", {
    module: fixtures,
    export: "exits",
  });
  assert.equal(await exits.ask("up?"), "up?");
  // The timeout only bounds the test if the exit went unnoticed.
  const question = exits.ask(["exit", 3], { timeout: 30_000 });
  await assert.rejects(Promise.resolve(question), {
    name: "ActorError",
    message:
      /Cannot get a reply from actor "exits": its Worker exited \(exit code 3\) before it replied/,
  });
  await log.until(1);
  assert.match(
    (log.errors[0].error as Error).message,
    /Actor "exits" stopped: its Worker exited \(exit code 3\) without being stopped, so what was on its way to it is lost; stop a Worker actor with stop\(\)/,
  );
  assert.deepEqual(log.errors[0].info, {
    name: "exits",
    message: undefined,
    restarting: false,
  });
  assert.equal(exits.stopped, true);
  exits.send("late");
  assert.deepEqual(system.deadLetters, [{ name: "exits", message: "late" }]);
  await exits.stop();
  assert.equal(log.errors.length, 1, "stop() has nothing left to wait for");
});

Deno.test('a Worker actor whose Worker calls close() is restarted in a new Worker under restart: "always"', async () => {
  const log = errorLog();
  await using system = new ActorSystem({ onError: log.onError });
  const exits = system.spawnWorker(
    { name: "phoenix", restart: "always", maxRestarts: 1 },
    { module: fixtures, export: "exits" },
  );
  assert.equal(await exits.ask("up?"), "up?");
  await assert.rejects(
    Promise.resolve(exits.ask("close", { timeout: 30_000 })),
    { message: /its Worker exited \(exit code 0\) before it replied/ },
  );
  await log.until(1);
  assert.equal(log.errors[0].info.restarting, true);
  assert.match(
    (log.errors[0].error as Error).message,
    /Actor "phoenix" restarted in a new Worker, as its restart policy says: its Worker exited \(exit code 0\) without being stopped/,
  );
  assert.equal(exits.stopped, false);
  assert.equal(await exits.ask("again?"), "again?", "answered by a new Worker");
  // The second exit is one more than maxRestarts allows.
  await assert.rejects(Promise.resolve(exits.ask(["exit", 1])), {
    message: /exit code 1/,
  });
  await log.until(2);
  assert.equal(log.errors[1].info.restarting, false);
  assert.equal(exits.stopped, true);
});

Deno.test("a question to a Worker actor that fails or times out, and that nobody observes, is reported once", async () => {
  const log = errorLog();
  await using system = new ActorSystem({ onError: log.onError });
  const fragile = system.spawnWorker(
    "fragile",
    { module: fixtures, export: "fragile" },
    0,
  );
  const spins = system.spawnWorker("spins", {
    module: fixtures,
    export: "spinsFor",
  });
  let failed: Future<unknown> | undefined;
  const failures = await captureUnhandled(async () => {
    failed = fragile.ask("boom");
    await log.until(1);
  });
  assert.equal(failures.length, 1);
  assert.equal(failures[0], failed!.exception());
  assert.match((failures[0] as Error).message, /failed while handling it/);

  let timedOut: Future<unknown> | undefined;
  const timeouts = await captureUnhandled(async () => {
    timedOut = spins.ask(500, { timeout: 10 });
    await until("the question has failed", () => timedOut!.done());
  });
  assert.equal(timeouts.length, 1);
  assert.equal(timeouts[0], timedOut!.exception());
});

Deno.test("a question a Worker actor asks, that fails and that nobody observes, is reported once and stops the actor", async () => {
  const log = errorLog();
  await using system = new ActorSystem({ onError: log.onError });
  const careless = system.spawnWorker(
    "careless",
    { module: fixtures, export: "unwatchedAsks" },
    "nobody-has-this-name",
  );
  careless.send("hi");
  await until("it is reported", () => log.errors.length > 0);
  await until("the actor is stopped", () => careless.stopped);
  assert.equal(log.errors.length, 1);
  assert.match(
    (log.errors[0].error as Error).message,
    /Cannot get a reply to "hi" \(a string\) from actor "nobody-has-this-name": no actor of this Worker or of the main system has that name/,
  );
  assert.deepEqual(log.errors[0].info, {
    name: "careless",
    message: undefined,
    restarting: false,
  });
});

Deno.test("an error thrown outside a Worker actor's generator is reported and stops the actor", async () => {
  const log = errorLog();
  await using system = new ActorSystem({ onError: log.onError });
  const later = system.spawnWorker("later", {
    module: fixtures,
    export: "throwsLater",
  });
  assert.equal(await later.ask("later"), "later");
  await log.until(1);
  assert.ok(log.errors[0].error instanceof EvalError);
  assert.equal(log.errors[0].info.name, "later");
  await until("the actor is stopped", () => later.stopped);
});

Deno.test("what cannot be copied to or from a Worker is reported or fails its question, never lost", async () => {
  const log = errorLog();
  await using system = new ActorSystem({ onError: log.onError });
  const echo = system.spawnWorker("echo2", {
    module: fixtures,
    export: "echo",
  });
  const fn = () => 1;
  echo.send(fn);
  const question = echo.ask(Symbol("not clonable"));
  const fine = echo.ask("fine");
  await assert.rejects(Promise.resolve(question), {
    name: "TypeError",
    message: /structured clone refused it/,
  });
  assert.equal(await fine, "fine", "the rest of the batch went through");
  assert.equal(log.errors.length, 1);
  assert.equal(log.errors[0].info.message, fn);
  assert.equal(system.deadLetters[0].message, fn);

  const bad = system.spawnWorker("bad-reply", {
    module: fixtures,
    export: "unclonableReply",
  });
  await assert.rejects(Promise.resolve(bad.ask("x")), {
    name: "TypeError",
    message: /structured clone refused it/,
  });

  assert.throws(
    () =>
      system.spawnWorker(
        "bad-args",
        { module: fixtures, export: "forward" },
        "x",
        (() => "y") as unknown as string,
      ),
    {
      name: "TypeError",
      message: /its arguments cannot be copied to a Worker/,
    },
  );
  assert.equal(system.has("bad-args"), false);
});

Deno.test("a Worker actor's message to an unknown name is reported and kept as a dead letter", async () => {
  const log = errorLog();
  await using system = new ActorSystem({ onError: log.onError });
  const lost = system.spawnWorker("lost", { module: fixtures, export: "lost" });
  lost.send("hello");
  await log.until(1);
  assert.match(
    (log.errors[0].error as Error).message,
    /Cannot deliver "hello" \(a string\) from actor "lost" \(in a Worker\) to "nobody-has-this-name"/,
  );
  assert.deepEqual(system.deadLetters, [
    { name: "nobody-has-this-name", message: "hello" },
  ]);
});

Deno.test("a Worker actor's question to an unknown name fails and is kept as a dead letter", async () => {
  await using system = new ActorSystem({ onError: () => {} });
  const results: unknown[] = [];
  const got = new Future<void>();
  system.spawn("results", function* () {
    results.push(yield);
    got.setResult(undefined);
  });
  system.start();
  const asker = system.spawnWorker(
    "asker",
    { module: fixtures, export: "askAround" },
    "nobody-has-this-name",
    "results",
  );
  asker.send("anyone?");
  await got;
  assert.deepEqual(results, ["failed"]);
  assert.deepEqual(system.deadLetters, [
    { name: "nobody-has-this-name", message: "anyone?" },
  ]);
});

Deno.test("inside a Worker, send() and ask() to a name that is not a string throw a TypeError there", async () => {
  const log = errorLog();
  await using system = new ActorSystem({ onError: log.onError });
  const heard: unknown[] = [];
  system.spawn("sink", function* () {
    while (true) {
      heard.push(yield);
      reply("ok");
    }
  });
  system.start();
  const actor = system.spawnWorker("names-anything", {
    module: fixtures,
    export: "namesAnything",
  });
  const expected =
    "TypeError: Cannot send: expected the actor's name as a string, got 42 (a number)";
  assert.deepEqual(await actor.ask(42), [
    expected,
    expected.replace("send", "ask"),
  ]);
  assert.deepEqual(await actor.ask("sink"), ["no error", "no error"]);
  await until("both reached the sink", () => heard.length === 2);
  assert.deepEqual(system.deadLetters, []);
  assert.deepEqual(log.errors, []);
});

Deno.test("a Worker thread starts from a script at any URL, as when the package is imported from JSR", async () => {
  const remote = new URL(
    "https://jsr.io/@frontier/generators/0.1.0/_actor/worker.ts",
  );
  const wrapped = threadUrl(remote);
  assert.equal(wrapped.protocol, "data:");
  assert.equal(
    decodeURIComponent(
      wrapped.pathname.slice(wrapped.pathname.indexOf(",") + 1),
    ),
    `import ${JSON.stringify(remote.href)};`,
  );
  const local = new URL("./_actor_fixtures.ts", import.meta.url);
  assert.equal(threadUrl(local), local);

  // A script served over HTTP, as JSR serves the package's Worker script.
  const script = new URL("./fixtures/actor_thread_http.ts", import.meta.url);
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-lock", script.href],
    stdout: "piped",
    stderr: "piped",
    // Only a guard against a hang.
    signal: AbortSignal.timeout(60_000),
  }).output();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  assert.equal(new TextDecoder().decode(output.stdout).trim(), "echo: hi");
});

// ---------------------------------------------------------------------------
// The wire to a Worker

// A port that copies what is posted the way postMessage does, and keeps it.
class RecordingPort {
  posts: unknown[][] = [];
  postMessage(message: unknown): void {
    this.posts.push(structuredClone(message) as unknown[]);
  }
}

function recordingHandler() {
  const events: unknown[][] = [];
  const handler: LinkHandler = {
    onSend: (name, message) => events.push(["send", name, message]),
    onAsk: (name, message, id) => events.push(["ask", name, message, id]),
    onDead: (name, message) => events.push(["dead", name, message]),
    onUnsendable: (name, message, error, asked) =>
      events.push(["unsendable", name, message, (error as Error).name, asked]),
  };
  return { events, handler };
}

Deno.test("a burst of sends crosses in a few large batches, not one postMessage per message", async () => {
  const port = new RecordingPort();
  const link = new Link(port, recordingHandler().handler);
  link.send("a", 0);
  link.send("a", 1);
  assert.equal(
    port.posts.length,
    0,
    "posted at the end of the synchronous work",
  );
  await Promise.resolve();
  assert.deepEqual(
    port.posts,
    [[0, "a", 1, 0, 1, 1]],
    "the name is written once",
  );

  port.posts = [];
  const count = 100_000;
  for (let i = 0; i < count; i++) link.send("b", i);
  link.flush();
  assert.ok(
    port.posts.length <= count / 1000,
    `${port.posts.length} posts for ${count} messages`,
  );
  const { events, handler } = recordingHandler();
  const receiver = new Link(new RecordingPort(), handler);
  for (const batch of port.posts) receiver.receiveNow(batch);
  assert.deepEqual(
    events,
    Array.from({ length: count }, (_, i) => ["send", "b", i]),
  );
});

Deno.test("whatever is written to a link arrives on the other side, in order (property)", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.tuple(
          fc.constantFrom("send", "dead", "ask"),
          fc.constantFrom("a", "b", "c"),
          fc.jsonValue(),
        ),
        { maxLength: 60 },
      ),
      (writes) => {
        const port = new RecordingPort();
        const link = new Link(port, recordingHandler().handler);
        const pending: Future<unknown>[] = [];
        for (const [op, name, message] of writes) {
          if (op === "send") link.send(name, message);
          else if (op === "dead") link.dead(name, message);
          else {
            const future = askFuture(name, message, undefined);
            pending.push(future);
            link.ask(name, message, future);
          }
        }
        link.flush();
        const { events, handler } = recordingHandler();
        const receiver = new Link(new RecordingPort(), handler);
        for (const batch of port.posts) receiver.receiveNow(batch);
        let id = 0;
        assert.deepEqual(
          events,
          writes.map(([op, name, message]) =>
            op === "ask"
              ? ["ask", name, structuredClone(message), ++id]
              : [op, name, structuredClone(message)]
          ),
        );
        // Answers go back to the right questions.
        const backPort = new RecordingPort();
        const answering = new Link(backPort, recordingHandler().handler);
        pending.forEach((_, i) => answering.reply(i + 1, `answer ${i + 1}`));
        answering.flush();
        for (const batch of backPort.posts) link.receiveNow(batch);
        pending.forEach((future, i) => {
          assert.equal(future.result(), `answer ${i + 1}`);
        });
      },
    ),
  );
});

Deno.test("an operation structured clone refuses fails alone; the rest of its batch goes through in order", async () => {
  const port = new RecordingPort();
  const { events, handler } = recordingHandler();
  const link = new Link(port, handler);
  const question = askFuture("a", Symbol("no"), undefined);
  link.send("a", 1);
  link.send("a", () => "a function");
  link.ask("a", Symbol("no"), question);
  link.send("a", 3);
  link.reply(7, () => "an unclonable reply");
  link.flush();
  assert.deepEqual(port.posts, [
    [0, "a", 1, 1],
    [0, "a", 1, 3],
    [4, 7, port.posts[2][2]],
  ]);
  assert.deepEqual(events.map((e) => e.slice(0, 2).concat(e.slice(3))), [
    ["unsendable", "a", "TypeError", false],
    ["unsendable", "a", "TypeError", true],
  ]);
  await assert.rejects(Promise.resolve(question), {
    name: "TypeError",
    message: /structured clone refused it/,
  });
  // The asker of the unclonable reply gets the reason instead.
  const reason = deserializeError(
    port.posts[2][2] as SerializedError,
  ) as Error;
  assert.match(reason.message, /structured clone refused it/);
});

Deno.test("an error whose cause chain loops crosses a Worker boundary without overflowing", () => {
  const a = new Error("a");
  const b = new Error("b", { cause: a });
  Object.defineProperty(a, "cause", { value: b, configurable: true });
  const copy = deserializeError(
    structuredClone(serializeError(a)),
  ) as Error;
  assert.equal(copy.message, "a");
  assert.equal((copy.cause as Error).message, "b");
  assert.equal(((copy.cause as Error).cause as Error).message, "a");
});

Deno.test("errors cross a Worker boundary with their class, name, message, stack, cause and fields", () => {
  const inner = new TypeError("inner", { cause: "just a string" });
  const error = new RangeError("outer", { cause: inner });
  Object.assign(error, {
    code: "E_OUTER",
    detail: { at: [1, 2] },
    fn: () => 1,
  });
  const copy = deserializeError(
    structuredClone(serializeError(error)),
  ) as RangeError & { code: string; detail: unknown; fn: unknown };
  assert.ok(copy instanceof RangeError);
  assert.equal(copy.message, "outer");
  assert.equal(copy.stack, error.stack);
  assert.equal(copy.code, "E_OUTER");
  assert.deepEqual(copy.detail, { at: [1, 2] });
  assert.equal(copy.fn, "the function fn");
  assert.ok(copy.cause instanceof TypeError);
  assert.equal((copy.cause as Error).cause, "just a string");

  class QuotaError extends Error {
    override name = "QuotaError";
  }
  const custom = deserializeError(
    structuredClone(serializeError(new QuotaError("over quota"))),
  ) as Error;
  assert.ok(custom instanceof Error);
  assert.equal(custom.name, "QuotaError");
  assert.equal(custom.message, "over quota");
  assert.equal(deserializeError(structuredClone(serializeError(42))), 42);
});

Deno.test("stopping the system terminates its Workers: a script that does so exits by itself", async () => {
  const script = new URL("./_actor_exit_script.ts", import.meta.url);
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script.href],
    stdout: "piped",
    stderr: "piped",
    // Only a guard against hanging CI if Workers were left running.
    signal: AbortSignal.timeout(120_000),
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, stderr);
  assert.equal(stdout.trim(), "answers: 0,1,2; stopped");
});
