// A finished terminal command → a test.run event, when the command runs tests.
import type { EventData } from '../schema/events';
import { detectTestCommand } from './detect';
import { parseTestOutput } from './parse';

export function testRunFromTerminal(commandLine: string, output: string, exitCode: number | null, durationMs: number): EventData<'test.run'> | undefined {
  const command = detectTestCommand(commandLine);
  if (!command) return undefined;
  const result = parseTestOutput(output, command.runner);
  return {
    source: 'terminal',
    command: commandLine,
    runner: result?.runner ?? command.runner,
    exitCode,
    passed: result?.passed ?? null,
    failed: result?.failed ?? null,
    skipped: result?.skipped ?? null,
    failingTests: result?.failingTests ?? [],
    durationMs: Math.max(0, durationMs),
  };
}
