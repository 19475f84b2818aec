import type { Extension } from '../model.js'
import { attachState, BRAND } from './brand-of.js'

/** What an extension declaration holds, under its brand. */
export interface ExtensionState extends Extension {
  readonly kind: 'extension'
}

/** A declared extension. */
export interface ExtensionDef {
  readonly [BRAND]: ExtensionState
  readonly extensionName: string
}

/**
 * Declares an extension (`CREATE EXTENSION`).
 * @example export const citext = extension('citext')
 */
export function extension(
  name: string,
  options: { readonly schema?: string; readonly version?: string } = {},
): ExtensionDef {
  const state: ExtensionState = {
    kind: 'extension',
    name,
    // The model omits the default namespace for extensions.
    ...(options.schema === undefined || options.schema === 'public' ? {} : { schema: options.schema }),
    ...(options.version === undefined ? {} : { version: options.version }),
  }
  return Object.freeze(attachState({ extensionName: name }, state)) as ExtensionDef
}
