// Copyright 2026 the @frontier/generators authors. MIT license.
// What the pool and its workers share: message codes, the states of a task's
// slot in the shared array, and errors as plain data.
//
// Messages are arrays, not objects: structured clone copies them faster, and
// a batch of tasks is one flat array, not an array of objects.

import { describe } from "./_describe.ts";

// Main thread -> worker.
/** `[INIT, states, moduleUrl | null]`: the first message. */
export const INIT = 0;
/** `[RUN, ...entries]`, `ENTRY_SIZE` values per task, in one flat array. */
export const RUN = 1;

// Worker -> main thread.
/** `[READY]`: the worker is listening and its module, if any, is loaded. */
export const READY = 2;
/** `[RESULTS, ...results]`, `RESULT_SIZE` values per task, in one flat array. */
export const RESULTS = 3;
/** `[CRASHED, error, results]`: an uncaught error; the worker closes. */
export const CRASHED = 4;
/** `[CLOSED, results]`: the worker's code called `close()` or `Deno.exit()`. */
export const CLOSED = 5;

// A task in a RUN batch: slot, key, source, mode, args.
export const ENTRY_SIZE = 5;
/** Mode of an entry: call the function with the arguments. */
export const MODE_CALL = 0;
/** Mode of an entry: `args[0]` is a chunk of items, call the function on each. */
export const MODE_CHUNK = 1;

// A result: slot, status, value, cost in milliseconds.
export const RESULT_SIZE = 4;
export const STATUS_OK = 0;
/** The value is a `SerializedError`. */
export const STATUS_ERROR = 1;
/** The task was cancelled before it started, and skipped. */
export const STATUS_SKIPPED = 2;
/** The task (a generator) ended cancelled; the value is a message. */
export const STATUS_CANCELLED = 3;

// States of a slot in the shared `Int32Array`. The main thread and the
// worker move a slot on with compare-and-exchange, so exactly one of them
// decides whether a task starts, and whether a running task is killed.
export const FREE = 0;
/** Handed to the worker, not started: the main thread may still cancel it. */
export const PENDING = 1;
/** Started by the worker. */
export const STARTED = 2;
/** Finished by the worker; its result is on its way. */
export const FINISHED = 3;
/** Cancelled by the main thread before it started: the worker skips it. */
export const CANCELLED = 4;
/** Running when the main thread decided to terminate the worker. */
export const KILLED = 5;

/** How many tasks one worker holds at most (slots in its shared array). */
export const MAX_IN_FLIGHT = 128;

/** An error as plain, cloneable data. */
export interface SerializedError {
  /** `true` for an `Error` (or `DOMException`); `false` for another thrown value. */
  isError: boolean;
  /** The thrown value itself, when it was not an error. */
  value?: unknown;
  name: string;
  message: string;
  stack?: string;
  /** Whether it was a `DOMException` (which keeps its name as its type). */
  dom?: boolean;
  cause?: SerializedError;
  hasCause?: boolean;
  /** The errors of an `AggregateError`. */
  errors?: SerializedError[];
  /** Other own properties that could be cloned, e.g. `code`. */
  props?: Record<string, unknown>;
}

const SKIPPED_PROPS = new Set(["name", "message", "stack", "cause", "errors"]);

function cloneable(value: unknown): boolean {
  if (value === null || typeof value !== "object") {
    return typeof value !== "function" && typeof value !== "symbol";
  }
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

/** Turns anything thrown into cloneable data, keeping what it can. */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error) && !(error instanceof DOMException)) {
    return {
      isError: false,
      value: cloneable(error) ? error : describe(error),
      name: "",
      message: "",
    };
  }
  const out: SerializedError = {
    isError: true,
    name: String(error.name),
    message: String(error.message),
    stack: typeof error.stack === "string" ? error.stack : undefined,
  };
  if (error instanceof DOMException) out.dom = true;
  // Deep causes are cut off: a cycle of causes must not loop forever.
  if (depth < 8) {
    if ("cause" in error) {
      out.hasCause = true;
      out.cause = serializeError(error.cause, depth + 1);
    }
    if (error instanceof AggregateError && Array.isArray(error.errors)) {
      out.errors = error.errors.map((e) => serializeError(e, depth + 1));
    }
  }
  for (const key of Object.keys(error)) {
    if (SKIPPED_PROPS.has(key)) continue;
    const value = (error as unknown as Record<string, unknown>)[key];
    if (!cloneable(value)) continue;
    out.props ??= {};
    out.props[key] = value;
  }
  return out;
}

const BUILTIN_ERRORS: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/**
 * Rebuilds an error from {@linkcode serializeError}: the same built-in class
 * where there is one (or a class from `classes`, by name), else an `Error`
 * with the original name; same message, stack, cause and properties.
 */
export function deserializeError(
  data: SerializedError,
  classes: Record<string, new (message: string) => Error> = {},
): unknown {
  if (!data.isError) return data.value;
  let error: Error;
  if (data.dom) {
    error = new DOMException(data.message, data.name) as unknown as Error;
  } else if (data.errors !== undefined) {
    error = new AggregateError(
      data.errors.map((e) => deserializeError(e, classes)),
      data.message,
    );
  } else {
    const Class = classes[data.name] ?? BUILTIN_ERRORS[data.name] ?? Error;
    error = new Class(data.message);
  }
  if (!data.dom && error.name !== data.name) {
    Object.defineProperty(error, "name", {
      value: data.name,
      configurable: true,
      writable: true,
    });
  }
  if (data.stack !== undefined) {
    Object.defineProperty(error, "stack", {
      value: data.stack,
      configurable: true,
      writable: true,
    });
  }
  if (data.hasCause) {
    Object.defineProperty(error, "cause", {
      value: data.cause === undefined
        ? undefined
        : deserializeError(data.cause, classes),
      configurable: true,
      writable: true,
    });
  }
  if (data.props !== undefined) Object.assign(error, data.props);
  return error;
}
