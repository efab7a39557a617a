/**
 * The lexical layer of the OpenDSS script language: a script text becomes logical lines of tokens, with
 * comments removed and each token remembering where it came from.
 *
 * OpenDSS is line oriented. On a line, tokens are separated by white space or commas; `name=value` (spaces
 * around `=` allowed) names a property and a bare value is positional. A value may be enclosed in `"..."`,
 * `'...'`, `(...)`, `[...]` or `{...}`, which keeps its separators (arrays, matrices, in-line RPN math). `!`
 * and `//` start a comment that runs to the end of the line; `/* ... *\/` comments may span lines. Lines that
 * start with `~` or `more` continue the previous command; that merge happens in the command parser.
 */
import { TeError } from '../../core/errors.js';

/** Where a token or command came from, for error messages (`file:line`). */
export interface DssLocation {
  readonly file: string;
  readonly line: number;
}

/** The enclosing delimiter of a value, or `undefined` for a bare word. */
export type DssEnclosure = '"' | "'" | '(' | '[' | '{';

export interface DssToken {
  /** The property name when written `name=value`, as written (case preserved). */
  readonly name: string | undefined;
  /** The value with its enclosing delimiters removed. */
  readonly value: string;
  readonly enclosure: DssEnclosure | undefined;
  readonly location: DssLocation;
}

export interface DssLogicalLine {
  readonly location: DssLocation;
  /** True when the line starts with `~` or `more`: it continues the previous command. */
  readonly continuation: boolean;
  readonly tokens: readonly DssToken[];
}

const CLOSING: Record<DssEnclosure, string> = { '"': '"', "'": "'", '(': ')', '[': ']', '{': '}' };

function isSeparator(char: string): boolean {
  return char === ' ' || char === '\t' || char === ',' || char === '\f' || char === '\v';
}

export function formatLocation(location: DssLocation): string {
  return `${location.file}:${location.line}`;
}

/** Splits a script into logical lines; throws `TE_ERR_DSS_SYNTAX` for an unclosed quote, bracket or comment. */
export function tokenizeDss(text: string, file: string): DssLogicalLine[] {
  const physicalLines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const lines: DssLogicalLine[] = [];
  let blockCommentStart: number | undefined;

  physicalLines.forEach((rawLine, index) => {
    const location: DssLocation = { file, line: index + 1 };
    let line = rawLine;
    if (blockCommentStart !== undefined) {
      const end = line.indexOf('*/');
      if (end < 0) return;
      blockCommentStart = undefined;
      line = line.slice(end + 2);
    }
    const scanned = scanLine(line, location);
    if (scanned.opensBlockComment) blockCommentStart = location.line;
    if (scanned.tokens.length === 0) return;
    const first = scanned.tokens[0];
    const continuation =
      first !== undefined &&
      first.name === undefined &&
      first.enclosure === undefined &&
      (first.value === '~' || first.value.toLowerCase() === 'more');
    lines.push({ location, continuation, tokens: continuation ? scanned.tokens.slice(1) : scanned.tokens });
  });

  if (blockCommentStart !== undefined) {
    throw new TeError('TE_ERR_DSS_SYNTAX', "a '/*' comment is never closed", {
      path: `${file}:${blockCommentStart}`,
      hint: "close the comment with '*/'",
    });
  }
  return lines;
}

interface ScannedLine {
  readonly tokens: DssToken[];
  readonly opensBlockComment: boolean;
}

function scanLine(line: string, location: DssLocation): ScannedLine {
  const tokens: DssToken[] = [];
  let position = 0;

  const skipSeparators = (): void => {
    while (position < line.length && isSeparator(line.charAt(position))) position++;
  };
  const atComment = (): boolean =>
    line.charAt(position) === '!' || line.startsWith('//', position) || line.startsWith('/*', position);

  // A leading `~` is its own token even when glued to the next word (`~kV=4.16`).
  skipSeparators();
  if (line.charAt(position) === '~') {
    tokens.push({ name: undefined, value: '~', enclosure: undefined, location });
    position++;
  }

  for (;;) {
    skipSeparators();
    if (position >= line.length) return { tokens, opensBlockComment: false };
    if (atComment()) {
      if (!line.startsWith('/*', position)) return { tokens, opensBlockComment: false };
      const end = line.indexOf('*/', position + 2);
      if (end < 0) return { tokens, opensBlockComment: true };
      position = end + 2;
      continue;
    }
    if (line.charAt(position) === '=') {
      throw new TeError('TE_ERR_DSS_SYNTAX', "'=' without a property name before it", {
        path: formatLocation(location),
        hint: `write name=value; near '${line.slice(position, position + 20).trim()}'`,
      });
    }
    const first = readValue();
    // A name is a bare word followed (after optional blanks) by '='.
    let lookahead = position;
    while (lookahead < line.length && (line.charAt(lookahead) === ' ' || line.charAt(lookahead) === '\t')) {
      lookahead++;
    }
    if (first.enclosure === undefined && line.charAt(lookahead) === '=') {
      position = lookahead + 1;
      skipSeparatorsExceptComma();
      if (position >= line.length || atComment()) {
        tokens.push({ name: first.value, value: '', enclosure: undefined, location });
        continue;
      }
      const value = readValue();
      tokens.push({ name: first.value, value: value.value, enclosure: value.enclosure, location });
    } else {
      tokens.push({ name: undefined, value: first.value, enclosure: first.enclosure, location });
    }
  }

  function skipSeparatorsExceptComma(): void {
    while (position < line.length && (line.charAt(position) === ' ' || line.charAt(position) === '\t')) {
      position++;
    }
  }

  function readValue(): { value: string; enclosure: DssEnclosure | undefined } {
    const opening = line.charAt(position);
    if (opening === '"' || opening === "'" || opening === '(' || opening === '[' || opening === '{') {
      const closing = CLOSING[opening];
      const end = line.indexOf(closing, position + 1);
      if (end < 0) {
        throw new TeError('TE_ERR_DSS_SYNTAX', `unclosed ${opening} in value '${line.slice(position)}'`, {
          path: formatLocation(location),
          hint: `close the value with ${closing} on the same line`,
        });
      }
      const value = line.slice(position + 1, end);
      position = end + 1;
      return { value, enclosure: opening };
    }
    const start = position;
    while (position < line.length) {
      const char = line.charAt(position);
      if (isSeparator(char) || char === '=' || char === '!') break;
      if (char === '/' && line.charAt(position + 1) === '/') break;
      if (char === '"' || char === "'" || char === '[' || char === ']' || char === ')') {
        throw new TeError(
          'TE_ERR_DSS_SYNTAX',
          `unexpected ${char} inside '${line.slice(start, position + 1)}'`,
          {
            path: formatLocation(location),
            hint: 'separate quoted or bracketed values from the word before them',
          },
        );
      }
      position++;
    }
    return { value: line.slice(start, position), enclosure: undefined };
  }
}
