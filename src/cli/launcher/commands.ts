import type { Command } from 'commander';

/** `runstudio run` and `runstudio sweep` (being written). */
export function registerLaunchCommands(_program: Command): void {}
