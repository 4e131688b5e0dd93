// Copyright 2026 the @frontier/generators authors. MIT license.
// `calc`'s interactive loop: the runtime's line editor (node:readline, built
// into Deno) in raw mode, so arrow keys edit and recall history instead of
// reaching the lexer as escape characters, and a pasted line is not cut at
// the terminal's 4,095-character limit for a line.

import { EventEmitter } from "node:events";
import readline from "node:readline";
import type { Readable, Writable } from "node:stream";

/** What the loop reads keys from: a terminal's input, or a stand-in. */
export type ReplInput = Readable & { setRawMode?: (raw: boolean) => unknown };

/** Options of {@linkcode repl}. */
export interface ReplOptions {
  /** Where the keys come from, e.g. `process.stdin`. */
  input: ReplInput;
  /** Where the prompt and the line being edited are drawn. */
  output: Writable;
  /** Called with each line entered that is not blank. */
  answer: (line: string) => void;
  /** The prompt. */
  prompt?: string;
  /** How many lines the history keeps. */
  historySize?: number;
}

// Characters that are text by themselves: no C0 or C1 control, no DEL.
// deno-lint-ignore no-control-regex
const PLAIN = /[^\u0000-\u001f\u007f-\u009f]+/y;
// A whole escape sequence: CSI (ESC [ parameters intermediates final), the
// Linux console's ESC [ [ x, SS3 (ESC O x), or ESC and one character (Alt),
// each after any further ESCs (Alt with a special key).
const SEQUENCE =
  // deno-lint-ignore no-control-regex
  /\u001b+(?:\[\[[^]|\[[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]|O[^]|[^\u001b[O])/y;
// The start of one, cut off by the end of a chunk.
const SEQUENCE_START =
  // deno-lint-ignore no-control-regex
  /\u001b+(?:\[\[?|\[[\u0030-\u003f]*[\u0020-\u002f]*|O)?$/y;
const ESCAPE = 0x1b;

/**
 * Reads lines from `input` with a line editor (history, arrows, Home/End,
 * Ctrl-U and the rest of readline's keys) until Ctrl-D on an empty line,
 * Ctrl-C on an empty line, or the end of input. Ctrl-C on a line with text
 * clears it.
 *
 * Deno's readline measures the width of the whole line at every key, so
 * a pasted line of n characters would cost n² steps (25 seconds for 6,000
 * characters): runs of plain text are given to it in one piece, and only
 * control characters and escape sequences key by key.
 */
export function repl(options: ReplOptions): Promise<void> {
  const { input, output, answer } = options;
  // readline listens to this for keys, and pauses, resumes and sets raw
  // mode through it; the input's data is fed to it by `feed`.
  const keys = new EventEmitter() as EventEmitter & Record<string, unknown>;
  keys.isTTY = true;
  keys.pause = () => (input.pause(), keys);
  keys.resume = () => (input.resume(), keys);
  keys.setRawMode = (raw: boolean) => (input.setRawMode?.(raw), keys);
  const editor = readline.createInterface({
    input: keys as unknown as Readable,
    output,
    prompt: options.prompt ?? "> ",
    terminal: true,
    historySize: options.historySize ?? 1000,
    removeHistoryDuplicates: true,
  });
  const decoder = new TextDecoder();
  let open = true;
  // The start of an escape sequence that the last chunk cut off.
  let held = "";

  const feed = (text: string): void => {
    let at = 0;
    while (at < text.length && open) {
      const code = text.charCodeAt(at);
      if (code === ESCAPE) {
        SEQUENCE.lastIndex = at;
        const sequence = SEQUENCE.exec(text);
        if (sequence !== null) {
          keys.emit("data", sequence[0]);
          at = SEQUENCE.lastIndex;
          continue;
        }
        SEQUENCE_START.lastIndex = at;
        if (SEQUENCE_START.test(text)) {
          held = text.slice(at);
          return;
        }
        keys.emit("data", "\u001b");
        at++;
        continue;
      }
      PLAIN.lastIndex = at;
      const plain = PLAIN.exec(text);
      if (plain !== null) {
        editor.write(plain[0]);
        at = PLAIN.lastIndex;
      } else {
        keys.emit("data", text[at]);
        at++;
      }
    }
  };
  const onData = (chunk: Uint8Array | string): void => {
    const text = typeof chunk === "string"
      ? chunk
      : decoder.decode(chunk, { stream: true });
    const all = held + text;
    held = "";
    feed(all);
  };
  const onEnd = (): void => {
    if (open) editor.close();
  };

  return new Promise((resolve) => {
    editor.on("line", (line: string) => {
      if (line.trim() !== "") answer(line);
      if (open) editor.prompt();
    });
    editor.on("SIGINT", () => {
      if (editor.line === "") {
        editor.close();
      } else {
        editor.write(null, { ctrl: true, name: "e" });
        editor.write(null, { ctrl: true, name: "u" });
      }
    });
    editor.on("close", () => {
      open = false;
      input.off("data", onData);
      input.off("end", onEnd);
      input.pause();
      output.write("\n");
      resolve();
    });
    input.on("data", onData);
    input.on("end", onEnd);
    editor.prompt();
  });
}
