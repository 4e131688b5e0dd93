#!/usr/bin/env -S deno run
// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * `calc`, the tutorial's compiler on the command line. It evaluates the
 * expression given as arguments, or else each line of standard input (a
 * small REPL when standard input is a terminal). Bad input shows the line, a
 * caret under the bad character and the message, on standard error, and the
 * exit code is 1. It needs no permissions.
 *
 * ```sh
 * deno run jsr:@frontier/generators/calc "2 + 3 * 4 - 5"   # prints 9
 * printf '1 + 2\n3 * (4 - 5)\n' | deno run jsr:@frontier/generators/calc
 * deno run jsr:@frontier/generators/calc                   # the REPL
 * ```
 *
 * @module
 */

import { ArithmeticError, evaluate, LexError, ParseError } from "./mod.ts";

const HELP =
  `calc: evaluates arithmetic: numbers, + - * /, parentheses, unary minus.

  calc "2 + 3 * 4 - 5"      evaluates the arguments (joined by spaces)
  calc < expressions.txt    evaluates each line of standard input
  calc                      asks for expressions when run in a terminal

Bad input is shown with a caret under the bad character; the exit code is
then 1.`;

// Evaluates one expression and prints its value or its error; whether it
// succeeded.
function calculate(text: string): boolean {
  try {
    console.log(String(evaluate(text)));
    return true;
  } catch (error) {
    if (
      error instanceof LexError || error instanceof ParseError ||
      error instanceof ArithmeticError
    ) {
      console.error(error.render());
      return false;
    }
    throw error;
  }
}

// The lines of a byte stream, decoded as UTF-8, without their line endings.
// A line may be megabytes long: it is gathered in pieces and joined once.
async function* readLines(
  stream: ReadableStream<Uint8Array>,
): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pieces: string[] = [];
  const line = (last: string) => {
    pieces.push(last);
    const text = pieces.join("");
    pieces = [];
    return text.endsWith("\r") ? text.slice(0, -1) : text;
  };
  for await (const chunk of stream) {
    const text = decoder.decode(chunk, { stream: true });
    let start = 0;
    for (
      let end = text.indexOf("\n");
      end !== -1;
      end = text.indexOf("\n", start)
    ) {
      yield line(text.slice(start, end));
      start = end + 1;
    }
    if (start < text.length) pieces.push(text.slice(start));
  }
  const rest = decoder.decode();
  if (rest !== "") pieces.push(rest);
  if (pieces.length > 0) yield line("");
}

async function main(args: string[]): Promise<number> {
  if (args.length === 1 && (args[0] === "--help" || args[0] === "-h")) {
    console.log(HELP);
    return 0;
  }
  if (args.length > 0) return calculate(args.join(" ")) ? 0 : 1;

  const interactive = Deno.stdin.isTerminal();
  const prompt = new TextEncoder().encode("> ");
  let failed = false;
  if (interactive) {
    console.error("calc: type an expression and Enter; Ctrl-D to quit.");
    Deno.stdout.writeSync(prompt);
  }
  for await (const line of readLines(Deno.stdin.readable)) {
    if (line.trim() !== "" && !calculate(line)) failed = true;
    if (interactive) Deno.stdout.writeSync(prompt);
  }
  if (interactive) {
    console.log();
    return 0;
  }
  return failed ? 1 : 0;
}

if (import.meta.main) Deno.exitCode = await main(Deno.args);
