// Copyright 2026 the @frontier/generators authors. MIT license.
// Per-step cost of tasks against the raw generator, native `await`, and the
// peers co and Effection. Every iteration runs STEPS steps; divide by STEPS
// for the cost of one step. Run: deno bench -A bench/task_bench.ts
import co from "co";
import * as effection from "effection";
import { Future } from "@frontier/generators/future";
import { runInlineFuture, startInlineFuture } from "@frontier/generators/task";
import { taskGroup, timeout } from "@frontier/generators/scope";

const STEPS = 1000;
const done = Future.from(1);

// -- one step on a value that is already there

Deno.bench("raw generator next()", {
  group: "settled step",
  baseline: true,
}, () => {
  const gen = (function* () {
    let sum = 0;
    for (let i = 0; i < STEPS; i++) sum += (yield 1) as number;
    return sum;
  })();
  let step = gen.next();
  while (!step.done) step = gen.next(step.value);
});

Deno.bench("native await of a value", { group: "settled step" }, async () => {
  let sum = 0;
  for (let i = 0; i < STEPS; i++) sum += await 1;
  if (sum !== STEPS) throw new Error("wrong sum");
});

Deno.bench("task: yield* done future", { group: "settled step" }, async () => {
  const sum = await runInlineFuture((function* () {
    let sum = 0;
    for (let i = 0; i < STEPS; i++) sum += yield* done;
    return sum;
  })());
  if (sum !== STEPS) throw new Error("wrong sum");
});

Deno.bench("task: yield done future", { group: "settled step" }, async () => {
  const sum = await runInlineFuture((function* () {
    let sum = 0;
    for (let i = 0; i < STEPS; i++) sum += (yield done) as number;
    return sum;
  })());
  if (sum !== STEPS) throw new Error("wrong sum");
});

Deno.bench(
  "co: yield resolved promise",
  { group: "settled step" },
  async () => {
    const settled = Promise.resolve(1);
    const sum = await co(function* () {
      let sum = 0;
      for (let i = 0; i < STEPS; i++) sum += (yield settled) as number;
      return sum;
    });
    if (sum !== STEPS) throw new Error("wrong sum");
  },
);

Deno.bench("effection: yield* call(() => 1)", {
  group: "settled step",
}, async () => {
  const one = () => 1;
  const sum = await effection.run(function* () {
    let sum = 0;
    for (let i = 0; i < STEPS; i++) sum += yield* effection.call(one);
    return sum;
  });
  if (sum !== STEPS) throw new Error("wrong sum");
});

// -- one step on a value that arrives on a later microtask

Deno.bench("native await of a promise settled later", {
  group: "step settled later",
  baseline: true,
}, async () => {
  let sum = 0;
  for (let i = 0; i < STEPS; i++) {
    sum += await new Promise<number>((resolve) =>
      queueMicrotask(() => resolve(1))
    );
  }
  if (sum !== STEPS) throw new Error("wrong sum");
});

Deno.bench("task: yield* future settled later", {
  group: "step settled later",
}, async () => {
  const sum = await runInlineFuture((function* () {
    let sum = 0;
    for (let i = 0; i < STEPS; i++) {
      const fut = new Future<number>();
      queueMicrotask(() => fut.setResult(1));
      sum += yield* fut;
    }
    return sum;
  })());
  if (sum !== STEPS) throw new Error("wrong sum");
});

// -- start a child and wait for its result

Deno.bench("native: call and await an async function", {
  group: "spawn and join",
  baseline: true,
}, async () => {
  // deno-lint-ignore require-await -- the native counterpart of a child task that returns at once
  const child = async () => 1;
  let sum = 0;
  for (let i = 0; i < STEPS; i++) sum += await child();
  if (sum !== STEPS) throw new Error("wrong sum");
});

Deno.bench("task: yield* startInlineFuture(child())", {
  group: "spawn and join",
}, async () => {
  // deno-lint-ignore require-yield -- the child returns at once
  function* child() {
    return 1;
  }
  const sum = await runInlineFuture((function* () {
    let sum = 0;
    for (let i = 0; i < STEPS; i++) sum += yield* startInlineFuture(child());
    return sum;
  })());
  if (sum !== STEPS) throw new Error("wrong sum");
});

Deno.bench("task: yield* group.spawn(child()) in a taskGroup", {
  group: "spawn and join",
}, async () => {
  // deno-lint-ignore require-yield -- the child returns at once
  function* child() {
    return 1;
  }
  const sum = await runInlineFuture(taskGroup(function* (group) {
    let sum = 0;
    for (let i = 0; i < STEPS; i++) sum += yield* group.spawn(child());
    return sum;
  }));
  if (sum !== STEPS) throw new Error("wrong sum");
});

Deno.bench("task: yield* child() (delegation, no new task)", {
  group: "spawn and join",
}, async () => {
  // deno-lint-ignore require-yield -- the child returns at once
  function* child() {
    return 1;
  }
  const sum = await runInlineFuture((function* () {
    let sum = 0;
    for (let i = 0; i < STEPS; i++) sum += yield* child();
    return sum;
  })());
  if (sum !== STEPS) throw new Error("wrong sum");
});

Deno.bench(
  "co: yield child generator",
  { group: "spawn and join" },
  async () => {
    // deno-lint-ignore require-yield -- the child returns at once
    function* child() {
      return 1;
    }
    const sum = await co(function* () {
      let sum = 0;
      for (let i = 0; i < STEPS; i++) sum += (yield child()) as number;
      return sum;
    });
    if (sum !== STEPS) throw new Error("wrong sum");
  },
);

Deno.bench(
  "effection: spawn and join",
  { group: "spawn and join" },
  async () => {
    // deno-lint-ignore require-yield -- the child returns at once
    function* child() {
      return 1;
    }
    const sum = await effection.run(function* () {
      let sum = 0;
      for (let i = 0; i < STEPS; i++) {
        const task = yield* effection.spawn(child);
        sum += yield* task;
      }
      return sum;
    });
    if (sum !== STEPS) throw new Error("wrong sum");
  },
);

// -- a time limit around an operation that finishes at once

Deno.bench("setTimeout and clearTimeout (a timer per call)", {
  group: "timeout of an operation done at once",
  baseline: true,
}, () => {
  for (let i = 0; i < STEPS; i++) clearTimeout(setTimeout(() => {}, 1_000));
});

Deno.bench("task: yield* timeout(1000, child())", {
  group: "timeout of an operation done at once",
}, async () => {
  // deno-lint-ignore require-yield -- the operation returns at once
  function* child() {
    return 1;
  }
  const sum = await runInlineFuture((function* () {
    let sum = 0;
    for (let i = 0; i < STEPS; i++) sum += yield* timeout(1_000, child());
    return sum;
  })());
  if (sum !== STEPS) throw new Error("wrong sum");
});

Deno.bench("task: yield* startInlineFuture(child()) (no limit)", {
  group: "timeout of an operation done at once",
}, async () => {
  // deno-lint-ignore require-yield -- the operation returns at once
  function* child() {
    return 1;
  }
  const sum = await runInlineFuture((function* () {
    let sum = 0;
    for (let i = 0; i < STEPS; i++) sum += yield* startInlineFuture(child());
    return sum;
  })());
  if (sum !== STEPS) throw new Error("wrong sum");
});

Deno.bench("effection: yield* race([op, sleep(1000)])", {
  group: "timeout of an operation done at once",
}, async () => {
  // deno-lint-ignore require-yield -- the operation returns at once
  function* child(): effection.Operation<number> {
    return 1;
  }
  const sum = await effection.run(function* () {
    let sum = 0;
    for (let i = 0; i < STEPS; i++) {
      sum += (yield* effection.race([child(), effection.sleep(1_000)])) ?? 0;
    }
    return sum;
  });
  if (sum !== STEPS) throw new Error("wrong sum");
});
