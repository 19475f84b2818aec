import { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import type { ActionRunner, RegisterCommand } from '../command.js'
import { allCommands, commandsFor } from './all.js'

const noRun = (() => async () => {}) as unknown as ActionRunner

function helpWith(registers: readonly RegisterCommand[]): string {
  const program = new Command('keel')
  for (const register of registers) register(program, noRun)
  return program.helpInformation()
}

describe('commandsFor', () => {
  it('lists every command in --help as its own module declares it, without loading any', async () => {
    const loaded = await Promise.all(allCommands.map((command) => command.load()))
    expect(helpWith(await commandsFor(['--help']))).toBe(helpWith(loaded))
  })

  it('loads only the command a command line names, also after options and under help', async () => {
    for (const argv of [['status'], ['--json', 'status'], ['help', 'status']]) {
      const registers = await commandsFor(argv)
      expect(registers).toHaveLength(1)
      const program = new Command('keel')
      registers[0]?.(program, noRun)
      expect(program.commands.map((command) => command.name())).toEqual(['status'])
      expect(program.commands[0]?.options.length).toBeGreaterThan(1)
    }
  })
})
