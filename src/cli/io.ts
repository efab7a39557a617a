/** What a command may touch of its process: injected so commands run in-process in tests. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stdin: NodeJS.ReadableStream;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** A command returns its exit status: 0 success, 1 failure while running, 2 bad input or usage. */
export type CliCommand = (args: readonly string[], io: CliIo) => Promise<number>;
