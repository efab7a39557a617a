// bin/tenet.js runs the built dist/; tests that need a real process (kill -9, two instances) run the
// sources through tsx with this, so they test the code as it is, not the last build.
import { runCli } from '../../src/cli/main.js';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  cwd: process.cwd(),
  env: process.env,
});
