// Copyright 2026 the @frontier/generators authors. MIT license.
// Locks, semaphores and queues against their peers: async-mutex and
// async-sema for the first two, Effection's queue and channel for the last,
// and a settled `yield*` step as the floor a queue hand-off is measured
// against. Every iteration does STEPS acquire/release pairs or passes STEPS
// items; divide by STEPS for the cost of one. Run:
// deno bench -A bench/sync_bench.ts
import { Mutex, Semaphore as MutexSemaphore } from "async-mutex";
import { Sema } from "async-sema";
import * as effection from "effection";
import { Future } from "@frontier/generators/future";
import { runInlineFuture, startInlineFuture } from "@frontier/generators/task";
import { Lock, Semaphore } from "@frontier/generators/sync";
import { Queue } from "@frontier/generators/queue";

const STEPS = 1000;

function check(count: number): void {
  if (count !== STEPS) throw new Error(`counted ${count}, not ${STEPS}`);
}

// -- uncontended: acquire and release a lock nobody else wants

Deno.bench("task: yield* lock.acquire(); lock.release() (ours)", {
  group: "Lock, uncontended",
  baseline: true,
}, async () => {
  const lock = new Lock();
  check(
    await runInlineFuture((function* () {
      let count = 0;
      for (let i = 0; i < STEPS; i++) {
        yield* lock.acquire();
        count++;
        lock.release();
      }
      return count;
    })()),
  );
});

// V8's own `using` costs more than the acquire and release it wraps.
Deno.bench("task: using _ = yield* lock.acquire() (ours)", {
  group: "Lock, uncontended",
}, async () => {
  const lock = new Lock();
  check(
    await runInlineFuture((function* () {
      let count = 0;
      for (let i = 0; i < STEPS; i++) {
        using _held = yield* lock.acquire();
        count++;
      }
      return count;
    })()),
  );
});

Deno.bench("async: await lock.acquire(); lock.release() (ours)", {
  group: "Lock, uncontended",
}, async () => {
  const lock = new Lock();
  let count = 0;
  for (let i = 0; i < STEPS; i++) {
    await lock.acquire();
    count++;
    lock.release();
  }
  check(count);
});

Deno.bench("async-mutex: await mutex.acquire(); release()", {
  group: "Lock, uncontended",
}, async () => {
  const mutex = new Mutex();
  let count = 0;
  for (let i = 0; i < STEPS; i++) {
    const release = await mutex.acquire();
    count++;
    release();
  }
  check(count);
});

Deno.bench("async-sema: await sema.acquire(); sema.release()", {
  group: "Lock, uncontended",
}, async () => {
  const sema = new Sema(1);
  let count = 0;
  for (let i = 0; i < STEPS; i++) {
    await sema.acquire();
    count++;
    sema.release();
  }
  check(count);
});

Deno.bench("task: yield* semaphore.acquire(); release() (ours)", {
  group: "Semaphore(4), uncontended",
  baseline: true,
}, async () => {
  const semaphore = new Semaphore(4);
  check(
    await runInlineFuture((function* () {
      let count = 0;
      for (let i = 0; i < STEPS; i++) {
        yield* semaphore.acquire();
        count++;
        semaphore.release();
      }
      return count;
    })()),
  );
});

Deno.bench("async: await semaphore.acquire(); release() (ours)", {
  group: "Semaphore(4), uncontended",
}, async () => {
  const semaphore = new Semaphore(4);
  let count = 0;
  for (let i = 0; i < STEPS; i++) {
    await semaphore.acquire();
    count++;
    semaphore.release();
  }
  check(count);
});

Deno.bench("async-mutex: await semaphore.acquire(); release()", {
  group: "Semaphore(4), uncontended",
}, async () => {
  const semaphore = new MutexSemaphore(4);
  let count = 0;
  for (let i = 0; i < STEPS; i++) {
    const [, release] = await semaphore.acquire();
    count++;
    release();
  }
  check(count);
});

Deno.bench("async-sema: await sema.acquire(); sema.release()", {
  group: "Semaphore(4), uncontended",
}, async () => {
  const sema = new Sema(4);
  let count = 0;
  for (let i = 0; i < STEPS; i++) {
    await sema.acquire();
    count++;
    sema.release();
  }
  check(count);
});

// -- contended: two tasks take turns, each release hands the lock to the
// other, which waits for it (the main code holds it until both wait)

async function takeTurns(
  acquire: () => Promise<() => void>,
): Promise<void> {
  let count = 0;
  const release = await acquire();
  const worker = async () => {
    for (let i = 0; i < STEPS / 2; i++) {
      const done = await acquire();
      count++;
      done();
    }
  };
  const both = Promise.all([worker(), worker()]);
  release();
  await both;
  check(count);
}

interface Guard {
  acquire(): Future<Disposable>;
  release(): void;
}

function* ourTurns(guard: Guard, counter: { count: number }) {
  for (let i = 0; i < STEPS / 2; i++) {
    yield* guard.acquire();
    counter.count++;
    guard.release();
  }
}

async function takeOurTurns(guard: Guard): Promise<void> {
  const counter = { count: 0 };
  guard.acquire();
  const both = [
    startInlineFuture(ourTurns(guard, counter)),
    startInlineFuture(ourTurns(guard, counter)),
  ];
  guard.release();
  await both[0];
  await both[1];
  check(counter.count);
}

Deno.bench("task: Lock handed between two tasks (ours)", {
  group: "Lock, contended hand-off",
  baseline: true,
}, async () => {
  await takeOurTurns(new Lock());
});

Deno.bench("async: Lock handed between two async functions (ours)", {
  group: "Lock, contended hand-off",
}, async () => {
  const lock = new Lock();
  await takeTurns(async () => {
    await lock.acquire();
    return () => lock.release();
  });
});

Deno.bench("async-mutex: Mutex handed between two async functions", {
  group: "Lock, contended hand-off",
}, async () => {
  const mutex = new Mutex();
  await takeTurns(() => mutex.acquire());
});

Deno.bench("async-sema: Sema(1) handed between two async functions", {
  group: "Lock, contended hand-off",
}, async () => {
  const sema = new Sema(1);
  await takeTurns(async () => {
    await sema.acquire();
    return () => sema.release();
  });
});

Deno.bench("task: Semaphore(1) handed between two tasks (ours)", {
  group: "Semaphore, contended hand-off",
  baseline: true,
}, async () => {
  await takeOurTurns(new Semaphore(1));
});

Deno.bench("async-mutex: Semaphore(1) handed between two async functions", {
  group: "Semaphore, contended hand-off",
}, async () => {
  const semaphore = new MutexSemaphore(1);
  await takeTurns(async () => (await semaphore.acquire())[1]);
});

Deno.bench("async-sema: Sema(1) handed between two async functions", {
  group: "Semaphore, contended hand-off",
}, async () => {
  const sema = new Sema(1);
  await takeTurns(async () => {
    await sema.acquire();
    return () => sema.release();
  });
});

// -- a producer task and a consumer task pass STEPS items

const done = Future.from(1);

Deno.bench("task: yield* done future (a settled step)", {
  group: "Queue hand-off, producer task to consumer task",
  baseline: true,
}, async () => {
  check(
    await runInlineFuture((function* () {
      let sum = 0;
      for (let i = 0; i < STEPS; i++) sum += yield* done;
      return sum;
    })()),
  );
});

async function passThrough(queue: Queue<number>): Promise<void> {
  const consumer = startInlineFuture((function* () {
    let sum = 0;
    for (let i = 0; i < STEPS; i++) sum += yield* queue.get();
    return sum;
  })());
  const producer = startInlineFuture((function* () {
    for (let i = 0; i < STEPS; i++) yield* queue.put(1);
  })());
  await producer;
  check(await consumer);
}

Deno.bench("task: Queue({ maxSize: 64 }) put/get (ours)", {
  group: "Queue hand-off, producer task to consumer task",
}, async () => {
  await passThrough(new Queue({ maxSize: 64 }));
});

Deno.bench("task: Queue() unbounded put/get (ours)", {
  group: "Queue hand-off, producer task to consumer task",
}, async () => {
  await passThrough(new Queue());
});

Deno.bench("task: Queue({ maxSize: 1 }) put/get, one item at a time (ours)", {
  group: "Queue hand-off, producer task to consumer task",
}, async () => {
  await passThrough(new Queue({ maxSize: 1 }));
});

Deno.bench("effection: createQueue() add/next", {
  group: "Queue hand-off, producer task to consumer task",
}, async () => {
  const sum = await effection.run(function* () {
    const queue = effection.createQueue<number, void>();
    const consumer = yield* effection.spawn(function* () {
      let sum = 0;
      for (let i = 0; i < STEPS; i++) {
        sum += (yield* queue.next()).value as number;
      }
      return sum;
    });
    yield* effection.spawn(function* () {
      for (let i = 0; i < STEPS; i++) queue.add(1);
    });
    return yield* consumer;
  });
  check(sum);
});

Deno.bench("effection: createChannel() send/next", {
  group: "Queue hand-off, producer task to consumer task",
}, async () => {
  const sum = await effection.run(function* () {
    const channel = effection.createChannel<number, void>();
    const inbox = yield* channel;
    const consumer = yield* effection.spawn(function* () {
      let sum = 0;
      for (let i = 0; i < STEPS; i++) {
        sum += (yield* inbox.next()).value as number;
      }
      return sum;
    });
    yield* effection.spawn(function* () {
      for (let i = 0; i < STEPS; i++) yield* channel.send(1);
    });
    return yield* consumer;
  });
  check(sum);
});
