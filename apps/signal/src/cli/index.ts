import { Logger } from '@nestjs/common';
import { SignalConfig } from '../config/signal-config';
import { dlqReplayCommand } from './dlq-replay.command';
import { migrateCommand } from './migrate.command';

/** Runs `args` (those after the command's name), then the process exits. */
export type CliCommand = (args: string[], config: SignalConfig, logger: Logger) => Promise<void>;

/** The command-line entry points of `main.js <command> …`, besides starting the app. */
const CLI_COMMANDS = new Map<string, CliCommand>([
  ['migrate', (_args, config, logger) => migrateCommand(config, logger)],
  ['dlq:replay', dlqReplayCommand],
]);

export function cliCommand(name: string | undefined): CliCommand | undefined {
  return name === undefined ? undefined : CLI_COMMANDS.get(name);
}
