// Copyright 2026 the @frontier/generators authors. MIT license.
// Posting a batch of messages across a Worker boundary without losing the
// whole batch to one item that structured clone refuses.

/** What a batch is posted to: a `Worker`, a worker's global scope, a port. */
export interface MessageTarget {
  postMessage(message: unknown, transfer?: Transferable[]): void;
}

/** A piece of a batch, as a message of its own. */
export type Piece<P> = readonly [
  piece: P,
  message: unknown,
  transfer: Transferable[] | undefined,
];

/** A batch of pieces, and what to do when a piece cannot cross on its own. */
export interface Batch<P> {
  /** The whole batch, as one message. */
  message: unknown;
  /** What the whole batch transfers; `undefined` or empty for nothing. */
  transfer?: Transferable[];
  /**
   * The batch's pieces, each as a message of its own, in order. Asked for
   * only when the whole batch was refused.
   */
  pieces(): Iterable<Piece<P>>;
  /** Called for each piece that was posted on its own. */
  posted?(piece: P): void;
  /** Called for each piece that could not be posted, with the reason. */
  refused(piece: P, error: unknown): void;
}

/**
 * Posts `message`, with `transfer` when there is anything to transfer:
 * without a transfer list, Deno takes its fast path for `postMessage`.
 */
export function post(
  target: MessageTarget,
  message: unknown,
  transfer?: Transferable[],
): void {
  if (transfer === undefined || transfer.length === 0) {
    target.postMessage(message);
  } else target.postMessage(message, transfer);
}

/**
 * Posts a batch as one message. If structured clone refuses it (a function,
 * a class instance with private state…), posts its pieces one by one, in
 * order, so that only the pieces that cannot cross fail, each where it
 * belongs.
 *
 * @returns Whether the batch went as one message.
 */
export function postBatch<P>(target: MessageTarget, batch: Batch<P>): boolean {
  try {
    post(target, batch.message, batch.transfer);
    return true;
  } catch (batchError) {
    for (const [piece, message, transfer] of batch.pieces()) {
      try {
        post(target, message, transfer);
      } catch (error) {
        batch.refused(piece, error ?? batchError);
        continue;
      }
      batch.posted?.(piece);
    }
    return false;
  }
}
