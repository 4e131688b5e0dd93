// Copyright 2026 the @frontier/generators authors. MIT license.
// The options of an actor system, checked, with their defaults filled in;
// among them the default `onError`, which reports like an uncaught error.

import { describe } from "../_core/describe.ts";
import { checkCount, checkMilliseconds } from "../_core/checks.ts";
import { reportLater } from "../_core/scheduler.ts";
import type { ActorErrorInfo, ActorSystemOptions } from "../actor.ts";
import { ActorError } from "./error.ts";

const DEFAULT_BATCH_SIZE = 1024;
const DEFAULT_STOP_TIMEOUT = 5000;

/** {@linkcode ActorSystemOptions}, checked and complete. */
export interface SystemOptions {
  onError: (error: unknown, info: ActorErrorInfo) => void;
  batchSize: number;
  stopTimeout: number;
}

/** Checks the options of `new ActorSystem()` and fills in the defaults. */
export function systemOptions(options: ActorSystemOptions): SystemOptions {
  const onError = options.onError;
  if (onError !== undefined && typeof onError !== "function") {
    throw new TypeError(
      `Cannot create an ActorSystem: option onError must be a function called with (error, info), got ${
        describe(onError)
      }`,
    );
  }
  const batchSize = options.batchSize === undefined
    ? DEFAULT_BATCH_SIZE
    : checkCount(options.batchSize, {
      action: "create an ActorSystem",
      name: "option batchSize",
      min: 1,
      infinite: true,
    });
  const stopTimeout = options.stopTimeout === undefined
    ? DEFAULT_STOP_TIMEOUT
    : checkMilliseconds(options.stopTimeout, {
      action: "create an ActorSystem",
      name: "option stopTimeout",
    });
  return { onError: onError ?? reportByDefault, batchSize, stopTimeout };
}

function reportByDefault(error: unknown, info: ActorErrorInfo): void {
  const during = info.message === undefined
    ? ""
    : ` while handling ${describe(info.message)}`;
  reportLater(
    new ActorError(
      `Actor ${JSON.stringify(info.name)} failed${during}${
        info.restarting ? "; restarting it" : ""
      }: ${error instanceof Error ? error.message : describe(error)}`,
      info.name,
      { cause: error },
    ),
  );
}
