// Copyright 2026 the @frontier/generators authors. MIT license.
// The behaviours of CPython's test_asyncio/test_queues.py (Python 3.13, with
// shutdown), rewritten for tasks and futures, and the corner cases of
// design.md's "Settled details": queues, misuse errors, and hand-overs that
// lose nothing.
import assert from "node:assert/strict";
import { CancelledError, InvalidStateError } from "@frontier/generators/future";
import {
  type Operation,
  runInlineFuture,
  startInlineFuture,
  type Task,
} from "@frontier/generators/task";
import {
  LifoQueue,
  PriorityQueue,
  Queue,
  QueueEmptyError,
  QueueFullError,
  QueueShutDownError,
} from "@frontier/generators/queue";
import * as mod from "@frontier/generators";

/** Lets every task run until all of them wait on something. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Runs `body` as a task: hand-overs it makes reach other tasks later. */
function inTask(body: () => void): Promise<void> {
  // deno-lint-ignore require-yield -- the body runs in one step
  return runInlineFuture((function* () {
    body();
  })());
}

function getter<T>(queue: Queue<T>): Task<T> {
  return startInlineFuture((function* () {
    return yield* queue.get();
  })());
}

function putter<T>(queue: Queue<T>, item: T): Task<void> {
  return startInlineFuture((function* () {
    yield* queue.put(item);
  })());
}

const KINDS = [Queue, LifoQueue, PriorityQueue] as const;

// -- the basics

Deno.test("Queue: empty(), full(), size and maxSize", async () => {
  const queue = new Queue<number>({ maxSize: 1 });
  assert.equal(queue.empty(), true);
  assert.equal(queue.full(), false);
  assert.equal(queue.maxSize, 1);
  await queue.put(1);
  assert.equal(queue.empty(), false);
  assert.equal(queue.full(), true);
  assert.equal(queue.size, 1);
  assert.equal(await queue.get(), 1);
  assert.equal(queue.empty(), true);
  assert.equal(new Queue().full(), false);
  assert.equal(new Queue().maxSize, 0);
});

Deno.test("Queue: items come out in the order they went in", async () => {
  const queue = new Queue<number>();
  for (const n of [1, 3, 2]) await queue.put(n);
  assert.deepEqual([await queue.get(), await queue.get(), await queue.get()], [
    1,
    3,
    2,
  ]);
});

Deno.test("Queue: 0 or Infinity means no limit; a fraction is allowed; a bad maxSize is a RangeError", async () => {
  for (const maxSize of [0, Infinity]) {
    const queue = new Queue<number>({ maxSize });
    for (let i = 0; i < 1000; i++) queue.putNowait(i);
    assert.equal(queue.full(), false);
  }
  const queue = new Queue<number>({ maxSize: 1.3 });
  queue.putNowait(1);
  queue.putNowait(2);
  assert.equal(queue.full(), true);
  assert.throws(() => queue.putNowait(3), QueueFullError);
  const waiting = new Queue<number>({ maxSize: 1.3 });
  await waiting.put(1);
  await waiting.put(2);
  assert.equal(waiting.full(), true);
  for (const maxSize of [-1, NaN, "2"]) {
    assert.throws(() => new Queue({ maxSize: maxSize as number }), {
      name: "RangeError",
      message: /^Cannot create a Queue: option maxSize must be a number >= 0 /,
    });
  }
  assert.throws(() => new LifoQueue({ maxSize: -1 }), {
    message: /^Cannot create a LifoQueue: /,
  });
});

Deno.test("Queue: a putter waits while the queue is full", async () => {
  const queue = new Queue<number>({ maxSize: 2 });
  const put: number[] = [];
  const producer = startInlineFuture((function* () {
    for (let i = 0; i < 3; i++) {
      yield* queue.put(i);
      put.push(i);
    }
    return true;
  })());
  await settle();
  assert.deepEqual(put, [0, 1]);
  assert.equal(await queue.get(), 0);
  await settle();
  assert.deepEqual(put, [0, 1, 2]);
  assert.equal(await queue.get(), 1);
  assert.equal(await queue.get(), 2);
  assert.equal(producer.result(), true);
});

Deno.test("Queue: getNowait() on an empty queue is a QueueEmptyError; putNowait() on a full one a QueueFullError", () => {
  assert.throws(() => new Queue().getNowait(), {
    name: "QueueEmptyError",
    message: /^Cannot get from the Queue: it is empty; /,
  });
  const queue = new Queue<number>({ maxSize: 1 });
  queue.putNowait(1);
  assert.throws(() => queue.putNowait(2), {
    name: "QueueFullError",
    message: /^Cannot put into the Queue: it is full \(maxSize 1\); /,
  });
  assert.ok(new QueueEmptyError("x") instanceof Error);
});

Deno.test("QueueFullError is one class with one home, exported once by mod.ts", async () => {
  const home = await import("../_core/queue_full_error.ts");
  assert.equal(QueueFullError, home.QueueFullError);
  assert.equal(mod.QueueFullError, QueueFullError);
});

// -- get

Deno.test("Queue: get() waits for an item put later", async () => {
  const queue = new Queue<number>();
  const got = getter(queue);
  await settle();
  assert.equal(got.done(), false);
  setTimeout(() => queue.putNowait(1), 1);
  assert.equal(await got, 1);
});

Deno.test("Queue: an item put while a getter waits goes straight to it, taking no room", async () => {
  const queue = new Queue<string>({ maxSize: 1 });
  const got = getter(queue);
  queue.putNowait("a");
  assert.equal(queue.size, 0);
  queue.putNowait("b");
  assert.equal(await got, "a");
  assert.equal(queue.getNowait(), "b");
});

Deno.test("Queue: get() takes items of waiting putters in order", async () => {
  const queue = new Queue<string>({ maxSize: 1 });
  putter(queue, "a");
  putter(queue, "b");
  assert.equal(await queue.get(), "a");
  assert.equal(await queue.get(), "b");
});

Deno.test("Queue: a getter cancelled while waiting gives up its place", async () => {
  const queue = new Queue<string>();
  const first = getter(queue);
  const second = getter(queue);
  first.cancel();
  await settle();
  assert.equal(first.cancelled(), true);
  await queue.put("a");
  assert.equal(await second, "a");
  const third = getter(queue);
  third.cancel();
  queue.putNowait("b");
  assert.equal(queue.size, 1, "a cancelled getter is not handed items");
});

Deno.test("Queue: an item handed to a getter cancelled before it resumes goes back to the front", async () => {
  const queue = new Queue<number>();
  let reader = getter(queue);
  await inTask(() => {
    queue.putNowait(1); // handed to the reader, whose task resumes later
    queue.putNowait(2);
    reader.cancel();
  });
  await assert.rejects(Promise.resolve(reader), CancelledError);
  reader = getter(queue);
  assert.equal(await reader, 1, "1 was not lost");
  assert.equal(queue.getNowait(), 2);
});

Deno.test("Queue: an item handed to a cancelled getter goes to the next waiting getter", async () => {
  const queue = new Queue<number>();
  const readers = [getter(queue), getter(queue), getter(queue)];
  await inTask(() => {
    queue.putNowait(1);
    queue.putNowait(2);
    readers[0].cancel();
  });
  await assert.rejects(Promise.resolve(readers[0]), CancelledError);
  // As in asyncio, which of the two gets which is not promised.
  assert.deepEqual((await Promise.all(readers.slice(1))).sort(), [1, 2]);
});

Deno.test("Queue: an item a time-sliced task never took is given back when it is cancelled", async () => {
  // A task that gets from a full queue over and over never waits, but the
  // run queue hands control to the event loop every time slice, at one of
  // its `yield*`s: a cancel arriving then must not lose the item.
  const count = 2_000_000;
  const queue = new Queue<number>();
  for (let i = 0; i < count; i++) queue.putNowait(i);
  let taken = 0;
  const consumer = startInlineFuture((function* () {
    for (;;) {
      yield* queue.get();
      taken++;
    }
  })());
  await new Promise((resolve) => setTimeout(resolve, 1));
  consumer.cancel();
  await assert.rejects(Promise.resolve(consumer), CancelledError);
  assert.ok(taken > 0 && taken < count, `took ${taken}`);
  assert.equal(taken + queue.size, count);
  assert.equal(queue.getNowait(), taken, "the next item is the one not taken");
});

// -- put

Deno.test("Queue: a put that waits completes when a get makes room", async () => {
  const queue = new Queue<number>({ maxSize: 1 });
  const producer = startInlineFuture((function* () {
    yield* queue.put(1);
    yield* queue.put(2);
    return true;
  })());
  setTimeout(() => queue.getNowait(), 1);
  assert.equal(await producer, true);
  assert.equal(queue.getNowait(), 2);
});

Deno.test("Queue: a putter cancelled while waiting gives up its place", async () => {
  const queue = new Queue<string>({ maxSize: 1 });
  const a = putter(queue, "a");
  const b = putter(queue, "b");
  const x = putter(queue, "X");
  assert.equal(a.done(), true);
  assert.equal(b.done(), false);
  x.cancel();
  await settle();
  assert.equal(x.cancelled(), true);
  assert.equal(queue.getNowait(), "a");
  assert.equal(queue.getNowait(), "b");
  await b;
  assert.equal(queue.empty(), true);
});

Deno.test("Queue: a put whose task is cancelled before it resumes does not happen", async () => {
  // CPython's test_put_cancel_drop: retrying the put must not double it.
  const queue = new Queue<number>({ maxSize: 1 });
  queue.putNowait(1);
  let writer = putter(queue, 2);
  await inTask(() => {
    assert.equal(queue.getNowait(), 1); // makes room: 2 goes in
    writer.cancel();
  });
  await assert.rejects(Promise.resolve(writer), CancelledError);
  assert.equal(queue.size, 0, "the cancelled put was taken back");
  writer = putter(queue, 2);
  await writer;
  assert.equal(queue.getNowait(), 2);
  assert.equal(queue.size, 0);
  queue.taskDone();
  queue.taskDone();
  assert.throws(() => queue.taskDone(), InvalidStateError);
});

Deno.test("Queue: a cancelled put taken back makes room for the next putter, in order", async () => {
  const queue = new Queue<string>({ maxSize: 1 });
  queue.putNowait("first");
  const cancelled = putter(queue, "cancelled");
  const next = putter(queue, "next");
  const last = putter(queue, "last");
  await inTask(() => {
    queue.getNowait();
    cancelled.cancel();
  });
  await settle();
  assert.equal(cancelled.cancelled(), true);
  assert.equal(next.done(), true);
  assert.equal(queue.getNowait(), "next");
  await last;
  assert.equal(queue.getNowait(), "last");
});

Deno.test("Queue: a put whose item was already taken stands, even if its task is cancelled before it resumes", async () => {
  const queue = new Queue<number>({ maxSize: 1 });
  queue.putNowait(1);
  const writer = putter(queue, 2);
  const taken: number[] = [];
  await inTask(() => {
    taken.push(queue.getNowait(), queue.getNowait());
    writer.cancel();
  });
  await assert.rejects(Promise.resolve(writer), CancelledError);
  assert.deepEqual(taken, [1, 2]);
  assert.equal(queue.size, 0, "nothing was taken back twice");
});

Deno.test("Queue: producer and consumer tasks on a queue of one pass every item", async () => {
  const queue = new Queue<number>({ maxSize: 1 });
  const consumer = startInlineFuture((function* () {
    let sum = 0;
    for (let i = 0; i < 5; i++) sum += yield* queue.get();
    return sum;
  })());
  await runInlineFuture((function* () {
    for (let i = 0; i < 5; i++) yield* queue.put(i);
  })());
  assert.equal(await consumer, 10);
});

Deno.test("Queue: putters waiting on a full queue are all served as getters drain it", async () => {
  const queue = new Queue<number>({ maxSize: 2 });
  const putters = [0, 1, 2, 3].map((n) => putter(queue, n));
  await settle();
  const got: number[] = [];
  while (got.length < 4) {
    await settle();
    while (!queue.empty()) got.push(queue.getNowait());
  }
  await Promise.all(putters);
  assert.deepEqual(got, [0, 1, 2, 3]);
});

// -- LIFO and priority

Deno.test("LifoQueue: the item put last comes out first", async () => {
  const queue = new LifoQueue<number>();
  for (const n of [1, 3, 2]) await queue.put(n);
  assert.deepEqual([await queue.get(), await queue.get(), await queue.get()], [
    2,
    3,
    1,
  ]);
});

Deno.test("PriorityQueue: numbers and strings come out smallest first; other items need compare", async () => {
  const numbers = new PriorityQueue<number>();
  for (const n of [1, 3, 2]) await numbers.put(n);
  assert.deepEqual(
    [await numbers.get(), await numbers.get(), await numbers.get()],
    [1, 2, 3],
  );
  const words = new PriorityQueue<string>();
  for (const w of ["pear", "apple", "fig"]) words.putNowait(w);
  assert.equal(words.getNowait(), "apple");
  const objects = new PriorityQueue<{ n: number }>();
  assert.throws(() => objects.putNowait({ n: 1 }), {
    name: "TypeError",
    message: /^Cannot put into the PriorityQueue: without option compare /,
  });
  assert.throws(() => objects.put({ n: 1 }), TypeError);
  assert.throws(
    () => new PriorityQueue({ compare: "size" as unknown as () => number }),
    TypeError,
  );
});

Deno.test("PriorityQueue: compare orders the items; equal ones come out in the order they went in", () => {
  type Job = { priority: number; name: string };
  const jobs = new PriorityQueue<Job>({
    compare: (a, b) => b.priority - a.priority, // largest first
  });
  const names = ["a", "b", "c", "d", "e", "f"];
  names.forEach((name, i) => jobs.putNowait({ priority: i % 2, name }));
  const out: string[] = [];
  while (!jobs.empty()) out.push(jobs.getNowait().name);
  assert.deepEqual(out, ["b", "d", "f", "a", "c", "e"]);
});

Deno.test("PriorityQueue: a cancelled put is taken back; an item a cancelled getter never took comes back", async () => {
  const queue = new PriorityQueue<number>({ maxSize: 1 });
  queue.putNowait(5);
  const writer = putter(queue, 3);
  await inTask(() => {
    queue.getNowait();
    writer.cancel();
  });
  await assert.rejects(Promise.resolve(writer), CancelledError);
  assert.equal(queue.size, 0);
  const reader = getter(queue);
  await inTask(() => {
    queue.putNowait(7);
    reader.cancel();
  });
  await assert.rejects(Promise.resolve(reader), CancelledError);
  assert.equal(queue.getNowait(), 7);
});

// -- taskDone and join

for (const Kind of KINDS) {
  Deno.test(`${Kind.name}: taskDone() more often than items were put is an InvalidStateError`, () => {
    const queue = new Kind<number>();
    assert.throws(() => queue.taskDone(), {
      name: "InvalidStateError",
      message: new RegExp(
        `^Cannot mark an item of the ${Kind.name} done: every item put is already done; `,
      ),
    });
  });

  Deno.test(`${Kind.name}: join() waits until every item is taken and done`, async () => {
    const queue = new Kind<number>();
    for (let i = 0; i < 100; i++) queue.putNowait(i);
    let sum = 0;
    let running = true;
    function* worker(): Operation<void> {
      while (running) {
        sum += yield* queue.get();
        queue.taskDone();
      }
    }
    const workers = [startInlineFuture(worker()), startInlineFuture(worker())];
    await queue.join();
    assert.equal(sum, 4950);
    running = false;
    for (const _ of workers) queue.putNowait(0);
    await Promise.all(workers);
  });

  Deno.test(`${Kind.name}: join() on a queue with nothing undone is done at once`, async () => {
    const queue = new Kind<number>();
    assert.equal(queue.join().done(), true);
    await queue.join();
  });
}

// -- shutdown

for (const Kind of KINDS) {
  Deno.test(`${Kind.name}: shutdown() of an empty queue fails waiting getters, then every put and get`, async () => {
    const queue = new Kind<string>();
    const waiting = getter(queue);
    queue.shutdown();
    assert.equal(queue.size, 0);
    await queue.join();
    await assert.rejects(Promise.resolve(waiting), {
      name: "QueueShutDownError",
      message: new RegExp(
        `^Cannot get from the ${Kind.name}: it is shut down and empty; `,
      ),
    });
    // put() and get() return failed futures rather than throw.
    const put = queue.put("data");
    await assert.rejects(Promise.resolve(put), QueueShutDownError);
    assert.throws(() => queue.putNowait("data"), {
      name: "QueueShutDownError",
      message: new RegExp(
        `^Cannot put into the ${Kind.name}: it is shut down; `,
      ),
    });
    await assert.rejects(Promise.resolve(queue.get()), QueueShutDownError);
    assert.throws(() => queue.getNowait(), QueueShutDownError);
  });

  Deno.test(`${Kind.name}: shutdown() of a full queue fails waiting putters; gets drain what is left`, async () => {
    const queue = new Kind<string>({ maxSize: 1 });
    queue.putNowait("data");
    const joined = queue.join();
    const waiting = putter(queue, "data2");
    await settle();
    assert.equal(waiting.done(), false);
    queue.shutdown();
    assert.equal(queue.size, 1);
    await assert.rejects(Promise.resolve(waiting), QueueShutDownError);
    assert.equal(await queue.get(), "data");
    assert.equal(joined.done(), false);
    await assert.rejects(
      Promise.resolve(queue.put("data")),
      QueueShutDownError,
    );
    assert.throws(() => queue.putNowait("data"), QueueShutDownError);
    await assert.rejects(Promise.resolve(queue.get()), QueueShutDownError);
    assert.throws(() => queue.getNowait(), QueueShutDownError);
    queue.taskDone();
    assert.equal(joined.done(), true);
    assert.throws(() => queue.taskDone(), InvalidStateError);
  });

  Deno.test(`${Kind.name}: shutdown(true) drops what is left, which counts as done`, async () => {
    const queue = new Kind<string>();
    queue.putNowait("data");
    const joined = queue.join();
    queue.shutdown(true);
    assert.equal(queue.size, 0);
    await joined;
    await assert.rejects(
      Promise.resolve(queue.put("data")),
      QueueShutDownError,
    );
    assert.throws(() => queue.getNowait(), QueueShutDownError);
    assert.throws(() => queue.taskDone(), InvalidStateError);
  });

  Deno.test(`${Kind.name}: shutdown(true) leaves items taken but not done undone`, async () => {
    const queue = new Kind<string>();
    queue.putNowait("data");
    queue.putNowait("data");
    const joined = queue.join();
    assert.equal(await queue.get(), "data");
    queue.shutdown(true);
    assert.equal(queue.size, 0);
    await settle();
    assert.equal(joined.done(), false);
    queue.taskDone();
    assert.throws(() => queue.taskDone(), InvalidStateError);
    await joined;
  });
}

Deno.test("Queue: an item handed to a cancelled getter after shutdown(true) counts as done", async () => {
  const queue = new Queue<number>();
  const reader = getter(queue);
  const joined = queue.join();
  await inTask(() => {
    queue.putNowait(1);
    queue.shutdown(true);
    reader.cancel();
  });
  await assert.rejects(Promise.resolve(reader), CancelledError);
  assert.equal(queue.size, 0);
  await joined;
});

Deno.test("Queue: for await reads until the queue is shut down and drained", async () => {
  const queue = new Queue<number>({ maxSize: 2 });
  startInlineFuture((function* () {
    for (let i = 1; i <= 5; i++) yield* queue.put(i);
    queue.shutdown();
  })());
  const got: number[] = [];
  for await (const item of queue) got.push(item);
  assert.deepEqual(got, [1, 2, 3, 4, 5]);
});

// -- a million items

Deno.test("a million items passed between two tasks through a bounded queue neither overflow nor grow the heap", async () => {
  const count = 1_000_000;
  const queue = new Queue<number>({ maxSize: 16 });
  const before = Deno.memoryUsage().heapUsed;
  const consumer = startInlineFuture((function* () {
    let sum = 0;
    for (let i = 0; i < count; i++) sum += yield* queue.get();
    return sum;
  })());
  await runInlineFuture((function* () {
    for (let i = 0; i < count; i++) yield* queue.put(1);
  })());
  assert.equal(await consumer, count);
  const grown = Deno.memoryUsage().heapUsed - before;
  assert.ok(grown < 64 * 2 ** 20, `heap grew by ${grown} bytes`);
});

Deno.test("a million items passed one by one between two tasks do not overflow the stack", async () => {
  const count = 1_000_000;
  const queue = new Queue<number>({ maxSize: 1 });
  const consumer = startInlineFuture((function* () {
    let sum = 0;
    for (let i = 0; i < count; i++) {
      sum += yield* queue.get();
      queue.taskDone();
    }
    return sum;
  })());
  const producer = startInlineFuture((function* () {
    for (let i = 0; i < count; i++) yield* queue.put(1);
    yield* queue.join();
  })());
  assert.equal(await consumer, count);
  await producer;
});

Deno.test("a queue that held a million items gives their room back once drained", async () => {
  // In a process of its own, where the garbage collector can be run.
  const script = `
    import { Queue } from "${new URL("../queue.ts", import.meta.url)}";
    import { runInlineFuture } from "${new URL("../task.ts", import.meta.url)}";
    const count = 1_000_000;
    const queue = new Queue();
    const item = [];
    const heap = () => (globalThis.gc(), Deno.memoryUsage().heapUsed);
    const base = heap();
    for (let i = 0; i < count; i++) queue.putNowait(item);
    const full = heap() - base;
    await runInlineFuture((function* () {
      for (let i = 0; i < count; i++) yield* queue.get();
    })());
    console.log(JSON.stringify({ full, drained: heap() - base }));
  `;
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--v8-flags=--expose-gc", script],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  const { full, drained } = JSON.parse(new TextDecoder().decode(stdout));
  assert.ok(full > 4 * 1_000_000, `the queue held ${full} bytes`);
  assert.ok(drained < full / 8, `still ${drained} of ${full} bytes`);
});
