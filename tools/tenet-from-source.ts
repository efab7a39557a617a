/**
 * The tenet CLI run from the TypeScript sources (`node --import tsx tools/tenet-from-source.ts ...`), so
 * end-to-end tests exercise the code as it is, not a dist/ build that may be older.
 */
import { runCli } from '../src/cli/main.js';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  cwd: process.cwd(),
  env: process.env,
});
