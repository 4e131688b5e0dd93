// Copyright 2026 the @frontier/generators authors. MIT license.
// Values on the wire: V8's serialization (what `structuredClone` does, so a
// `Map`, a `Date`, a typed array or a `BigInt` survives) to bytes and back,
// with a size limit, and errors as the plain data of `_core/error_clone.ts`,
// so that they keep their class name, stack and cause. Shared by the executor
// on NATS and, later, by actors on NATS.
//
// Bytes from the network are not trusted: `decode` throws a `TypeError` for
// anything that is not a value this module encoded, and never anything else.

import { DefaultDeserializer, DefaultSerializer } from "node:v8";
import { Buffer } from "node:buffer";
import { describe } from "../_core/describe.ts";
import {
  deserializeError,
  type SerializedError,
  serializeError,
} from "../_core/error_clone.ts";

/** The largest value that crosses, once encoded: 64 MiB. */
export const MAX_VALUE_BYTES = 64 * 1024 * 1024;

// Typed arrays come back as views into the message's buffer; copying each
// into its own buffer gives what `structuredClone` gives (and lets the
// message's buffer go).
// (`_readHostObject` is Node's documented hook, missing from its types.)
class CopyingDeserializer extends DefaultDeserializer {
  _readHostObject(): unknown {
    const read = DefaultDeserializer.prototype as unknown as {
      _readHostObject(this: DefaultDeserializer): ArrayBufferView;
    };
    const view = read._readHostObject.call(this);
    const start = view.byteOffset;
    const copy = view.buffer.slice(start, start + view.byteLength);
    if (view instanceof DataView) return new DataView(copy);
    const Class = view.constructor as new (buffer: ArrayBuffer) => unknown;
    return new Class(copy as ArrayBuffer);
  }
}

/**
 * Encodes `value` with structured-clone semantics.
 *
 * @throws {DOMException} A `DataCloneError` for a value that cannot be
 * cloned (a function, a symbol, a class instance with private state).
 */
export function encode(value: unknown): Uint8Array {
  const serializer = new DefaultSerializer();
  serializer.writeHeader();
  try {
    serializer.writeValue(value);
  } catch (error) {
    throw new DOMException(
      error instanceof Error ? error.message : String(error),
      "DataCloneError",
    );
  }
  return serializer.releaseBuffer();
}

/**
 * Decodes bytes from {@linkcode encode}.
 *
 * @throws {TypeError} For bytes that are not an encoded value.
 */
export function decode(bytes: Uint8Array): unknown {
  try {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    const deserializer = new CopyingDeserializer(buffer);
    deserializer.readHeader();
    return deserializer.readValue();
  } catch (error) {
    throw new TypeError(
      `Cannot decode a message: its ${bytes.length} bytes are not a value encoded by @frontier/generators (${
        error instanceof Error ? error.message : describe(error)
      })`,
    );
  }
}

/** Encodes a thrown value: an error keeps its class name, stack and cause. */
export function encodeError(error: unknown): Uint8Array {
  const data = serializeError(error);
  try {
    return encode(data);
  } catch {
    // A field of the error that V8 cannot copy after all: keep the rest.
    return encode({ ...data, props: undefined, value: describe(error) });
  }
}

/**
 * Decodes an error from {@linkcode encodeError}; `classes` rebuilds this
 * package's errors by name.
 *
 * @throws {TypeError} For bytes that are not an encoded error.
 */
export function decodeError(
  bytes: Uint8Array,
  classes: Record<string, new (message: string) => Error>,
): unknown {
  const data = decode(bytes);
  if (!isSerializedError(data, 0)) {
    throw new TypeError(
      `Cannot decode an error: got ${describe(data)}, not an encoded error`,
    );
  }
  return deserializeError(data as SerializedError, classes);
}

function isSerializedError(
  data: unknown,
  depth: number,
): data is SerializedError {
  if (typeof data !== "object" || data === null || depth > 16) return false;
  const error = data as SerializedError;
  if (typeof error.isError !== "boolean") return false;
  if (!error.isError) return true;
  if (typeof error.name !== "string" || typeof error.message !== "string") {
    return false;
  }
  if (error.stack !== undefined && typeof error.stack !== "string") {
    return false;
  }
  if (error.cause !== undefined && !isSerializedError(error.cause, depth + 1)) {
    return false;
  }
  if (error.errors !== undefined) {
    if (!Array.isArray(error.errors)) return false;
    if (!error.errors.every((e) => isSerializedError(e, depth + 1))) {
      return false;
    }
  }
  return error.props === undefined ||
    (typeof error.props === "object" && error.props !== null);
}

/** Formats a byte count for messages: `65.0 MiB`, `12 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
