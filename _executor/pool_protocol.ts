// Copyright 2026 the @frontier/generators authors. MIT license.
// What the pool and its workers share: message codes, the states of a task's
// slot in the shared array, and errors as plain data.
//
// Messages are arrays, not objects: structured clone copies them faster, and
// a batch of tasks is one flat array, not an array of objects.

// Main thread -> worker.
/** `[INIT, states, activity, moduleUrl | null]`: the first message. */
export const INIT = 0;
/** `[RUN, ...entries]`, `ENTRY_SIZE` values per task, in one flat array. */
export const RUN = 1;
/**
 * `[RUN_DEFERRED, ...entries]`: a batch run from a macrotask, for tasks
 * expected to take a while. In Deno 2.9 a thread that reaches its heap limit
 * inside a message handler stops without telling the main thread; from a
 * macrotask it reports it. A macrotask costs tens of microseconds, so tiny
 * tasks run in the handler.
 */
export const RUN_DEFERRED = 6;
/** Tasks expected to take this many milliseconds or more run deferred. */
export const DEFER_MS = 1;
/**
 * `[STOP]`: the worker closes as soon as its event loop is free. A worker
 * that cannot be halted yet (see _core/halt_lock.ts) ends this way, and its `exit`
 * event says when.
 */
export const STOP = 7;

// Worker -> main thread.
/**
 * `[READY, haltable]`: the worker is listening, its module, if any, is
 * loaded, and `haltable` says whether `terminate()` stops its running code
 * (see _core/halt_lock.ts).
 */
export const READY = 2;
/** `[RESULTS, ...results]`, `RESULT_SIZE` values per task, in one flat array. */
export const RESULTS = 3;
/** `[CRASHED, error, results]`: an uncaught error; the worker closes. */
export const CRASHED = 4;
/** `[CLOSED, results]`: the worker's code called `close()` or `Deno.exit()`. */
export const CLOSED = 5;
/**
 * `[FOREIGN, message]`: a message the worker's own code posted, which the
 * pool ignores.
 */
export const FOREIGN = 8;

// A task in a RUN batch: slot, key, source, mode, args, deadline (the
// `Date.now()` by which its timeout passes, or 0 for none).
export const ENTRY_SIZE = 6;
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
/**
 * The task's deadline passed while its synchronous part ran, and the worker
 * interrupted it there (or it passed before the task could start).
 */
export const STATUS_TIMED_OUT = 4;

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
/**
 * Where, after the slots, the worker counts the RUN messages it has
 * received: a worker that does not count up the batches sent to it is not
 * listening, or its event loop is blocked outside any task.
 */
export const RECEIVED = MAX_IN_FLIGHT;
/**
 * Where the worker notes the slot (plus one; 0 when none) of the result it
 * sent as a bare value: a batch of one result whose value is a primitive
 * goes as that value alone, which structured clone copies several times
 * faster than an array. Its cost is in `activity[COST]`. The worker sends
 * such a value only while none is noted, and the main thread clears the
 * note once it has read it, so each note belongs to one message.
 */
export const BARE_RESULT = MAX_IN_FLIGHT + 1;
/** A value that can go as a bare result: never an array, always copyable. */
export type BareValue = string | number | boolean | undefined | null;

/** Whether `value` can go as a bare result. */
export function isBareValue(value: unknown): value is BareValue {
  const type = typeof value;
  return value === null || type === "number" || type === "string" ||
    type === "boolean" || type === "undefined";
}

/** The length of the shared `Int32Array`: the slots, `RECEIVED`, `BARE_RESULT`. */
export const STATES_LENGTH = MAX_IN_FLIGHT + 2;
/**
 * In the shared `Float64Array` `activity`: the time (`Date.now()`) at which
 * the worker last began a task or a batch, so that the main thread can tell
 * a worker stuck in a long task from a busy one.
 */
export const LAST_ACTIVE = 0;
/** In `activity`: the cost in milliseconds of the bare result. */
export const COST = 1;
/** The length of the shared `Float64Array` `activity`. */
export const ACTIVITY_LENGTH = 2;

export {
  deserializeError,
  type SerializedError,
  serializeError,
} from "../_core/error_clone.ts";
