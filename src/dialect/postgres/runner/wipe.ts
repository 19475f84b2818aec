import type { Connection } from '../../../db/connection.js'
import { quoteIdent } from '../quote.js'

interface NamespaceRow {
  nspname: string
  owner: string
}

interface AclRow {
  grantee: string | null
  privilege_type: string
  is_grantable: boolean
}

/** Drops all non-system namespaces with their contents; recreates `public` as it was (owner, grants). */
export async function wipePostgres(conn: Connection): Promise<readonly string[]> {
  const namespaces = await conn.query<NamespaceRow>(
    `select n.nspname, pg_catalog.pg_get_userbyid(n.nspowner) as owner from pg_catalog.pg_namespace n
      where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
        and n.nspname not like 'pg\\_temp\\_%' and n.nspname not like 'pg\\_toast\\_temp\\_%'
      order by n.nspname`,
  )
  for (const ns of namespaces) {
    if (ns.nspname === 'public') await recreatePublic(conn, ns.owner)
    else await conn.exec(`DROP SCHEMA ${quoteIdent(ns.nspname)} CASCADE`)
  }
  return namespaces.map((ns) => ns.nspname)
}

async function recreatePublic(conn: Connection, owner: string): Promise<void> {
  const acl = await conn.query<AclRow>(
    `select case when a.grantee = 0 then null else pg_catalog.pg_get_userbyid(a.grantee) end as grantee,
            a.privilege_type, a.is_grantable
       from pg_catalog.pg_namespace n, lateral aclexplode(n.nspacl) a
      where n.nspname = 'public' and a.grantee <> n.nspowner`,
  )
  await conn.transaction(async (tx) => {
    await tx.exec('DROP SCHEMA public CASCADE')
    await tx.exec(`CREATE SCHEMA public AUTHORIZATION ${quoteIdent(owner)}`)
    for (const grant of acl) {
      const privilege = grant.privilege_type === 'CREATE' ? 'CREATE' : 'USAGE'
      const grantee = grant.grantee === null ? 'PUBLIC' : quoteIdent(grant.grantee)
      await tx.exec(
        `GRANT ${privilege} ON SCHEMA public TO ${grantee}${grant.is_grantable ? ' WITH GRANT OPTION' : ''}`,
      )
    }
  })
}
