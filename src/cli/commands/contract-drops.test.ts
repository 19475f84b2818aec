import { describe, expect, it } from 'vitest'
import type { Change } from '../../diff/change.js'
import type { Plan, Step } from '../../plan/step.js'
import { contractDrops } from './contract-drops.js'

const step = (sql: string, kind: string, dataLoss: Step['dataLoss'] = 'none'): Step => ({
  sql,
  reverse: { irreversible: 'test' },
  transactional: false,
  lock: { mode: 'metadata', blocks: 'readsAndWrites', on: [] },
  rewritesTable: false,
  scansTable: false,
  dataLoss,
  phase: 'expand',
  source: { kind } as unknown as Change,
  comment: sql,
})

const outline = (plan: Plan | undefined) => plan?.steps.map((s) => `${s.phase} ${s.sql}`)

describe('contractDrops', () => {
  it('moves plain drops of tables and columns last, as the contract phase, in their order', () => {
    const plan: Plan = {
      dialect: 'mysql',
      steps: [
        step('ALTER TABLE `posts` DROP FOREIGN KEY `fk`', 'dropForeignKey'),
        step('DROP TABLE `posts`', 'dropTable', 'certain'),
        step('ALTER TABLE `users` DROP COLUMN `legacy`, ALGORITHM=INSTANT', 'dropColumn', 'certain'),
        step('ALTER TABLE `users` ADD COLUMN `nick` varchar(20) NULL, ALGORITHM=INSTANT', 'addColumn'),
      ],
    }
    expect(outline(contractDrops(plan))).toEqual([
      'expand ALTER TABLE `posts` DROP FOREIGN KEY `fk`',
      'expand ALTER TABLE `users` ADD COLUMN `nick` varchar(20) NULL, ALGORITHM=INSTANT',
      'contract DROP TABLE `posts`',
      'contract ALTER TABLE `users` DROP COLUMN `legacy`, ALGORITHM=INSTANT',
    ])
  })

  it('leaves a rebuild whole, and a plan without drops alone', () => {
    const rebuild = step(
      'CREATE TABLE "_keel_new_users" (id integer);\nINSERT INTO "_keel_new_users" SELECT id FROM "users";\nDROP TABLE "users"',
      'dropColumn',
      'certain',
    )
    expect(contractDrops({ dialect: 'sqlite', steps: [rebuild] })).toBeUndefined()
    expect(contractDrops({ dialect: 'sqlite', steps: [step('CREATE TABLE t (a int)', 'createTable')] })).toBeUndefined()
  })
})
