import { describe, expect, it } from 'vitest'
import { currentProcess, processStart, provablyDead } from './process-identity.js'

const self = { host: 'h', machine: 'm', boot: 'b', pidns: 'pid:[1]', pid: 10, start: '500' }
const gone = () => ({ alive: false, start: undefined })
const running = (start: string | undefined) => () => ({ alive: true, start })

describe('provablyDead', () => {
  it('a process of this host and namespace that is gone, or whose pid another process now has, is dead', () => {
    expect(provablyDead({ ...self, pid: 7, start: '100' }, self, gone)).toBe(true)
    expect(provablyDead({ ...self, pid: 7, start: '100' }, self, running('900'))).toBe(true)
    expect(provablyDead({ ...self, pid: 7, start: '100' }, self, running('100'))).toBe(false)
    // A start time that cannot be read proves nothing: the pid's process is taken for the holder.
    expect(provablyDead({ ...self, pid: 7, start: undefined }, self, running('900'))).toBe(false)
  })

  it('the same machine booted since: dead; another host, machine or pid namespace: never provably dead', () => {
    expect(provablyDead({ ...self, boot: 'earlier' }, self, running('500'))).toBe(true)
    expect(provablyDead({ ...self, host: 'other' }, self, gone)).toBe(false)
    expect(provablyDead({ ...self, machine: 'other' }, self, gone)).toBe(false)
    expect(provablyDead({ ...self, machine: undefined }, self, gone)).toBe(false)
    expect(provablyDead({ ...self, pidns: 'pid:[2]' }, self, gone)).toBe(false)
  })

  it('without /proc facts on either side (macOS), a pid that is gone is still proof', () => {
    const mac = { ...self, machine: undefined, boot: undefined, pidns: undefined, start: undefined }
    expect(provablyDead({ ...mac, pid: 7 }, mac, gone)).toBe(true)
    expect(provablyDead({ ...mac, pid: 7 }, mac, running(undefined))).toBe(false)
  })

  it('reads this process from /proc on Linux', () => {
    const me = currentProcess()
    expect(me.pid).toBe(process.pid)
    if (process.platform === 'linux') expect(me.start).toMatch(/^\d+$/)
    expect(processStart(2 ** 22 + 1)).toBeUndefined()
  })
})
