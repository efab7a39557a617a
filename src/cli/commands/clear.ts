import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isTeError, TeError } from '../../core/errors.js';
import { clearAuctionBook } from '../../market/auction-clearing.js';
import type { AuctionClearing } from '../../market/types.js';
import type { CliCommand, CliIo } from '../io.js';

/** Larger books are refused before they are read, so a wrong file cannot exhaust memory. */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

const STDIN_NAME = '-';

const USAGE = `Usage: tenet clear [FILE|-]

Clear an order book with the uniform-price double auction (the rules of GridLAB-D's auction object)
and print the result as JSON. Reads standard input when FILE is - or left out.

Input, the golden-case JSON format:
  {"priceCap": 9999, "bidOffset": 0.0001,
   "buys":  [{"price": 40, "quantity": 5, "bidder": "house-1"}, ...],
   "sells": [{"price": 15, "quantity": 5}, ...]}
  priceCap and bidOffset are optional (defaults 9999 and 0.0001); bidder is optional; other keys such
  as "name" or "expected" are ignored. Quantities are positive on both sides.

Output:
  {"price", "quantity", "clearingType", "marginalQuantity",
   "trades": [{"side", "index", "bidder"?, "price", "quantity"}, ...]}
  index is the bid's position in its list; one trade per served bid.

Exit status: 0 cleared, 2 bad input or usage.`;

export const clearCommand: CliCommand = async (args, io) => {
  const parsedArgs = parseArgs(args);
  if (parsedArgs === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    if (isTeError(parsedArgs)) throw parsedArgs;
    const source = parsedArgs;
    const text = source === STDIN_NAME ? await readStdin(io) : await readBookFile(source, io.cwd);
    const clearing = clearAuctionBook(parseJson(text, source));
    if (!clearing.ok) throw clearing.error;
    io.stdout.write(formatClearing(clearing.value));
    return 0;
  } catch (caught) {
    if (!isTeError(caught)) throw caught;
    io.stderr.write(`${caught.toLine()}\n`);
    return caught.exitCode;
  }
};

function parseArgs(args: readonly string[]): string | 'help' | TeError {
  if (args.includes('--help') || args.includes('-h')) return 'help';
  const option = args.find((arg) => arg.startsWith('-') && arg !== STDIN_NAME);
  if (option !== undefined) {
    return new TeError('TE_ERR_USAGE', `unknown option '${option}'`, {
      hint: 'run tenet clear --help; to read a file whose name starts with -, write ./ before it',
    });
  }
  if (args.length > 1) {
    return new TeError('TE_ERR_USAGE', `expected one book, got ${args.length} arguments`, {
      hint: 'clear one book per run: tenet clear FILE, or pipe it in with tenet clear -',
    });
  }
  return args[0] ?? STDIN_NAME;
}

async function readBookFile(file: string, cwd: string): Promise<string> {
  const path = resolve(cwd, file);
  let sizeBytes: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) {
      throw new TeError('TE_ERR_FILE_READ', 'is a directory, not a book file', {
        path: file,
        hint: 'give the path of a JSON file',
      });
    }
    sizeBytes = info.size;
  } catch (caught) {
    throw fileError(caught, file);
  }
  if (sizeBytes > MAX_INPUT_BYTES) throw tooLarge(file, sizeBytes);
  try {
    // Read with the same limit as stdin: the size of a pipe or device is not known in advance.
    return await readLimited(createReadStream(path), file);
  } catch (caught) {
    throw fileError(caught, file);
  }
}

function readStdin(io: CliIo): Promise<string> {
  return readLimited(io.stdin, '(stdin)');
}

async function readLimited(stream: AsyncIterable<unknown>, source: string): Promise<string> {
  const chunks: Buffer[] = [];
  let sizeBytes = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk as Uint8Array);
    sizeBytes += buffer.length;
    if (sizeBytes > MAX_INPUT_BYTES) throw tooLarge(source, sizeBytes);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string, source: string): unknown {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    return JSON.parse(body) as unknown;
  } catch (caught) {
    const detail =
      caught instanceof Error ? caught.message.replace(/\s+/g, ' ').slice(0, 200) : String(caught);
    const nonFinite = /\b(NaN|-?Infinity)\b/.test(body);
    throw new TeError('TE_ERR_INVALID_JSON', body.trim() === '' ? 'the input is empty' : detail, {
      path: source === STDIN_NAME ? '(stdin)' : source,
      hint: nonFinite
        ? 'JSON has no NaN or Infinity: every price and quantity must be a finite number'
        : 'give one JSON object with "buys" and "sells" lists; check quotes, commas and brackets',
    });
  }
}

function fileError(caught: unknown, file: string): TeError {
  if (isTeError(caught)) return caught;
  const code = (caught as { code?: unknown } | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new TeError('TE_ERR_FILE_NOT_FOUND', 'no such file', {
      path: file,
      hint: 'check the path, which is relative to the current directory, or use - to read stdin',
    });
  }
  return new TeError('TE_ERR_FILE_READ', caught instanceof Error ? caught.message : String(caught), {
    path: file,
    hint: 'check that the file is readable',
    cause: caught,
  });
}

function tooLarge(source: string, sizeBytes: number): TeError {
  const mib = (bytes: number): string => `${Math.ceil(bytes / (1024 * 1024))} MiB`;
  return new TeError(
    'TE_ERR_INPUT_TOO_LARGE',
    `the book is over ${mib(MAX_INPUT_BYTES)} (${mib(sizeBytes)} read)`,
    {
      path: source,
      hint: 'split the book, or clear it through the library API with a columnar book',
    },
  );
}

/** Pretty at the top level, one line per trade, so large books stay readable and compact. */
function formatClearing(clearing: AuctionClearing): string {
  const lines = [
    '{',
    `  "price": ${JSON.stringify(clearing.price)},`,
    `  "quantity": ${JSON.stringify(clearing.quantity)},`,
    `  "clearingType": ${JSON.stringify(clearing.clearingType)},`,
    `  "marginalQuantity": ${JSON.stringify(clearing.marginalQuantity)},`,
  ];
  if (clearing.trades.length === 0) {
    lines.push('  "trades": []', '}');
  } else {
    lines.push('  "trades": [');
    const last = clearing.trades.length - 1;
    clearing.trades.forEach((trade, position) => {
      lines.push(`    ${JSON.stringify(trade)}${position === last ? '' : ','}`);
    });
    lines.push('  ]', '}');
  }
  return `${lines.join('\n')}\n`;
}
