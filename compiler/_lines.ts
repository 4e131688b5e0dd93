// Copyright 2026 the @frontier/generators authors. MIT license.
// The lines of `calc`'s standard input, numbered the way the compiler counts
// lines, so that an error on the third line says line 3.

/** A line of input, without its line end, and its number from 1. */
export interface Line {
  text: string;
  number: number;
}

/**
 * The lines of a byte stream, decoded as UTF-8. Lines end where the
 * compiler's positions say they do: at LF, CR, CR LF, U+2028 and U+2029
 * (a CR LF split between two chunks is one line end). A line may be
 * megabytes long: it is gathered in pieces and joined once.
 */
export async function* readLines(
  stream: AsyncIterable<Uint8Array>,
): AsyncGenerator<Line, void, undefined> {
  const decoder = new TextDecoder();
  const lineEnd = /\r\n?|[\n\u2028\u2029]/g;
  let pieces: string[] = [];
  let number = 1;
  // Whether the last chunk ended with a CR, whose LF may start the next.
  let afterCR = false;
  const take = (last: string): Line => {
    pieces.push(last);
    const text = pieces.length === 1 ? last : pieces.join("");
    pieces = [];
    return { text, number: number++ };
  };
  for await (const chunk of stream) {
    let text = decoder.decode(chunk, { stream: true });
    if (text === "") continue;
    if (afterCR && text.charCodeAt(0) === 10) text = text.slice(1);
    afterCR = false;
    let start = 0;
    lineEnd.lastIndex = 0;
    for (let end = lineEnd.exec(text); end !== null; end = lineEnd.exec(text)) {
      const line = take(text.slice(start, end.index));
      start = lineEnd.lastIndex;
      afterCR = end[0] === "\r" && start === text.length;
      yield line;
    }
    if (start < text.length) pieces.push(text.slice(start));
  }
  const rest = decoder.decode();
  if (rest !== "") pieces.push(rest);
  if (pieces.length > 0) yield take("");
}
