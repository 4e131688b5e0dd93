// Copyright 2026 the @frontier/generators authors. MIT license.
// The options of a WorkerPool, checked, with their defaults filled in.

import { getHeapStatistics } from "node:v8";
import { checkCount } from "../_core/checks.ts";
import { describe } from "../_core/describe.ts";
import type { WorkerPoolOptions } from "../worker_pool.ts";
import { MAX_IN_FLIGHT } from "./pool_protocol.ts";

const ACTION = "create a WorkerPool";

/** `WorkerPoolOptions`, checked and complete. */
export interface PoolSettings {
  maxWorkers: number;
  minWorkers: number;
  maxQueue: number;
  idleTimeout: number;
  moduleUrl: string | null;
  name: string;
  /** Megabytes of heap per worker. */
  heapLimit: number;
  /** `undefined`: the pool decides from what tasks cost. */
  tasksPerWorker: number | undefined;
}

/**
 * Checks `options` and fills in the defaults.
 *
 * @throws {RangeError} For counts that are not whole numbers in range.
 * @throws {TypeError} For a `module` that is not an absolute URL.
 */
export function poolSettings(options: WorkerPoolOptions): PoolSettings {
  const maxWorkers = checkCount(
    options.maxWorkers ?? Math.max(1, navigator.hardwareConcurrency ?? 1),
    { action: ACTION, name: "option maxWorkers", min: 1 },
  );
  const minWorkers = checkCount(options.minWorkers ?? 0, {
    action: ACTION,
    name: "option minWorkers",
  });
  if (minWorkers > maxWorkers) {
    throw new RangeError(
      `Cannot ${ACTION}: option minWorkers (${minWorkers}) is more than maxWorkers (${maxWorkers}); lower minWorkers or raise maxWorkers`,
    );
  }
  const maxQueue = checkCount(options.maxQueue ?? Infinity, {
    action: ACTION,
    name: "option maxQueue",
    infinite: true,
  });
  const idle = options.idleTimeout ?? 10_000;
  if (typeof idle !== "number" || !(idle >= 0)) {
    throw new RangeError(
      `Cannot ${ACTION}: option idleTimeout must be a number of milliseconds >= 0, got ${
        describe(idle)
      }; leave it out for the default of 10 000`,
    );
  }
  return {
    maxWorkers,
    minWorkers,
    maxQueue,
    idleTimeout: idle,
    moduleUrl: options.module === undefined
      ? null
      : moduleUrlOf(options.module),
    name: options.name ?? "WorkerPool",
    heapLimit: options.heapLimit === undefined
      ? defaultHeapLimit()
      : checkCount(options.heapLimit, {
        action: ACTION,
        name: "option heapLimit",
        min: 1,
      }),
    tasksPerWorker: options.tasksPerWorker === undefined ? undefined : Math.min(
      checkCount(options.tasksPerWorker, {
        action: ACTION,
        name: "option tasksPerWorker",
        min: 1,
      }),
      MAX_IN_FLIGHT,
    ),
  };
}

function moduleUrlOf(module: unknown): string {
  if (typeof module !== "string" && !(module instanceof URL)) {
    throw new TypeError(
      `Cannot ${ACTION}: option module must be a URL or a URL string, got ${
        describe(module)
      }; pass new URL("./tasks.ts", import.meta.url)`,
    );
  }
  const text = String(module);
  if (!URL.canParse(text)) {
    const quoted = JSON.stringify(text);
    throw new TypeError(
      `Cannot ${ACTION}: option module must be an absolute URL, got ${quoted}, and a relative path has nothing to be relative to here; pass new URL(${quoted}, import.meta.url) or import.meta.resolve(${quoted})`,
    );
  }
  return text;
}

/**
 * The heap limit of this isolate, in megabytes: what V8 gives a worker
 * anyway, now as a limit the worker dies of instead of aborting the process.
 */
function defaultHeapLimit(): number {
  return Math.max(1, Math.floor(getHeapStatistics().heap_size_limit / 2 ** 20));
}
