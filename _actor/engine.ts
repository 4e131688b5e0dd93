// Copyright 2026 the @frontier/generators authors. MIT license.
// The engine of an actor system: its actors by name, the queue of messages
// between them, the loop that delivers them one at a time, dead letters,
// crashes and restarts, and stopping. `ActorSystem` in `actor.ts` is its
// face and keeps it in a private field; anything else (an actor's Worker)
// reaches the engine of a system with `engineOf`.

import { type Future, InvalidStateError } from "../future.ts";
import { checkCount } from "../_core/checks.ts";
import { queueJob, reportLater, runJob, tick } from "../_core/scheduler.ts";
import type {
  ActorErrorInfo,
  ActorSystem,
  ActorSystemOptions,
  AskOptions,
  RunOptions,
} from "../actor.ts";
import { ActorError } from "./error.ts";
import { ALIVE, type AnyGeneratorFunction, Cell, STOPPED } from "./cell.ts";
import { askFuture, type AskSlot, failAsk, handling, noReply } from "./ask.ts";
import { takeRestart } from "./restart.ts";
import { type SpawnName, unknownActor } from "./checks.ts";
import { WorkerHost, type WorkerSpec } from "./host.ts";
import type { Link } from "./link.ts";
import type { RemoteRoute } from "./remote.ts";
import { systemOptions } from "./options.ts";
import { checkYield } from "./yields.ts";
import { Mailbox } from "./mailbox.ts";

const engines = new WeakMap<ActorSystem, Engine>();

/** The engine behind `system`: the one way in from outside `actor.ts`. */
export function engineOf(system: ActorSystem): Engine {
  // Every ActorSystem makes its engine as it is constructed.
  return engines.get(system)!;
}

/** What `run()` hands the run queue, and what it gets back. */
interface RunJob {
  engine: Engine;
  limit: number;
  ran: boolean;
  count: number;
}

/** How a system inside a Worker reaches the system that spawned it. */
export interface Parent {
  /** Where names this system does not know, and dead letters, go. */
  link: Link;
  /** Hears of every actor that stops. */
  onStopped: (name: string) => void;
  /** Takes the place of the system's `onError`. */
  onError: (error: unknown, info: ActorErrorInfo) => void;
}

/** The engine of one actor system. */
export class Engine {
  /** The system this is the engine of. */
  readonly system: ActorSystem;
  /** Milliseconds a Worker actor has to stop; see `ActorSystemOptions`. */
  readonly stopTimeout: number;

  #cells = new Map<string, Cell>();
  #mailbox = new Mailbox();

  #onError: (error: unknown, info: ActorErrorInfo) => void;
  #batchSize: number;
  #started = false;
  #scheduled = false;
  #delivering = false;
  #hosts = new Set<WorkerHost>();
  // Questions to check once the current synchronous work is done.
  #watched: Future<unknown>[] = [];
  // Set inside a Worker: where unknown names and dead letters go.
  #parent: Link | undefined = undefined;
  #onStopped: ((name: string) => void) | undefined = undefined;
  // Set while the system is connected to other processes.
  #remote: RemoteRoute | undefined = undefined;

  constructor(system: ActorSystem, options: ActorSystemOptions) {
    const checked = systemOptions(options);
    this.#onError = checked.onError;
    this.#batchSize = checked.batchSize;
    this.stopTimeout = checked.stopTimeout;
    this.system = system;
    engines.set(system, this);
  }

  /**
   * Makes this the engine of a Worker's system: names it does not know are
   * sent to the parent, and so are its dead letters and its errors.
   */
  attachParent(parent: Parent): void {
    this.#parent = parent.link;
    this.#onStopped = parent.onStopped;
    this.#onError = parent.onError;
  }

  /**
   * Connects this engine to other processes (`undefined` disconnects):
   * names that are not live local actors go to `remote`, which hears of
   * every actor that starts or stops.
   */
  attachRemote(remote: RemoteRoute | undefined): void {
    this.#remote = remote;
  }

  /** The live local actors. */
  *live(): Iterable<Cell> {
    for (const cell of this.#cells.values()) {
      if (cell.state === ALIVE) yield cell;
    }
  }

  // -------------------------------------------------------------------------
  // Spawning

  /** Starts a local actor; `action` names the call for error messages. */
  spawn(
    action: string,
    spawnName: SpawnName,
    options: { generatorFunction: AnyGeneratorFunction; args: unknown[] },
  ): Cell {
    const name = spawnName.name;
    this.#checkFree(action, name);
    const cell = new Cell(this, name, {
      generatorFunction: options.generatorFunction,
      args: options.args,
      policy: spawnName.policy,
    });
    // A generator that throws before its first `yield` throws here, and the
    // name stays free.
    cell.begin();
    this.#cells.set(name, cell);
    if (cell.generator === undefined) this.setStopped(cell);
    else this.#remote?.started(cell);
    return cell;
  }

  /** Starts an actor in a Worker. */
  spawnWorker(spawnName: SpawnName, spec: WorkerSpec): Cell {
    const name = spawnName.name;
    this.#checkFree("spawn a Worker actor", name);
    const cell = new Cell(this, name);
    const host = new WorkerHost(cell, { ...spec, policy: spawnName.policy });
    cell.host = host;
    this.#hosts.add(host);
    this.#cells.set(name, cell);
    this.#remote?.started(cell);
    return cell;
  }

  #checkFree(action: string, name: string): void {
    const existing = this.#cells.get(name);
    if (existing !== undefined && existing.state === ALIVE) {
      throw new ActorError(
        `Cannot ${action}: an actor named ${
          JSON.stringify(name)
        } is already running; stop it first, or give the new one another name`,
        name,
      );
    }
    this.#remote?.checkFree(action, name);
  }

  // -------------------------------------------------------------------------
  // Sending

  /** Queues `message` for the actor `name`; see `ActorSystem.send`. */
  send(name: string, message: unknown): void {
    const cell = this.#cells.get(name);
    // A stopped actor's name may live on in another process.
    if (
      cell !== undefined && (cell.state === ALIVE || this.#remote === undefined)
    ) {
      this.post(cell, message, undefined);
    } else if (this.forward(name, message, undefined)) return;
    else if (cell !== undefined) this.post(cell, message, undefined);
    // A name that is not a string is a mistake here, not a name to ask the
    // parent about.
    else if (this.#parent !== undefined && typeof name === "string") {
      this.#parent.send(name, message);
    } else throw this.#unknown("send", name, message);
  }

  /**
   * Sends, or asks, the actor `name` of another process, if this system is
   * connected and one is known to serve it.
   */
  forward(name: string, message: unknown, ask: AskSlot | undefined): boolean {
    return this.#remote !== undefined && typeof name === "string" &&
      this.#remote.forward(name, message, ask);
  }

  #unknown(action: string, name: unknown, message: unknown): Error {
    return unknownActor(action, {
      name,
      message,
      cells: this.#cells,
      where: this.#remote?.where,
    });
  }

  /** Asks the actor `name` a question; see `ActorSystem.ask`. */
  ask(
    name: string,
    message: unknown,
    options: AskOptions | undefined,
  ): Future<unknown> {
    const cell = this.#cells.get(name);
    if (
      cell !== undefined && (cell.state === ALIVE || this.#remote === undefined)
    ) {
      return this.askCell(cell, message, options);
    }
    const remote = this.#remote;
    if (remote !== undefined && typeof name === "string") {
      const future = askFuture(name, message, options);
      if (remote.forward(name, message, future)) return future;
      // Nothing was sent: the future is dropped, with its timer.
      future.cancel();
    }
    if (cell !== undefined) return this.askCell(cell, message, options);
    if (this.#parent === undefined || typeof name !== "string") {
      throw this.#unknown("ask", name, message);
    }
    const future = askFuture(name, message, options);
    this.#parent.ask(name, message, future);
    return future;
  }

  /** Asks the actor of `cell` a question. */
  askCell(
    cell: Cell,
    message: unknown,
    options: AskOptions | undefined,
  ): Future<unknown> {
    const future = askFuture(cell.name, message, options);
    this.post(cell, message, future);
    if (
      !this.#started && !this.#delivering && cell.host === undefined &&
      !future.done()
    ) {
      this.#watch(future);
    }
    return future;
  }

  // A question asked of a system that nobody runs would wait forever: if its
  // message is still queued once the current synchronous work is done (no
  // run() came), the system starts delivering by itself, as start() does.
  // Questions asked from a handler are left to the loop that runs it.
  #watch(future: Future<unknown>): void {
    if (this.#watched.push(future) === 1) queueMicrotask(this.#checkWatched);
  }

  #checkWatched = (): void => {
    const watched = this.#watched;
    this.#watched = [];
    if (this.#started) return;
    for (const future of watched) {
      // Not done: its message is still queued (delivering it settles it).
      if (!future.done()) {
        this.start();
        return;
      }
    }
  };

  /**
   * Posts a message, or a question, that came from a Worker to the actor
   * `name`.
   *
   * @returns `false` if no actor was ever registered under `name`.
   */
  postByName(
    name: string,
    message: unknown,
    ask: AskSlot | undefined,
  ): boolean {
    const cell = this.#cells.get(name);
    if (cell === undefined) return false;
    this.post(cell, message, ask);
    return true;
  }

  /** Queues a message, or a question, for the actor of `cell`. */
  post(cell: Cell, message: unknown, ask: AskSlot | undefined): void {
    if (cell.state !== ALIVE) {
      this.#undelivered(cell.name, message, ask, "the actor has stopped");
      return;
    }
    if (cell.host !== undefined) {
      cell.host.post(message, ask);
      return;
    }
    this.#mailbox.push(cell, message, ask);
    if (this.#started && !this.#scheduled) this.#schedule();
  }

  /** Keeps a message that could not be delivered. */
  deadLetter(name: string, message: unknown): void {
    if (this.#parent !== undefined) this.#parent.dead(name, message);
    else this.system.deadLetters.push({ name, message });
  }

  // Keeps a message that could not be delivered, and fails its question.
  #undelivered(
    name: string,
    message: unknown,
    ask: AskSlot | undefined,
    reason: string,
  ): void {
    if (ask !== undefined) {
      failAsk(
        ask,
        noReply(name, message, {
          reason: `${reason}; the message is in deadLetters`,
        }),
      );
    }
    this.deadLetter(name, message);
  }

  // -------------------------------------------------------------------------
  // Delivering

  /** Whether an actor named `name` is registered and has not stopped. */
  has(name: string): boolean {
    return this.#cells.get(name)?.state === ALIVE;
  }

  /** How many messages are queued. */
  get pending(): number {
    return this.#mailbox.size;
  }

  /** Delivers queued messages; see `ActorSystem.run`. */
  run(options: RunOptions): number {
    const limit = options.maxMessages === undefined
      ? Infinity
      : checkCount(options.maxMessages, {
        action: "run the actor system",
        name: "option maxMessages",
        infinite: true,
      });
    if (this.#delivering) {
      throw new InvalidStateError(
        `Cannot run the actor system: called from inside the handler of actor ${
          JSON.stringify(handling.cell?.name)
        }; handlers only send, and the loop that called them delivers what they sent`,
      );
    }
    // As a job of the run queue, so that the tasks woken by replies run after
    // the loop rather than nested in a handler; inside a job it runs at once.
    const job: RunJob = { engine: this, limit, ran: false, count: 0 };
    runJob(Engine.#runNow, job);
    Engine.#runNow(job);
    // In automatic mode, what is left is delivered by itself.
    if (this.#started && this.#mailbox.size > 0 && !this.#scheduled) {
      this.#schedule();
    }
    return job.count;
  }

  static #runNow(job: RunJob): void {
    if (job.ran) return;
    job.ran = true;
    job.count = job.engine.#deliver(job.limit, false);
  }

  /** Switches on the automatic mode; see `ActorSystem.start`. */
  start(): void {
    this.#started = true;
    if (this.#mailbox.size > 0) this.#schedule();
  }

  #schedule(): void {
    this.#scheduled = true;
    queueMicrotask(this.#kick);
  }

  #kick = () => queueJob(Engine.#batchJob, this);

  static #batchJob(engine: Engine): void {
    engine.#batch();
  }

  #batch(): void {
    if (!this.#started || this.#delivering) {
      this.#scheduled = false;
      return;
    }
    this.#deliver(this.#batchSize, true);
    if (this.#mailbox.size > 0 && this.#started) {
      queueJob(Engine.#batchJob, this);
    } else this.#scheduled = false;
  }

  #deliver(limit: number, sliced: boolean): number {
    // Read once: the loop writes it for every message.
    const current = handling;
    const mailbox = this.#mailbox;
    const savedCell = current.cell;
    const savedAsk = current.ask;
    const savedReplied = current.replied;
    this.#delivering = true;
    let delivered = 0;
    try {
      while (mailbox.size > 0 && delivered < limit) {
        if (sliced && tick()) break;
        const cell = mailbox.shift();
        const message = mailbox.message;
        const ask = mailbox.ask;
        if (cell.state !== ALIVE) {
          this.#undelivered(
            cell.name,
            message,
            ask,
            "the actor stopped before handling it",
          );
          continue;
        }
        delivered++;
        const generator = cell.generator!;
        current.cell = cell;
        current.ask = ask;
        current.replied = false;
        cell.running = true;
        let result: IteratorResult<unknown, unknown>;
        try {
          result = generator.next(message);
          if (!result.done && result.value !== undefined) {
            result = checkYield(generator, {
              name: cell.name,
              value: result.value,
            });
          }
        } catch (error) {
          cell.running = false;
          this.#crashed(cell, error, { message, ask });
          continue;
        }
        cell.running = false;
        if (ask !== undefined && !current.replied) {
          failAsk(
            ask,
            noReply(cell.name, message, {
              reason: `the actor ${
                result.done ? "returned" : "took its next message"
              } without calling reply() for this one`,
            }),
          );
        }
        if (result.done) {
          cell.generator = undefined;
          this.setStopped(cell);
        } else if (cell.closeRequested) {
          cell.close();
        }
      }
    } finally {
      this.#delivering = false;
      current.cell = savedCell;
      current.ask = savedAsk;
      current.replied = savedReplied;
    }
    return delivered;
  }

  // -------------------------------------------------------------------------
  // Failing, restarting and stopping

  #crashed(
    cell: Cell,
    error: unknown,
    handled: { message: unknown; ask: AskSlot | undefined },
  ): void {
    let message = handled.message;
    cell.generator = undefined;
    if (handled.ask !== undefined && !handling.replied) {
      failAsk(
        handled.ask,
        noReply(cell.name, message, {
          reason: "the actor failed while handling it",
          cause: error,
        }),
      );
    }
    for (;;) {
      const restarting = cell.state === ALIVE && cell.policy !== undefined &&
        cell.generatorFunction !== undefined && takeRestart(cell.policy);
      this.report(error, { name: cell.name, message, restarting });
      // onError may have stopped it meanwhile.
      if (!restarting || cell.state !== ALIVE) {
        this.setStopped(cell);
        return;
      }
      try {
        cell.begin();
        if (cell.generator === undefined) this.setStopped(cell);
        return;
      } catch (startError) {
        error = startError;
        message = undefined;
      }
    }
  }

  /** Reports an error to the system's `onError`. */
  report(error: unknown, info: ActorErrorInfo): void {
    try {
      this.#onError(error, info);
    } catch (thrown) {
      reportLater(thrown);
    }
  }

  /** Marks an actor stopped for good (once), and lets go of what made it. */
  setStopped(cell: Cell): void {
    cell.state = STOPPED;
    if (cell.ended) return;
    cell.ended = true;
    cell.generatorFunction = undefined;
    cell.args = [];
    this.#onStopped?.(cell.name);
    this.#remote?.stopped(cell);
  }

  /** The Worker of `host` is gone. */
  hostClosed(host: WorkerHost): void {
    this.#hosts.delete(host);
  }

  /** Stops an actor, or the whole system; see `ActorSystem.stop`. */
  stop(name: string | undefined): Promise<void> {
    if (name === undefined) return this.stopAll();
    const cell = this.#cells.get(name);
    if (cell === undefined) {
      throw unknownActor("stop", { name, cells: this.#cells });
    }
    return this.stopCell(cell);
  }

  /** Stops the actor of `cell`. */
  stopCell(cell: Cell): Promise<void> {
    if (cell.host !== undefined) {
      this.setStopped(cell);
      return cell.host.close();
    }
    cell.close();
    return Promise.resolve();
  }

  /** Stops every actor and the automatic mode; see `ActorSystem.stop`. */
  async stopAll(): Promise<void> {
    this.#started = false;
    const closing: Promise<void>[] = [];
    for (const cell of this.#cells.values()) {
      if (cell.state === ALIVE) {
        const done = this.stopCell(cell);
        if (cell.host !== undefined) closing.push(done);
      }
    }
    for (const host of this.#hosts) closing.push(host.close());
    this.#flushToDeadLetters();
    await Promise.all(closing);
    // What Workers sent while they were closing.
    this.#flushToDeadLetters();
  }

  #flushToDeadLetters(): void {
    const mailbox = this.#mailbox;
    while (mailbox.size > 0) {
      const cell = mailbox.shift();
      this.#undelivered(
        cell.name,
        mailbox.message,
        mailbox.ask,
        "the system was stopped before it was delivered",
      );
    }
  }
}
