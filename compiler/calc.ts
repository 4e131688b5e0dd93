#!/usr/bin/env -S deno run
// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * `calc`, the tutorial's compiler on the command line. It evaluates the
 * expression given as arguments, or else each line of standard input; when
 * standard input is a terminal, it asks for expressions with a line editor
 * (arrow keys, a history that lasts for the session: keeping it in a file
 * would need permissions). Bad input shows the line, a caret under the bad
 * character and the message, on standard error, and the exit code is 1; an
 * error on the third line of standard input says line 3. It needs no
 * permissions.
 *
 * ```sh
 * deno run jsr:@frontier/generators/calc "2 + 3 * 4 - 5"   # prints 9
 * printf '1 + 2\n3 * (4 - 5)\n' | deno run jsr:@frontier/generators/calc
 * deno run jsr:@frontier/generators/calc                   # asks
 * deno run jsr:@frontier/generators/calc --help
 * ```
 *
 * @module
 */

import config from "../deno.json" with { type: "json" };
import { ArithmeticError, evaluate, LexError, ParseError } from "./mod.ts";
import { readLines } from "./_lines.ts";

const HELP =
  `calc: evaluates arithmetic: numbers, + - * /, parentheses, unary minus.

Usage: calc [OPTION] [EXPRESSION...]

  calc "2 + 3 * 4 - 5"      evaluates the arguments (joined by spaces)
  calc < expressions.txt    evaluates each line of standard input
  calc                      asks for expressions when run in a terminal:
                            arrow keys edit and recall earlier lines;
                            Ctrl-D, or Ctrl-C on an empty line, quits

Options:
  -h, --help     print this help and exit
  --version      print the version and exit
  --             end of options: the rest is the expression

Bad input is shown with a caret under the bad character; the exit code is
then 1 (2 for an unknown option).`;

const VERSION = `calc (${config.name}) ${config.version}`;

// An argument that names an option rather than starting an expression
// (`-2` and `--2` are expressions).
const OPTION = /^--?[A-Za-z]/;

// Evaluates one expression and prints its value or its error; whether it
// succeeded. `line` numbers the expression's first line in messages.
function calculate(text: string, line = 1): boolean {
  try {
    console.log(String(evaluate(text, { startLine: line })));
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

async function main(args: string[]): Promise<number> {
  let rest = args;
  if (rest[0] === "--") {
    rest = rest.slice(1);
  } else if (rest.length > 0 && OPTION.test(rest[0])) {
    const option = rest[0];
    if (option === "--help" || option === "-h") {
      console.log(HELP);
      return 0;
    }
    if (option === "--version") {
      console.log(VERSION);
      return 0;
    }
    console.error(
      `calc: unknown option ${option}; see calc --help (to evaluate an expression that starts with "-", write -- before it)`,
    );
    return 2;
  }
  if (rest.length > 0) return calculate(rest.join(" ")) ? 0 : 1;

  if (Deno.stdin.isTerminal()) {
    // Loaded only here: one-shot use does not pay for the line editor.
    const { repl } = await import("./_repl.ts");
    const { default: process } = await import("node:process");
    console.error(
      `${VERSION}: type an expression and Enter; Ctrl-D to quit.`,
    );
    await repl({
      input: process.stdin,
      // The editor draws where people look, even when results go to a file.
      output: Deno.stdout.isTerminal() ? process.stdout : process.stderr,
      answer: (line) => calculate(line),
    });
    return 0;
  }
  let failed = false;
  for await (const { text, number } of readLines(Deno.stdin.readable)) {
    if (text.trim() !== "" && !calculate(text, number)) failed = true;
  }
  return failed ? 1 : 0;
}

if (import.meta.main) Deno.exitCode = await main(Deno.args);
