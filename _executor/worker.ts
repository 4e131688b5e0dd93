// Copyright 2026 the @frontier/generators authors. MIT license.
// The script each WorkerPool worker runs (in a `node:worker_threads` thread,
// which has a Web Worker's globals). It receives batches of tasks, runs
// each one that the main thread has not cancelled in the meantime (decided
// with compare-and-exchange on a shared array, so a task starts at most
// once), and posts results back in batches. A generator function runs as a
// Task here, so it can `yield*` futures inside the worker.
//
// If the worker's own code calls `close()` or `Deno.exit()`, or an error goes
// uncaught, it tells the main thread before it stops, so the main thread can
// fail the tasks that were running here, rerun those that never started, and
// start a new worker.

import {
  describe,
  isAsyncGenerator,
  isGeneratorLike,
  isThenable,
} from "../_core/describe.ts";
import {
  BARE_RESULT,
  CLOSED,
  COST,
  CRASHED,
  ENTRY_SIZE,
  FINISHED,
  FOREIGN,
  INIT,
  isBareValue,
  LAST_ACTIVE,
  MODE_CHUNK,
  PENDING,
  READY,
  RECEIVED,
  RESULT_SIZE,
  RESULTS,
  RUN,
  RUN_DEFERRED,
  serializeError,
  STARTED,
  STATUS_CANCELLED,
  STATUS_ERROR,
  STATUS_OK,
  STATUS_SKIPPED,
  STATUS_TIMED_OUT,
  STOP,
} from "./pool_protocol.ts";
import { unwrapTransfer } from "./transfer.ts";
import { callBounded, TIMED_OUT } from "./bounded_call.ts";
import {
  compile,
  explain,
  missingSourceError,
  noExportError,
  noModuleError,
} from "./worker_functions.ts";
import { holdHaltLock } from "../_core/halt_lock.ts";
import {
  type Batch,
  type MessageTarget,
  type Piece,
  post,
  postBatch,
} from "../_core/post_batch.ts";
import { parentPort } from "node:worker_threads";
import { Future } from "../future.ts";
import { Task } from "../task.ts";

interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  close(): void;
  addEventListener(type: string, listener: (event: Event) => void): void;
}

type AnyFunction = (...args: unknown[]) => unknown;

const scope = globalThis as unknown as WorkerScope;
const realClose = scope.close.bind(scope);
// The pool's own way to the main thread. Messages the worker's code posts
// (with `postMessage` or `parentPort`) go wrapped as `[FOREIGN, message]`,
// which the pool ignores: a primitive one would otherwise pass for a bare
// result (see BARE_RESULT), and an array one for a batch of results.
const port: MessageTarget = { postMessage: scope.postMessage.bind(scope) };
(globalThis as { postMessage?: unknown }).postMessage = function postMessage(
  message: unknown,
  transfer?: Transferable[] | StructuredSerializeOptions,
): void {
  port.postMessage([FOREIGN, message], transferList(transfer));
};
if (parentPort !== null) {
  parentPort.postMessage = function postMessage(
    message: unknown,
    transfer?: Transferable[] | StructuredSerializeOptions,
  ): void {
    port.postMessage([FOREIGN, message], transferList(transfer));
  } as typeof parentPort.postMessage;
}

function transferList(
  transfer: Transferable[] | StructuredSerializeOptions | undefined,
): Transferable[] | undefined {
  return Array.isArray(transfer) ? transfer : transfer?.transfer;
}

// Code written for Web Workers says `self`, which a thread of
// node:worker_threads lacks: the pool's modules and functions keep it.
(globalThis as { self?: unknown }).self ??= globalThis;

// `activity` holds `Date.now()` times; this makes them from the clock the
// worker reads anyway.
const ORIGIN = performance.timeOrigin;

/** After this many milliseconds of running a batch, results are sent early. */
const FLUSH_MS = 1;

let states: Int32Array;
let activity: Float64Array;
let moduleUrl: string | null = null;
let moduleExports: Record<string, unknown> | undefined;
let moduleError: unknown;

// Submitted functions by id, compiled once; a compile error is kept too.
const compiled = new Map<number, AnyFunction | Error>();

// Results not posted yet: RESULT_SIZE values each, the objects to transfer,
// and each result's own transfer list (by result index) for the fallback.
let out: unknown[] = [RESULTS];
let outTransfer: Transferable[] = [];
let outLists: (Transferable[] | undefined)[] = [];
let flushQueued = false;
let inBatch = false;
let closing = false;
// Batches received and not run yet: deferred ones run from a macrotask (see
// RUN_DEFERRED), and those received after them wait their turn.
let inbox: unknown[][] = [];
let runQueued = false;

// The results being posted, as `postBatch` takes them, made once. If the
// batch is refused, the results go one by one, and one that cannot be
// cloned goes as an error instead, rather than losing the whole batch.
class ResultBatch implements Batch<unknown[]> {
  message: unknown[] = [];
  transfer: Transferable[] | undefined = undefined;
  // Each result's own transfer list, by result index.
  lists: (Transferable[] | undefined)[] = [];

  *pieces(): Iterable<Piece<unknown[]>> {
    const results = this.message;
    for (let i = 1; i < results.length; i += RESULT_SIZE) {
      const one = [RESULTS, ...results.slice(i, i + RESULT_SIZE)];
      yield [one, one, this.lists[(i - 1) / RESULT_SIZE]];
    }
  }

  refused(one: unknown[], error: unknown): void {
    one[2] = STATUS_ERROR;
    one[3] = serializeError(
      new DOMException(
        `Cannot return the task's result: it could not be copied back from the worker (${
          error instanceof Error ? error.message : describe(error)
        }); return data that structured clone can copy (no functions, symbols or class instances with private state)`,
        "DataCloneError",
      ),
    );
    post(port, one);
  }
}

const batch = new ResultBatch();

// A listener, not `onmessage`: code that sets `onmessage = null` must not
// leave the worker deaf to the pool.
scope.addEventListener("message", (event: Event) => {
  const data = (event as MessageEvent).data;
  // A batch of one simple task comes as JSON (see compact_message.ts).
  const message =
    (typeof data === "string" ? JSON.parse(data) : data) as unknown[];
  const kind = message[0];
  if (kind === RUN || kind === RUN_DEFERRED) {
    Atomics.add(states, RECEIVED, 1);
    if (kind === RUN && !runQueued) {
      runBatch(message);
      return;
    }
    inbox.push(message);
    if (!runQueued) {
      runQueued = true;
      setImmediate(runInbox);
    }
  } else if (kind === STOP) realClose();
  else if (kind === INIT) init(message);
});

function runInbox(): void {
  runQueued = false;
  const batches = inbox;
  inbox = [];
  for (const batch of batches) runBatch(batch);
}

scope.addEventListener("error", (event) => {
  event.preventDefault();
  const { error, message } = event as ErrorEvent;
  crash(error ?? new Error(message));
});

scope.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  crash((event as PromiseRejectionEvent).reason);
});

// The worker's code closing the worker must not leave its tasks hanging.
(globalThis as { close: () => void }).close = () => closeWorker();

// Thrown by Deno.exit(), which must not return, to unwind the task that
// called it; that task then fails as its worker's death, like the others.
const EXIT = new Error("Deno.exit() was called in a WorkerPool worker");
if (typeof Deno === "object") {
  (Deno as { exit: (code?: number) => never }).exit = () => {
    closeWorker();
    throw EXIT;
  };
}

function init(message: unknown[]): void {
  states = message[1] as Int32Array;
  activity = message[2] as Float64Array;
  moduleUrl = message[3] as string | null;
  const loaded = moduleUrl === null ? undefined : import(moduleUrl).then(
    (exports) => moduleExports = exports,
    (error) => moduleError = error,
  );
  // Ready once the module is loaded and the lock that makes this thread
  // haltable is held: the pool halts only a thread that says it can be.
  Promise.all([holdHaltLock(), loaded]).then(([haltable]) =>
    post(port, [READY, haltable])
  );
}

// `entries` is [RUN, ...entries], ENTRY_SIZE values each.
function runBatch(entries: unknown[]): void {
  if (closing) return;
  inBatch = true;
  let taskStart = performance.now();
  activity[LAST_ACTIVE] = ORIGIN + taskStart;
  let lastFlush = taskStart;
  for (let i = 1; i < entries.length && !closing; i += ENTRY_SIZE) {
    const slot = entries[i] as number;
    const key = entries[i + 1] as number | string;
    const source = entries[i + 2] as string | null;
    // The first entry of a function carries its source: compile it even if
    // that entry is skipped, for the entries after it.
    if (source !== null && !compiled.has(key as number)) {
      compiled.set(key as number, compile(source));
    }
    if (Atomics.compareExchange(states, slot, PENDING, STARTED) !== PENDING) {
      // Cancelled by the main thread before it could start.
      push(slot, STATUS_SKIPPED, undefined, 0, false);
      continue;
    }
    activity[LAST_ACTIVE] = ORIGIN + taskStart;
    const chunk = entries[i + 3] === MODE_CHUNK;
    const deadline = entries[i + 5] as number;
    let value: unknown;
    let ok = true;
    try {
      const fn = resolve(key);
      const args = entries[i + 4] as unknown[];
      // A timeout interrupts the task's synchronous part where it is.
      value = deadline === 0
        ? runTask(fn, args, chunk)
        : callBounded(() => runTask(fn, args, chunk), deadline);
    } catch (error) {
      ok = false;
      value = error;
    }
    if (value === TIMED_OUT) {
      const now = performance.now();
      push(slot, STATUS_TIMED_OUT, undefined, now - taskStart, false);
      taskStart = now;
      continue;
    }
    const now = performance.now();
    settle(slot, key, chunk, ok, value, now - taskStart);
    taskStart = now;
    if (out.length > 1 && now - lastFlush >= FLUSH_MS) {
      flush();
      lastFlush = now;
    }
  }
  inBatch = false;
  flush();
  if (closing) {
    post(port, [CLOSED]);
    realClose();
  }
}

function runTask(fn: AnyFunction, args: unknown[], chunk: boolean): unknown {
  return asTask(chunk ? runChunk(fn, args[0] as unknown[]) : fn(...args));
}

function resolve(key: number | string): AnyFunction {
  if (typeof key === "number") {
    const fn = compiled.get(key) ?? missingSourceError();
    if (fn instanceof Error) throw fn;
    return fn;
  }
  if (moduleExports === undefined) {
    throw noModuleError(key, moduleUrl, moduleError);
  }
  const fn = moduleExports[key];
  if (typeof fn !== "function") {
    throw noExportError(key, moduleUrl, moduleExports);
  }
  return fn as AnyFunction;
}

// A generator object (a generator function was called) runs as a task.
function asTask(value: unknown): unknown {
  if (!isGeneratorLike(value)) return value;
  if (isAsyncGenerator(value)) {
    throw new TypeError(
      "Cannot run the task: it returned an async generator, and async generators are not tasks; use a generator function (function*) that yield*s futures, or an async function",
    );
  }
  const task = new Task(value as Generator<unknown, unknown, unknown>);
  task.step();
  return task;
}

// Runs `fn` on each item in turn; a promise of the array once one is async.
function runChunk(fn: AnyFunction, items: unknown[]): unknown {
  const results = new Array(items.length);
  for (let j = 0; j < items.length; j++) {
    const value = asTask(fn(items[j]));
    if (isThenable(value)) return finishChunk(fn, items, results, j, value);
    results[j] = value;
  }
  return results;
}

async function finishChunk(
  fn: AnyFunction,
  items: unknown[],
  results: unknown[],
  j: number,
  first: PromiseLike<unknown>,
): Promise<unknown[]> {
  results[j] = await first;
  for (j++; j < items.length; j++) results[j] = await asTask(fn(items[j]));
  return results;
}

function settle(
  slot: number,
  key: number | string,
  chunk: boolean,
  ok: boolean,
  value: unknown,
  cost: number,
): void {
  if (!ok) {
    if (value !== EXIT) {
      pushError(slot, value, key, cost);
    }
  } else if (value instanceof Future) {
    const future = value;
    if (future.done()) settleFuture(slot, key, chunk, future, cost);
    else {
      future.addDoneCallback(() =>
        settleFuture(slot, key, chunk, future, cost)
      );
    }
  } else if (isThenable(value)) {
    try {
      value.then(
        (result) => push(slot, STATUS_OK, result, cost, chunk),
        (error) => {
          if (error === EXIT) return;
          pushError(slot, error, key, cost);
        },
      );
    } catch (error) {
      pushError(slot, error, key, cost);
    }
  } else {
    push(slot, STATUS_OK, value, cost, chunk);
  }
}

/** Reports a task's error for its slot, explained and ready to clone. */
function pushError(
  slot: number,
  error: unknown,
  key: number | string,
  cost: number,
): void {
  push(slot, STATUS_ERROR, serializeError(explain(error, key)), cost, false);
}

function settleFuture(
  slot: number,
  key: number | string,
  chunk: boolean,
  future: Future<unknown>,
  cost: number,
): void {
  let value: unknown;
  try {
    value = future.result();
  } catch (error) {
    if (error === EXIT) return;
    if (future.cancelled()) {
      push(slot, STATUS_CANCELLED, (error as Error).message, cost, false);
    } else {
      pushError(slot, error, key, cost);
    }
    return;
  }
  push(slot, STATUS_OK, value, cost, chunk);
}

function push(
  slot: number,
  status: number,
  value: unknown,
  cost: number,
  chunk: boolean,
): void {
  Atomics.compareExchange(states, slot, STARTED, FINISHED);
  if (status === STATUS_OK) {
    const into: Transferable[] = [];
    if (chunk) {
      const values = value as unknown[];
      for (let j = 0; j < values.length; j++) {
        values[j] = unwrapTransfer(values[j], into);
      }
    } else value = unwrapTransfer(value, into);
    if (into.length > 0) {
      outLists[(out.length - 1) / RESULT_SIZE] = into;
      for (const item of into) outTransfer.push(item);
    }
  }
  out.push(slot, status, value, cost);
  if (!inBatch && !flushQueued) {
    flushQueued = true;
    queueMicrotask(flush);
  }
}

function flush(): void {
  flushQueued = false;
  if (out.length === 1) return;
  // One result with a primitive value goes as that value alone.
  if (
    out.length === 1 + RESULT_SIZE && out[2] === STATUS_OK &&
    isBareValue(out[3]) &&
    Atomics.compareExchange(states, BARE_RESULT, 0, (out[1] as number) + 1) ===
      0
  ) {
    activity[COST] = out[4] as number;
    const value = out[3];
    out.length = 1;
    port.postMessage(value);
    return;
  }
  batch.message = out;
  batch.transfer = outTransfer;
  batch.lists = outLists;
  out = [RESULTS];
  outTransfer = [];
  outLists = [];
  postBatch(port, batch);
  // The batch must not keep the results alive until the next one.
  batch.message = [];
  batch.transfer = undefined;
  batch.lists = [];
}

function closeWorker(): void {
  if (closing) return;
  closing = true;
  // Inside a batch, the batch stops after the current task, then closes.
  if (inBatch) return;
  flush();
  post(port, [CLOSED]);
  realClose();
}

function crash(error: unknown): void {
  if (closing) return;
  closing = true;
  flush();
  post(port, [CRASHED, serializeError(error)]);
  realClose();
}
