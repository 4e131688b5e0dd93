// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * Generators as control flow, after David Beazley's tutorial "Generators: The
 * Final Frontier": one small {@linkcode Future} shared by everything, and
 * generator-driven {@linkcode Task}s that wait on futures with `yield*`.
 *
 * ```ts
 * import { runInlineFuture, sleep } from "@frontier/generators";
 * import assert from "node:assert/strict";
 *
 * function* doFunc(x: number, y: number) {
 *   const result = yield* sleep(1, x + y);
 *   return result;
 * }
 * assert.equal(await runInlineFuture(doFunc(2, 3)), 5);
 * ```
 *
 * @module
 */

export * from "./future.ts";
export * from "./task.ts";
export * from "./scope.ts";
export * from "./context.ts";
export * from "./executor.ts";
export * from "./worker_pool.ts";
export * from "./actor.ts";
export * from "./sync.ts";
export * from "./queue.ts";
export * from "./compiler/mod.ts";
