// Copyright 2026 the @frontier/generators authors. MIT license.
// A batch of one task whose values JSON keeps exactly goes to its worker as
// a JSON string. Deno copies a short string across threads without V8's
// serializer, which costs more than the rest of a tiny task's trip: for the
// task sent one at a time, that is a tenth of the round trip.

/** Batches of more entries than this go as they are. */
const MAX_VALUES = 16;
/**
 * Strings longer than this go as they are: structured clone copies a long
 * string faster than JSON escapes and parses it, and JSON would make a
 * string of control characters six times longer, past V8's limit.
 */
const MAX_STRING_LENGTH = 4096;

/**
 * `message` as a JSON string, if it is short and holds only values that
 * JSON keeps exactly (finite numbers but -0, short strings, booleans,
 * `null`, and arrays of those one level down); `undefined` otherwise.
 */
export function compactMessage(message: unknown[]): string | undefined {
  if (message.length > MAX_VALUES) return undefined;
  for (let i = 0; i < message.length; i++) {
    const value = message[i];
    if (Array.isArray(value)) {
      if (value.length > MAX_VALUES) return undefined;
      for (let j = 0; j < value.length; j++) {
        if (!keptByJson(value[j])) return undefined;
      }
    } else if (!keptByJson(value)) return undefined;
  }
  return JSON.stringify(message);
}

function keptByJson(value: unknown): boolean {
  switch (typeof value) {
    case "string":
      return (value as string).length <= MAX_STRING_LENGTH;
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0);
    default:
      return value === null;
  }
}
