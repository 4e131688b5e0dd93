// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * Part 2 of the tutorial: context managers. One generator, cut in half by
 * its `yield`, is the entry and the exit of a block; JavaScript's `using`
 * runs the exit, and `withContext` gives it the block's error as Python's
 * `with` does.
 *
 * Run it with `deno run -A examples/context_managers.ts`.
 *
 * @module
 */

import {
  asyncContextManager,
  contextManager,
  withContext,
  withTaskContext,
} from "@frontier/generators/context";
import { Future, sleep } from "@frontier/generators/future";
import { startInlineFuture } from "@frontier/generators/task";

/** Times a block of statements (the tutorial's `timethis`). */
export const timethis = contextManager(function* timethis(label: string) {
  const start = performance.now();
  try {
    yield;
  } finally {
    const end = performance.now();
    console.log(`${label}: ${((end - start) / 1000).toFixed(3)}`);
  }
});

/** A temporary directory, created on entry and removed on exit. */
export const tempdir = contextManager(function* tempdir() {
  const dirname = Deno.makeTempDirSync({ prefix: "frontier-" });
  try {
    yield dirname;
  } finally {
    Deno.removeSync(dirname, { recursive: true });
  }
});

/** A lock held for the length of a `using` block. */
export class Lock {
  #held = false;

  /** Whether the lock is held. */
  get locked(): boolean {
    return this.#held;
  }

  /** Takes the lock; `using` gives it back, however the block ends. */
  hold = contextManager(function* hold(this: Lock) {
    if (this.#held) throw new Error("the lock is already held");
    this.#held = true;
    try {
      yield this;
    } finally {
      this.#held = false;
    }
  });
}

/** A tiny key-value store whose changes are made in transactions. */
export type Store = Map<string, number>;

/**
 * A transaction on `store`: the block writes to a copy, which replaces the
 * store's contents when the block succeeds and is thrown away when it fails.
 * The exit must see the block's error, so it runs through `withContext`;
 * under `using` its commit would run after a failed block too (see `draft`).
 */
export const transaction = contextManager(function* transaction(store: Store) {
  const draft = new Map(store);
  try {
    yield draft;
  } catch (error) {
    console.log(`rollback: ${(error as Error).message}`);
    throw error;
  }
  store.clear();
  for (const [key, value] of draft) store.set(key, value);
  console.log("commit");
});

/**
 * The same transaction for `using`, whose exit is never shown the block's
 * error (a disposer gets no arguments): the exit only throws the draft away,
 * unless the block committed it as its last step.
 */
export const draft = contextManager(function* draft(store: Store) {
  const changes = new Map(store);
  let committed = false;
  try {
    yield {
      changes,
      commit(): void {
        store.clear();
        for (const [key, value] of changes) store.set(key, value);
        committed = true;
        console.log("commit");
      },
    };
  } finally {
    if (!committed) console.log("discarded");
  }
});

/** Takes `count` of `item` out of `store`, or fails. */
function take(store: Store, item: string, count: number): void {
  const left = (store.get(item) ?? 0) - count;
  if (left < 0) throw new Error(`not enough ${item}`);
  store.set(item, left);
}

/** The tutorial's `Manager` class: `__enter__`/`__exit__` as methods. */
export class Manager {
  /** Runs before the block; returns its value. */
  enter(): string {
    console.log("entering");
    return "value";
  }

  /** Runs after the block, with its error if it failed; `true` handles it. */
  exit(error?: unknown): boolean | void {
    if (error === undefined) {
      console.log("exiting");
      return;
    }
    console.log(`exiting, handling ${(error as Error).message}`);
    return true;
  }
}

/** A connection whose close takes time, for the task below. */
const connect = asyncContextManager(async function* connect(name: string) {
  console.log(`open ${name}`);
  try {
    yield name;
  } finally {
    await sleep(5);
    console.log(`closed ${name}`);
  }
});

/** Runs every example. */
export async function main(): Promise<void> {
  {
    using _ = timethis("counting");
    let n = 20_000_000;
    while (n > 0) n -= 1;
  }

  let kept = "";
  {
    using dir = tempdir();
    Deno.writeTextFileSync(`${dir.value}/notes.txt`, "generators!");
    kept = dir.value;
    console.log(
      `tempdir holds ${Array.from(Deno.readDirSync(kept)).length} file`,
    );
  }
  console.log(`tempdir removed: ${!existsSync(kept)}`);

  const lock = new Lock();
  try {
    using _held = lock.hold();
    console.log(`inside: locked ${lock.locked}`);
    throw new Error("the block failed");
  } catch (error) {
    console.log(`after ${(error as Error).message}: locked ${lock.locked}`);
  }

  const store: Store = new Map([["apples", 3]]);
  withContext(transaction(store), (draft) => draft.set("pears", 2));
  try {
    withContext(transaction(store), (draft) => {
      draft.set("apples", 0);
      throw new Error("out of stock");
    });
  } catch {
    // The transaction rolled back and let the error through.
  }
  console.log(`store: ${JSON.stringify(Object.fromEntries(store))}`);

  {
    using tx = draft(store);
    take(tx.value.changes, "apples", 1);
    tx.value.commit(); // the last step: reached only if the others succeeded
  }
  try {
    using tx = draft(store);
    take(tx.value.changes, "apples", 1);
    take(tx.value.changes, "plums", 1);
    tx.value.commit();
  } catch (error) {
    console.log((error as Error).message);
  }
  console.log(`store: ${JSON.stringify(Object.fromEntries(store))}`);

  withContext(new Manager(), (value) => console.log(`with ${value}`));
  withContext(new Manager(), () => {
    throw new Error("a problem");
  });

  // Inside a task, where `await using` is not available: cancelling the
  // task exits the async manager and waits for its close.
  const inside = new Future<void>();
  const task = startInlineFuture((function* () {
    yield* withTaskContext(connect("db"), function* (name) {
      console.log(`using ${name}`);
      inside.setResult(undefined);
      yield* sleep(60_000);
    });
  })());
  await inside;
  task.cancel();
  try {
    await task;
  } catch (error) {
    console.log(`task: ${(error as Error).name}`);
  }
}

function existsSync(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

if (import.meta.main) await main();
