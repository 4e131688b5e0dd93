// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * Measures two checkouts of this package side by side, in one `deno bench`
 * run: the hot paths of every part (a task's step, spawn and join, a context
 * manager's enter and exit, actor delivery and ping-pong, an executor's
 * submit, a pool's round trip), each group with the first checkout as its
 * baseline. For a change that should move code without changing its speed
 * (a refactoring), every ratio should stay near 1.00x.
 *
 * The checkout registered first runs faster in the same process (measured:
 * the same code 1.3-1.4x faster on a task's step when it runs first), so run
 * it twice, with the two swapped, and take the geometric mean of the two
 * ratios.
 *
 * ```sh
 * git worktree add /tmp/before <commit>
 * git worktree add /tmp/after <commit>
 * AB_BEFORE=/tmp/before AB_AFTER=/tmp/after deno bench -A tools/ab_bench.ts
 * AB_BEFORE=/tmp/after AB_AFTER=/tmp/before deno bench -A tools/ab_bench.ts
 * ```
 *
 * @module
 */

const roots = {
  before: Deno.env.get("AB_BEFORE"),
  after: Deno.env.get("AB_AFTER") ?? new URL("..", import.meta.url).pathname,
};
if (roots.before === undefined) {
  throw new Error(
    "Cannot compare: AB_BEFORE is not set; set it to the folder of the checkout to compare with",
  );
}

// deno-lint-ignore no-explicit-any
type Package = any;

const STEPS = 1000;
const MESSAGES = 10_000;
const ROUND_TRIPS = 100;

// deno-lint-ignore no-explicit-any
const packages: [string, Package, any][] = [];
for (const [label, root] of Object.entries(roots)) {
  const url = (path: string) => new URL(path, `file://${root}/`).href;
  const pkg: Package = await import(url("mod.ts"));
  const { WorkerPool } = await import(url("worker_pool.ts"));
  packages.push([label, pkg, WorkerPool]);
}

/** Registers one workload for both checkouts, one after the other. */
function compare(
  group: string,
  // deno-lint-ignore no-explicit-any
  make: (pkg: Package, WorkerPool: any) => () => unknown,
): void {
  for (const [label, pkg, WorkerPool] of packages) {
    const run = make(pkg, WorkerPool);
    // Awaited whether or not it returns a promise, so that no iteration
    // overlaps the next one.
    Deno.bench(`${label}: ${group}`, {
      group,
      baseline: label === "before",
    }, async () => {
      await run();
    });
  }
}

const done = (pkg: Package) => pkg.Future.from(1);

compare("task, yield* a done future (1,000 steps)", (pkg) => {
  const settled = done(pkg);
  return async () => {
    const sum = await pkg.runInlineFuture((function* () {
      let sum = 0;
      for (let i = 0; i < STEPS; i++) sum += yield* settled;
      return sum;
    })());
    if (sum !== STEPS) throw new Error("wrong sum");
  };
});

compare(
  "task, yield* a future settled later (1,000 steps)",
  (pkg) => () =>
    pkg.runInlineFuture((function* () {
      for (let i = 0; i < STEPS; i++) {
        const future = new pkg.Future();
        queueMicrotask(() => future.setResult(i));
        yield* future;
      }
    })()),
);

// deno-lint-ignore require-yield
function* child(): Generator<never, number, unknown> {
  return 1;
}
compare(
  "task, spawn and join a child (1,000 times)",
  (pkg) => () =>
    pkg.runInlineFuture((function* () {
      let sum = 0;
      for (let i = 0; i < STEPS; i++) {
        sum += yield* pkg.startInlineFuture(child());
      }
      return sum;
    })()),
);

compare("context, using a generator manager (1,000 times)", (pkg) => {
  const hold = pkg.contextManager(function* (value: number) {
    yield value;
  });
  return () => {
    let sum = 0;
    for (let i = 0; i < STEPS; i++) {
      using held = hold(i);
      sum += held.value;
    }
    if (sum < 0) throw new Error("wrong sum");
  };
});

compare("actors, send and run (10,000 messages)", (pkg) => {
  let total = 0;
  const system = new pkg.ActorSystem();
  system.spawn("sink", function* () {
    while (true) total += (yield) as number;
  });
  return () => {
    for (let i = 0; i < MESSAGES; i++) system.send("sink", i);
    system.run();
  };
});

compare("actors, ping-pong (10,000 messages)", (pkg) => {
  const system = new pkg.ActorSystem();
  system.spawn("ping", function* () {
    while (true) {
      const n = (yield) as number;
      if (n < MESSAGES) system.send("pong", n + 1);
    }
  });
  system.spawn("pong", function* () {
    while (true) system.send("ping", ((yield) as number) + 1);
  });
  return () => {
    system.send("ping", 0);
    if (system.run() !== MESSAGES + 1) throw new Error("lost a message");
  };
});

compare("LocalExecutor, submit and await (1,000 tasks)", (pkg) => {
  const local = new pkg.LocalExecutor({ maxConcurrency: 4 });
  return async () => {
    const futures = [];
    for (let i = 0; i < STEPS; i++) {
      futures.push(local.submit((x: number) => x, i));
    }
    await Promise.all(futures);
  };
});

compare("WorkerPool, one task at a time (100 round trips)", (_, WorkerPool) => {
  const pool = new WorkerPool({ maxWorkers: 1, minWorkers: 1 });
  return async () => {
    for (let i = 0; i < ROUND_TRIPS; i++) {
      await pool.submit((x: number) => x + 1, i);
    }
  };
});

compare("WorkerPool, 1,000 tasks in flight", (_, WorkerPool) => {
  const pool = new WorkerPool({ maxWorkers: 2, minWorkers: 2 });
  return async () => {
    const futures = [];
    for (let i = 0; i < STEPS; i++) {
      futures.push(pool.submit((x: number) => x + 1, i));
    }
    await Promise.all(futures);
  };
});
