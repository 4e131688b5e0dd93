// Copyright 2026 the @frontier/generators authors. MIT license.
// Names a value for an error message: what it is and, briefly, what it holds.

const GeneratorFunction = Object.getPrototypeOf(function* () {}).constructor;
const AsyncGeneratorFunction =
  Object.getPrototypeOf(async function* () {}).constructor;
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;

/** Whether `value` is a generator function (`function*`). */
export function isGeneratorFunction(
  value: unknown,
): value is (...args: never[]) => Generator {
  return value instanceof GeneratorFunction;
}

/** Whether `value` is an async generator function (`async function*`). */
export function isAsyncGeneratorFunction(value: unknown): boolean {
  return value instanceof AsyncGeneratorFunction;
}

/** Whether `value` is an async function (`async function`, or `async () =>`). */
export function isAsyncFunction(value: unknown): boolean {
  return value instanceof AsyncFunction;
}

/** Whether `value` looks like a generator object (has `next` and `throw`). */
export function isGeneratorLike(value: unknown): value is Generator {
  return typeof value === "object" && value !== null &&
    typeof (value as Generator).next === "function" &&
    typeof (value as Generator).throw === "function";
}

/** Whether `value` is an async generator object. */
export function isAsyncGenerator(value: unknown): boolean {
  return typeof value === "object" && value !== null &&
    Symbol.asyncIterator in value && !(Symbol.iterator in value);
}

/** Whether `value` has a callable `then`. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as PromiseLike<unknown>).then === "function";
}

function shortString(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Describes `value` for an error message, e.g. `42 (a number)`, `"abc" (a
 * string)`, `the async function load`, `a Promise`, `an object of class Foo`.
 */
export function describe(value: unknown): string {
  switch (typeof value) {
    case "undefined":
      return "undefined";
    case "number":
    case "bigint":
    case "boolean":
      return `${String(value)}${
        typeof value === "bigint" ? "n" : ""
      } (a ${typeof value})`;
    case "string":
      return `${JSON.stringify(shortString(value))} (a string)`;
    case "symbol":
      return `${String(value)} (a symbol)`;
    case "function": {
      const name = value.name ? ` ${value.name}` : " (anonymous)";
      if (value instanceof GeneratorFunction) {
        return `the generator function${name}`;
      }
      if (value instanceof AsyncGeneratorFunction) {
        return `the async generator function${name}`;
      }
      if (value instanceof AsyncFunction) return `the async function${name}`;
      if (/^class[\s{]/.test(Function.prototype.toString.call(value))) {
        return `the class${name}`;
      }
      return `the function${name}`;
    }
  }
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (value instanceof Promise) return "a Promise";
  if (value instanceof Error) {
    return `an error (${value.name}: ${shortString(value.message)})`;
  }
  const tag = Object.prototype.toString.call(value).slice(8, -1);
  if (tag === "Generator") return "a generator object";
  if (tag === "AsyncGenerator") return "an async generator object";
  const ctor = (value as { constructor?: { name?: string } }).constructor;
  const name = ctor === Object ? undefined : ctor?.name;
  if (name) {
    return `an object of class ${name}${
      isThenable(value) ? " (promise-like)" : ""
    }`;
  }
  if (isThenable(value)) return "a thenable (promise-like) object";
  return ctor === Object || ctor === undefined ? "a plain object" : "an object";
}
