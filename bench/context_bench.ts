// Copyright 2026 the @frontier/generators authors. MIT license.
// Entering and exiting a context manager written as a generator, against the
// same manager written by hand as a class with `[Symbol.dispose]` (the
// baseline of each group). Target: the generator within 3x of the class in
// the "using" group.
//
//   deno bench -A bench/context_bench.ts
//
// `deno task bench` runs it with the others and writes bench/RESULTS.md.

import {
  asyncContextManager,
  contextManager,
  enterContext,
  withContext,
} from "../context.ts";

// The manager in every form: a counter lock that is taken on entry and given
// back on exit, however the block ends.
let held = 0;
let sink = 0;

class Hold implements Disposable {
  readonly value: number;
  #n: number;
  constructor(n: number) {
    this.#n = n;
    held += n;
    this.value = held;
  }
  [Symbol.dispose](): void {
    held -= this.#n;
  }
}

const hold = contextManager(function* hold(n: number) {
  held += n;
  try {
    yield held;
  } finally {
    held -= n;
  }
});

class HoldManager {
  #n: number;
  constructor(n: number) {
    this.#n = n;
  }
  enter(): number {
    held += this.#n;
    return held;
  }
  exit(): void {
    held -= this.#n;
  }
}

class AsyncHold implements AsyncDisposable {
  readonly value: number;
  #n: number;
  constructor(n: number) {
    this.#n = n;
    held += n;
    this.value = held;
  }
  async [Symbol.asyncDispose](): Promise<void> {
    await null;
    held -= this.#n;
  }
}

const asyncHold = asyncContextManager(async function* asyncHold(n: number) {
  held += n;
  try {
    yield held;
  } finally {
    await null;
    held -= n;
  }
});

Deno.bench("hand-written class with [Symbol.dispose], using", {
  group: "using",
  baseline: true,
}, () => {
  using h = new Hold(1);
  sink += h.value;
});

Deno.bench(
  "context: contextManager(function*), using",
  { group: "using" },
  () => {
    using h = hold(1);
    sink += h.value;
  },
);

Deno.bench(
  "context: enterContext(enter/exit class), using",
  { group: "using" },
  () => {
    using h = enterContext(new HoldManager(1));
    sink += h.value;
  },
);

// withContext lets the exit see the block's error; its baseline is the same
// runner given a hand-written class, so the group measures the generator.
// The try/finally line shows what the runner itself costs.
Deno.bench("hand-written class with [Symbol.dispose], withContext", {
  group: "withContext",
  baseline: true,
}, () => {
  sink += withContext(new Hold(1), (h) => h.value);
});

Deno.bench("context: contextManager(function*), withContext", {
  group: "withContext",
}, () => {
  sink += withContext(hold(1), (value) => value)!;
});

Deno.bench("native: hand-written class in try/finally (no runner)", {
  group: "withContext",
}, () => {
  const h = new Hold(1);
  try {
    sink += h.value;
  } finally {
    h[Symbol.dispose]();
  }
});

Deno.bench("hand-written class with [Symbol.asyncDispose], await using", {
  group: "await using",
  baseline: true,
}, async () => {
  await using h = new AsyncHold(1);
  sink += h.value;
});

Deno.bench("context: asyncContextManager(async function*), await using", {
  group: "await using",
}, async () => {
  await using h = await asyncHold(1);
  sink += h.value;
});

globalThis.addEventListener("unload", () => {
  if (held !== 0) throw new Error(`a manager was not exited: held ${held}`);
  if (sink === 0) throw new Error("nothing ran");
});
