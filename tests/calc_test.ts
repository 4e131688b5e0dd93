// Copyright 2026 the @frontier/generators authors. MIT license.
// The `calc` command line: line numbers of standard input, its options, and
// the interactive loop (with injected streams, and in a pseudo-terminal).
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import {
  evaluate,
  Evaluator,
  parse,
  type ParseError,
} from "@frontier/generators/compiler";
import config from "../deno.json" with { type: "json" };
import { type Line, readLines } from "../compiler/_lines.ts";
import { repl } from "../compiler/_repl.ts";

const root = new URL("../", import.meta.url);
const decoder = new TextDecoder();
const encoder = new TextEncoder();

async function run(
  args: string[],
  stdin = "",
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "compiler/calc.ts", ...args],
    cwd: root.pathname,
    env: { NO_COLOR: "1" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(encoder.encode(stdin));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  return {
    code,
    stdout: decoder.decode(stdout),
    stderr: decoder.decode(stderr),
  };
}

/** The last line of each error that calc printed. */
function headlines(stderr: string): string[] {
  return stderr.split("\n").filter((line) => /^[A-Za-z]+Error: /.test(line));
}

// -- line numbers

Deno.test("calc numbers the lines of standard input: an error on line 3 says line 3", async () => {
  for (const end of ["\n", "\r\n", "\r", "\u2028", "\u2029"]) {
    const result = await run([], ["1", "2", "3 +", "4", "5 / 0"].join(end));
    assert.equal(result.stdout, "1\n2\n4\n", JSON.stringify(end));
    assert.deepEqual(headlines(result.stderr), [
      'ParseError: Cannot parse: expected a number, "(" or "-" but found end of input at line 3, column 4',
      'DivisionByZeroError: Cannot evaluate: division by zero, the right side of the "/" at line 5, column 3 is 0',
    ], JSON.stringify(end));
    assert.equal(result.code, 1);
  }
  const lex = await run([], "1\n\n\n2 $\n");
  assert.equal(
    lex.stderr,
    '2 $\n  ^\nLexError: Cannot tokenize: unexpected character "$" at line 4, column 3\n',
  );
});

Deno.test("lines end at LF, CR, CR LF, U+2028 and U+2029, across chunks too", async () => {
  async function lines(chunks: (string | number[])[]): Promise<Line[]> {
    const bytes = chunks.map((chunk) =>
      typeof chunk === "string" ? encoder.encode(chunk) : new Uint8Array(chunk)
    );
    const out: Line[] = [];
    for await (const line of readLines(ReadableStream.from(bytes))) {
      out.push(line);
    }
    return out;
  }
  const texts = async (chunks: (string | number[])[]) =>
    (await lines(chunks)).map((line) => `${line.number}:${line.text}`);
  assert.deepEqual(await texts(["a\nb\rc\r\nd\u2028e\u2029f"]), [
    "1:a",
    "2:b",
    "3:c",
    "4:d",
    "5:e",
    "6:f",
  ]);
  assert.deepEqual(await texts(["a\r", "\nb\r", "", "\nc\r", "d"]), [
    "1:a",
    "2:b",
    "3:c",
    "4:d",
  ]);
  assert.deepEqual(await texts(["\r\r\n\n"]), ["1:", "2:", "3:"]);
  assert.deepEqual(await texts(["ab", "cd\n", "ef"]), ["1:abcd", "2:ef"]);
  assert.deepEqual(await texts([]), []);
  // "é" and "€" cut between their UTF-8 bytes.
  assert.deepEqual(
    await texts([[0xc3], [0xa9, 0x0d], [0x0a, 0xe2, 0x82], [0xac]]),
    ["1:é", "2:€"],
  );
});

Deno.test("parse, evaluate and the Evaluator count lines from startLine", () => {
  const error = (() => {
    try {
      parse("1 +\n+", { startLine: 41 });
    } catch (error) {
      return error as ParseError;
    }
    assert.fail("parse accepted it");
  })();
  assert.deepEqual([error.line, error.column], [42, 1]);
  assert.match(error.message, /at line 42, column 1$/);
  assert.throws(() => evaluate("1 /\n 0", { startLine: 7 }), {
    name: "DivisionByZeroError",
    message:
      'Cannot evaluate: division by zero, the right side of the "/" at line 7, column 3 is 0',
  });
  assert.throws(
    () => evaluate("\n\n)", { startLine: 3 }),
    /at line 5, column 1/,
  );
  const tree = parse("\n2 / 0");
  assert.throws(
    () => new Evaluator({ source: "\n2 / 0", startLine: 10 }).visit(tree),
    /at line 11, column 3/,
  );
  for (const startLine of [0, 1.5, NaN, Infinity]) {
    assert.throws(() => parse("1", { startLine }), RangeError);
    assert.throws(() => evaluate("1", { startLine }), RangeError);
    assert.throws(() => new Evaluator({ startLine }), RangeError);
  }
});

// -- options

Deno.test("calc --version prints the package's version", async () => {
  const result = await run(["--version"]);
  assert.deepEqual(result, {
    code: 0,
    stdout: `calc (@frontier/generators) ${config.version}\n`,
    stderr: "",
  });
});

Deno.test("calc --help and -h print the usage, not an error", async () => {
  for (const option of ["--help", "-h"]) {
    const result = await run([option]);
    assert.equal(result.code, 0);
    assert.equal(result.stderr, "");
    assert.match(
      result.stdout,
      /\nUsage: calc \[OPTION\] \[EXPRESSION\.\.\.\]\n/,
    );
    assert.match(
      result.stdout,
      /\n {2}--version +print the version and exit\n/,
    );
  }
});

Deno.test("calc refuses an unknown option; an expression may still start with -", async () => {
  const unknown = await run(["--verbose", "1"]);
  assert.deepEqual(unknown, {
    code: 2,
    stdout: "",
    stderr:
      'calc: unknown option --verbose; see calc --help (to evaluate an expression that starts with "-", write -- before it)\n',
  });
  assert.equal((await run(["--2"])).stdout, "2\n");
  assert.equal((await run(["-1.5", "*", "2"])).stdout, "-3\n");
  assert.equal((await run(["--", "--2"])).stdout, "2\n");
  assert.equal((await run(["--", "-h"])).code, 1, "-h as an expression");
});

// -- the interactive loop, with injected streams

interface Session {
  answers: string[];
  shown: string;
}

/** Runs the loop over `chunks` of terminal input, then Ctrl-D. */
async function session(chunks: string[]): Promise<Session> {
  const input = new PassThrough();
  const output = new PassThrough();
  Object.assign(output, { columns: 80 });
  let shown = "";
  output.on("data", (data: Uint8Array) => shown += decoder.decode(data));
  const answers: string[] = [];
  const done = repl({
    input,
    output,
    answer: (line) => answers.push(String(evaluate(line))),
  });
  for (const chunk of chunks) input.write(chunk);
  input.write("\x04");
  await done;
  input.destroy();
  output.destroy();
  return { answers, shown };
}

Deno.test("the loop recalls history with the arrow keys and edits the line", async () => {
  const up = "\x1b[A";
  const left = "\x1b[D";
  const { answers } = await session([
    "1 + 2\r",
    `${up}\r`, // the same again
    `${up}${left}${left}\x7f*\r`, // 1 + 2 becomes 1 * 2
    `${up}${up}\x1b[B\r`, // up twice then down: the last entered line
  ]);
  assert.deepEqual(answers, ["3", "3", "2", "2"]);
});

Deno.test("the loop takes a pasted line of any length whole", async () => {
  const terms = 20_000;
  const long = Array.from({ length: terms }, () => "1").join("+");
  // In the 4,095-byte pieces a terminal delivers, then all at once.
  const pieces: string[] = [];
  for (let at = 0; at < long.length; at += 4095) {
    pieces.push(long.slice(at, at + 4095));
  }
  const { answers } = await session([...pieces, "\r", long + "\r"]);
  assert.deepEqual(answers, [String(terms), String(terms)]);
});

Deno.test("the loop reads several pasted lines, and escape sequences cut between chunks", async () => {
  const { answers } = await session([
    "1 + 1\r2 + 2\r3",
    " + 3\r\x1b",
    "[A\r", // the up arrow, cut after ESC
    "\x1b[",
    "A\r",
  ]);
  assert.deepEqual(answers, ["2", "4", "6", "6", "6"]);
});

Deno.test("Ctrl-C clears a line with text and quits on an empty one; Ctrl-D quits", async () => {
  const input = new PassThrough();
  const output = new PassThrough();
  output.resume();
  const answers: string[] = [];
  const done = repl({ input, output, answer: (line) => answers.push(line) });
  input.write("1 + 2\x03");
  input.write("3\r");
  input.write("\x03");
  input.write("4\r"); // after the loop has ended: not read
  await done;
  assert.deepEqual(answers, ["3"]);
  input.destroy();
  output.destroy();
  const blank = await session(["   \r", "\r"]);
  assert.deepEqual(blank.answers, [], "blank lines are not evaluated");
  assert.match(blank.shown, /> /, "the prompt");
});

// -- the real thing, in a pseudo-terminal

const script = await (async () => {
  try {
    const { success } = await new Deno.Command("script", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch {
    return false;
  }
})();

Deno.test({
  name:
    "in a terminal, calc edits lines and takes a pasted line longer than 4,095 characters",
  ignore: !script,
  async fn() {
    // script(1) from util-linux runs calc in a pseudo-terminal whose input
    // is what this test writes. In the terminal's canonical mode, a line is
    // cut at 4,095 characters and the arrows reach calc as escapes.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 60_000);
    const child = new Deno.Command("script", {
      args: [
        "-qec",
        `stty cols 80 rows 24; exec "${Deno.execPath()}" run --quiet compiler/calc.ts`,
        "/dev/null",
      ],
      cwd: root.pathname,
      env: { NO_COLOR: "1", TERM: "xterm" },
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
      signal: controller.signal,
    }).spawn();
    const writer = child.stdin.getWriter();
    let seen = "";
    const reading = (async () => {
      for await (const chunk of child.stdout) {
        seen += decoder.decode(chunk, { stream: true });
      }
    })();
    const errors = new Response(child.stderr).text();
    // Waits until the screen has shown `count` prompts.
    const prompts = async (count: number) => {
      while (seen.split("> ").length - 1 < count) {
        if (controller.signal.aborted) assert.fail(`timed out:\n${seen}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    try {
      await prompts(1);
      const long = Array.from({ length: 3000 }, () => "1").join("+");
      assert.equal(long.length, 5999);
      await writer.write(encoder.encode(long + "\r"));
      await prompts(2);
      // Up, left, backspace, 2: "...+1+1" becomes "...+121".
      await writer.write(encoder.encode("\x1b[A\x1b[D\x7f2\r"));
      await prompts(3);
      await writer.write(encoder.encode("\x04"));
      const status = await child.status;
      await reading;
      assert.equal(status.code, 0, seen + (await errors));
      const answers = seen.split(/\r?\n/).filter((line) =>
        /^\d+\r?$/.test(line)
      );
      assert.deepEqual(answers.map((line) => line.trim()), [
        "3000",
        String(2998 + 121),
      ]);
      assert.doesNotMatch(seen + (await errors), /LexError/);
    } finally {
      clearTimeout(timer);
      await writer.close().catch(() => {});
      await child.status;
      await reading.catch(() => {});
      await errors;
    }
  },
});
