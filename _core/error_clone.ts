// Copyright 2026 the @frontier/generators authors. MIT license.
// Errors as plain data that survives structured clone, so that an error
// crosses a Worker boundary with its name, message, stack, cause, the errors
// of an AggregateError and its other cloneable fields. Used by the worker pool
// and by actors in Workers.

import { describe } from "./describe.ts";

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
  /** Other own fields, e.g. `code`; those that cannot be cloned, as descriptions. */
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
    out.props ??= {};
    // A field that cannot be cloned crosses as its description.
    out.props[key] = cloneable(value) ? value : describe(value);
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
