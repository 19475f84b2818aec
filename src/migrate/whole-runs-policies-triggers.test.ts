import { describe, expect, it } from 'vitest'
import { changeOf } from '../../test/support/change-of.js'
import {
  breaks,
  createIdx,
  dropApart,
  dropIdx,
  madeNotNull,
  other,
  posts,
  recreation,
  step,
  tags,
} from '../../test/support/whole-runs-steps.js'
import { fk, nameOf, triggerOf, typeOf, viewOf } from '../schema/build.js'
import { dependsOn, mustKeepOrder } from './step-ties.js'
import { keepRunsWhole, runMembers } from './whole-runs.js'

describe('keepRunsWhole, with what steps read by the model', () => {
  it('moves a NOT NULL validated apart past a trigger of the converted table made again, with the view over it', () => {
    const audit =
      "CREATE TRIGGER posts_audit BEFORE UPDATE ON public.posts FOR EACH ROW WHEN ((new.m = 'ok'::mood)) EXECUTE FUNCTION public.audit()"
    const postsTrigger = (kind: 'createTrigger' | 'dropTrigger') =>
      changeOf(kind, { trigger: triggerOf(posts, 'posts_audit', 'audit', audit, { columns: ['m'] }) })
    const dropAudit = step('DROP TRIGGER posts_audit ON public.posts', 'posts', postsTrigger('dropTrigger'))
    const createAudit = step(audit, 'posts', postsTrigger('createTrigger'))
    // posts.a becomes a bigint NOT NULL, proven by a check validated apart.
    const { add: addA, validate: validateA, set: setA } = madeNotNull(posts, 'a', typeOf('int4'), typeOf('int8'))
    const view = viewOf('public.posts_a', ' SELECT posts.a FROM posts;', [posts])
    const createView = step(
      'CREATE VIEW public.posts_a AS SELECT posts.a FROM posts',
      undefined,
      changeOf('createView', { view }),
    )
    const steps = [dropAudit, dropIdx, ...recreation, addA, validateA, setA, createIdx, createView]
    // On main: TypeError (the view beside the trigger read the trigger's change as having a table of its own).
    expect(keepRunsWhole([...steps, createAudit], breaks)).toEqual([
      dropAudit,
      dropIdx,
      ...recreation,
      addA,
      createIdx,
      createAudit,
      validateA,
      setA,
      createView,
    ])
    // A foreign key to posts beside the trigger (keyBesideLocal) read it so too: TypeError.
    const validateKey = step(
      'ALTER TABLE public.notes VALIDATE CONSTRAINT notes_posts_fkey',
      'notes',
      changeOf('addForeignKey', {
        table: nameOf('public.notes'),
        foreignKey: fk('notes_posts_fkey', ['p'], posts, ['id']),
      }),
    )
    expect(mustKeepOrder(validateKey, createAudit)).toBe(false)
  })

  // What the recreation drops and makes again because it casts to the type, on a table it does not convert
  // (diff/enum-dependents.ts castReaders): a restrictive policy, a trigger's WHEN. Their SQL names nothing of mood, so
  // they stood outside the run: a concurrent drop between the policy's drop and the run split them, and a failed
  // conversion left the policy dropped (rows it hid visible) or the trigger gone.
  describe('a policy or a trigger on another table that casts to the recreated type', () => {
    const policy = (kind: 'createPolicy' | 'dropPolicy') =>
      changeOf(kind, {
        table: tags,
        policy: {
          name: 'tags_ok',
          restrictive: true,
          command: 'ALL',
          roles: ['PUBLIC'],
          using: "(s)::mood = 'ok'::mood",
        },
      })
    const dropPolicy = step('DROP POLICY tags_ok ON public.tags', 'tags', policy('dropPolicy'))
    const createPolicy = step(
      "CREATE POLICY tags_ok ON public.tags AS RESTRICTIVE USING ((s)::mood = 'ok'::mood)",
      'tags',
      policy('createPolicy'),
    )
    const definition =
      "CREATE TRIGGER tags_audit AFTER UPDATE ON public.tags FOR EACH ROW WHEN (((new.s)::mood = 'ok'::mood)) EXECUTE FUNCTION public.audit()"
    const trigger = (kind: 'createTrigger' | 'dropTrigger') =>
      changeOf(kind, { trigger: triggerOf(tags, 'tags_audit', 'public.audit', definition, { columns: ['s'] }) })
    const dropTrigger = step('DROP TRIGGER tags_audit ON public.tags', 'tags', trigger('dropTrigger'))
    const createTrigger = step(definition, 'tags', trigger('createTrigger'))

    it('keeps the policy in the run: a concurrent drop on its table goes before it', () => {
      const apart = dropApart('tags')
      const steps = [dropPolicy, apart, dropIdx, ...recreation, createIdx, createPolicy]
      expect([...runMembers(steps, breaks)]).toEqual(steps.filter((s) => s !== apart))
      // On main: the run began at dropIdx, and the plan was split between DROP POLICY and the conversion. Counted in
      // the run without untying the index from the policy (one lock on tags): error[SPLIT_RUN].
      expect(keepRunsWhole(steps, breaks)).toEqual([apart, ...steps.filter((s) => s !== apart)])
    })

    it('keeps the trigger in the run: a concurrent drop on another table goes before it', () => {
      const apart = dropApart('notes')
      const steps = [dropTrigger, apart, dropIdx, ...recreation, createIdx, createTrigger]
      expect(runMembers(steps, breaks).has(dropTrigger)).toBe(true)
      expect(runMembers(steps, breaks).has(createTrigger)).toBe(true)
      expect(keepRunsWhole(steps, breaks)).toEqual([apart, ...steps.filter((s) => s !== apart)])
    })

    it('moves a NOT NULL validated apart on the table of the policy past the policy made again', () => {
      const { add: addK, validate: validateK, set: setK } = madeNotNull(tags, 'k', typeOf('int4'))
      const steps = [dropPolicy, dropIdx, ...recreation, addK, validateK, setK, createIdx, createPolicy]
      // With the policy's change not counted a local one, the table tied it to the VALIDATE: error[SPLIT_RUN].
      expect(keepRunsWhole(steps, breaks)).toEqual([
        dropPolicy,
        dropIdx,
        ...recreation,
        addK,
        createIdx,
        createPolicy,
        validateK,
        setK,
      ])
    })

    it('still ties an index to a policy or a trigger of its table that names it', () => {
      const named = step('DROP INDEX CONCURRENTLY public.tags_ok', 'tags', other('dropIndex', 'tags', 'tags_ok'), false)
      expect(dependsOn(named, dropPolicy)).toBe(true)
      expect(dependsOn(dropApart('tags'), dropPolicy)).toBe(false)
      expect(dependsOn(dropApart('tags'), createTrigger)).toBe(false)
    })
  })
})
