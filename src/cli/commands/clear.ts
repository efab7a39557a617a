import { isTeError, TeError } from '../../core/errors.js';
import { clearAuctionBook } from '../../market/auction-clearing.js';
import type { AuctionClearing } from '../../market/types.js';
import type { CliCommand } from '../io.js';
import { readInputText, STDIN_NAME } from '../read-input.js';

/** Larger books are refused before they are read, so a wrong file cannot exhaust memory. */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

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
    const text = await readInputText({
      name: source,
      cwd: io.cwd,
      stdin: io.stdin,
      maxBytes: MAX_INPUT_BYTES,
      what: 'book',
    });
    if (!text.ok) throw text.error;
    const clearing = clearAuctionBook(parseJson(text.value, source));
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

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (caught) {
    const detail =
      caught instanceof Error ? caught.message.replace(/\s+/g, ' ').slice(0, 200) : String(caught);
    const nonFinite = /\b(NaN|-?Infinity)\b/.test(text);
    throw new TeError('TE_ERR_INVALID_JSON', text.trim() === '' ? 'the input is empty' : detail, {
      path: source === STDIN_NAME ? '(stdin)' : source,
      hint: nonFinite
        ? 'JSON has no NaN or Infinity: every price and quantity must be a finite number'
        : 'give one JSON object with "buys" and "sells" lists; check quotes, commas and brackets',
    });
  }
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
