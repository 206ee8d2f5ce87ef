/**
 * Usage errors of the `lstm-notebook` commands (run, export, kernel): a UsageError says what was
 * expected and what was given; `usageFailure` prints it under the command's name with its usage
 * lines and gives exit code 2, as command-line tools do. Any other error passes through.
 */
export class UsageError extends Error {}

/** The value after option `argv[index - 1]` (`--out FILE`): absent, or another option, is a UsageError. */
export function optionValue(argv: readonly string[], index: number, option: string): string {
  const value = argv[index];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${option} expects a value`);
  return value;
}

/** For a command's catch: a UsageError printed as `command: message` and the usage, exit code 2; anything else rethrown. */
export function usageFailure(command: string, usage: string, error: unknown): 2 {
  if (!(error instanceof UsageError)) throw error;
  console.error(`${command}: ${error.message}\n${usage}`);
  return 2;
}
