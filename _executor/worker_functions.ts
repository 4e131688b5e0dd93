// Copyright 2026 the @frontier/generators authors. MIT license.
// Inside a WorkerPool worker: compiling the sources of submitted functions,
// and the errors of a task whose function cannot be found or cannot run as
// written. Apart from the worker script so that it keeps to its hot path;
// everything here runs once per function, or when a task fails.

import { transfer } from "./transfer.ts";

type AnyFunction = (...args: unknown[]) => unknown;

/**
 * Compiles the source of a submitted function.
 *
 * @returns The function, or the error to fail its tasks with.
 */
export function compile(source: string): AnyFunction | Error {
  try {
    // `transfer` is in scope, so a submitted function can use it unimported.
    const fn = new Function(
      "transfer",
      `"use strict";\nreturn (${source}\n);`,
    )(transfer);
    if (typeof fn === "function") return fn;
  } catch (error) {
    return new SyntaxError(
      `Cannot submit: the function could not be compiled in the worker from its source (${
        (error as Error).message
      }); its source was: ${source.slice(0, 200)}`,
      { cause: error },
    );
  }
  return new TypeError(
    `Cannot submit: the source sent to the worker is not a function: ${
      source.slice(0, 200)
    }`,
  );
}

/** The error of a task whose function's key names no compiled source. */
export function missingSourceError(): Error {
  return new Error(
    "Cannot run the task: its function arrived without its source (an internal error of WorkerPool)",
  );
}

/**
 * The error of calling the export `key` of the pool's module, at
 * `moduleUrl`, which is not loaded: the pool has none, or it failed to load
 * with `moduleError`.
 */
export function noModuleError(
  key: string,
  moduleUrl: string | null,
  moduleError: unknown,
): TypeError {
  if (moduleUrl === null) {
    return new TypeError(
      `Cannot call ${
        JSON.stringify(key)
      }: this pool has no module to run exports of; make it with new WorkerPool({ module: new URL("./tasks.ts", import.meta.url) })`,
    );
  }
  return new TypeError(
    `Cannot call ${
      JSON.stringify(key)
    }: the pool's module ${moduleUrl} failed to load in the worker: ${
      moduleError instanceof Error ? moduleError.message : String(moduleError)
    }`,
    { cause: moduleError },
  );
}

/**
 * The error of calling the export `key` of the pool's module, at
 * `moduleUrl`, which has no function of that name among its `exports`.
 */
export function noExportError(
  key: string,
  moduleUrl: string | null,
  exports: Record<string, unknown>,
): TypeError {
  const names = Object.keys(exports).filter((name) =>
    typeof exports[name] === "function"
  );
  return new TypeError(
    `Cannot call ${
      JSON.stringify(key)
    }: the pool's module ${moduleUrl} has no ${
      Object.hasOwn(exports, key) ? "function " : ""
    }export named ${JSON.stringify(key)}; its function exports are: ${
      names.length > 0 ? names.join(", ") : "(none)"
    }`,
  );
}

/**
 * A submitted function that reads a variable from around it, where it was
 * written, fails in the worker with "x is not defined": says why, and what
 * to do. Other errors, and those of a module's exports, are kept.
 */
export function explain(error: unknown, key: number | string): unknown {
  if (typeof key !== "number" || !(error instanceof ReferenceError)) {
    return error;
  }
  const match = /^(\S+) is not defined$/.exec(error.message);
  if (match === null) return error;
  const name = match[1];
  const better = new ReferenceError(
    `${name} is not defined in the worker: a function given to submit() is sent as source code and runs in another isolate, so it cannot use variables from the code around it (here \`${name}\`). Pass ${name} as an argument, or export the function from a module and run it with new WorkerPool({ module }) and pool.call("name", ...args)`,
    { cause: error },
  );
  const frames = (error.stack ?? "").split("\n").slice(1).join("\n");
  better.stack = `ReferenceError: ${better.message}\n${frames}`;
  return better;
}
