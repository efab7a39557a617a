import { mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../io.js';
import { runCli } from '../main.js';
import { MAX_INPUT_BYTES } from './clear.js';

const FIXTURES = new URL('../../../test/fixtures/auction/', import.meta.url);

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

async function run(
  args: string[],
  stdin: NodeJS.ReadableStream = Readable.from([]),
  cwd = process.cwd(),
): Promise<Run> {
  const stdout = new Capture();
  const stderr = new Capture();
  const io: CliIo = { stdout, stderr, stdin, cwd, env: {} };
  const status = await runCli(['clear', ...args], io);
  return { status, stdout: stdout.text, stderr: stderr.text };
}

const stdinOf = (text: string): NodeJS.ReadableStream => Readable.from([Buffer.from(text, 'utf8')]);

function expectBadInput(result: Run, code: string, ...mentions: string[]): void {
  expect(result.status).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^${code}\\b`));
  for (const mention of mentions) expect(lines[0]).toContain(mention);
  expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(lines[0]).toMatch(/\(.+\)$/); // a hint how to fix it
}

const tempDir = mkdtempSync(join(tmpdir(), 'tenet-clear-'));

describe('tenet clear', () => {
  it('clears a golden book from a file and ignores its informational keys', async () => {
    const file = new URL('buyers_first.json', FIXTURES);
    const result = await run([file.pathname]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const output = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(output).toEqual({
      price: 25,
      quantity: 10,
      clearingType: 'marginal-price',
      marginalQuantity: 0,
      trades: [
        { side: 'buy', index: 0, price: 25, quantity: 5 },
        { side: 'buy', index: 1, price: 25, quantity: 5 },
        { side: 'sell', index: 0, price: 25, quantity: 5 },
        { side: 'sell', index: 1, price: 25, quantity: 5 },
      ],
    });
    expect(Object.keys(output)).toEqual(['price', 'quantity', 'clearingType', 'marginalQuantity', 'trades']);
  });

  it('reproduces the expected values of golden files', async () => {
    for (const name of ['large_unbalanced_marginal_buyer.json', 'unresponsive_buyer_failure.json']) {
      const golden = JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as {
        expected: Record<string, unknown>;
      };
      const result = await run([new URL(name, FIXTURES).pathname]);
      expect(result.status).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject(golden.expected);
    }
  });

  it('reads stdin when given - or no file, and keeps bidder ids', async () => {
    const book = JSON.stringify({
      buys: [{ price: 30, quantity: 5, bidder: 'house-1' }],
      sells: [{ price: 10, quantity: 8, bidder: 'pv-9' }],
    });
    for (const args of [['-'], []]) {
      const result = await run(args, stdinOf(book));
      expect(result.status).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({
        price: 10,
        quantity: 5,
        clearingType: 'marginal-seller',
        trades: [
          { side: 'buy', index: 0, bidder: 'house-1', price: 10, quantity: 5 },
          { side: 'sell', index: 0, bidder: 'pv-9', price: 10, quantity: 5 },
        ],
      });
    }
  });

  it('prints an empty trade list for a book that does not clear', async () => {
    const result = await run([], stdinOf('{"buys": [], "sells": []}'));
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      price: 0,
      quantity: 0,
      clearingType: 'null',
      marginalQuantity: 0,
      trades: [],
    });
  });

  it('resolves relative paths against the working directory', async () => {
    writeFileSync(join(tempDir, 'book.json'), '{"buys": [{"price": 5, "quantity": 1}], "sells": []}');
    const result = await run(['book.json'], Readable.from([]), tempDir);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ price: 5.0001, clearingType: 'null' });
  });

  it('prints usage for --help', async () => {
    const result = await run(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: tenet clear [FILE|-]');
  });

  it('is listed in tenet --help', async () => {
    const stdout = new Capture();
    const status = await runCli(['--help'], {
      stdout,
      stderr: new Capture(),
      stdin: Readable.from([]),
      cwd: process.cwd(),
      env: {},
    });
    expect(status).toBe(0);
    expect(stdout.text).toContain('clear');
  });
});

describe('tenet clear with bad input', () => {
  it.each([
    ['not JSON', 'this is not json', 'TE_ERR_INVALID_JSON', '(stdin)'],
    ['empty input', '', 'TE_ERR_INVALID_JSON', 'the input is empty'],
    ['NaN', '{"buys": [{"price": NaN, "quantity": 1}], "sells": []}', 'TE_ERR_INVALID_JSON', 'NaN'],
    [
      'Infinity as a huge number',
      '{"buys": [{"price": 1e999, "quantity": 1}], "sells": []}',
      'TE_ERR_NOT_FINITE',
      'buys[0].price',
    ],
    ['a JSON list', '[]', 'TE_ERR_VALIDATION', '(root)'],
    ['missing sells', '{"buys": []}', 'TE_ERR_VALIDATION', 'sells'],
    ['missing price', '{"buys": [{"quantity": 1}], "sells": []}', 'TE_ERR_VALIDATION', 'buys[0].price'],
    ['missing quantity', '{"buys": [], "sells": [{"price": 3}]}', 'TE_ERR_VALIDATION', 'sells[0].quantity'],
    [
      'wrong type',
      '{"buys": [{"price": "30", "quantity": 1}], "sells": []}',
      'TE_ERR_VALIDATION',
      'buys[0].price',
    ],
    [
      'negative quantity',
      '{"buys": [], "sells": [{"price": 3, "quantity": 1}, {"price": 3, "quantity": -1}]}',
      'TE_ERR_NEGATIVE_QUANTITY',
      'sells[1].quantity',
    ],
    [
      'price below -cap',
      '{"buys": [{"price": -10000, "quantity": 1}], "sells": []}',
      'TE_ERR_PRICE_OUT_OF_RANGE',
      'buys[0].price',
    ],
    ['price cap not positive', '{"priceCap": 0, "buys": [], "sells": []}', 'TE_ERR_VALIDATION', 'priceCap'],
  ])('%s', async (_label, text, code, mention) => {
    expectBadInput(await run(['-'], stdinOf(text)), code, mention);
  });

  it('reports a missing file', async () => {
    expectBadInput(
      await run(['no-such-book.json'], Readable.from([]), tempDir),
      'TE_ERR_FILE_NOT_FOUND',
      'no-such-book.json',
    );
  });

  it('reports a directory given as the file', async () => {
    mkdirSync(join(tempDir, 'a-directory'), { recursive: true });
    expectBadInput(await run(['a-directory'], Readable.from([]), tempDir), 'TE_ERR_FILE_READ', 'a-directory');
  });

  it('refuses input over 256 MiB on stdin without reading it all', async () => {
    const stdin = new PassThrough();
    const chunk = Buffer.alloc(16 * 1024 * 1024, 0x20);
    let written = 0;
    const feed = (): void => {
      while (written <= MAX_INPUT_BYTES) {
        written += chunk.length;
        if (!stdin.write(chunk)) {
          stdin.once('drain', feed);
          return;
        }
      }
      stdin.end();
    };
    feed();
    expectBadInput(await run(['-'], stdin), 'TE_ERR_INPUT_TOO_LARGE', '256 MiB');
  });

  it('refuses a file over 256 MiB before reading it', async () => {
    const file = join(tempDir, 'huge.json');
    writeFileSync(file, '');
    // A sparse file: the size is checked from the file system before any byte is read.
    truncateSync(file, MAX_INPUT_BYTES + 1);
    expectBadInput(await run([file]), 'TE_ERR_INPUT_TOO_LARGE', 'huge.json');
  });

  it('rejects unknown options and extra arguments as usage errors', async () => {
    expectBadInput(await run(['--fast']), 'TE_ERR_USAGE', '--fast');
    expectBadInput(await run(['a.json', 'b.json']), 'TE_ERR_USAGE', '2 arguments');
  });
});
