// Credentials and roles of the instance's users. The sys_user row is the record clients see;
// passwords and roles live here (like the platform's hashed password field and
// sys_user_has_role, neither of which the Table API returns).
import { createHash } from 'node:crypto'
import type { Instance } from '../instance/instance.ts'

export const passwordHash = (password: string): string => createHash('sha256').update(password).digest('hex')

export interface UserAccount {
  userName: string
  sysId: string
  password: string
  roles: Set<string>
  /** the platform answers 401 for inactive and locked-out users */
  active: boolean
  lockedOut: boolean
}

export interface NewUser {
  userName: string
  password: string
  roles?: string[]
  sysId?: string
  firstName?: string
  lastName?: string
  email?: string
}

/** sys_id of the out-of-box `admin` role (PySNC's live test_join_query_2 queries by it) */
export const ADMIN_ROLE_SYS_ID = '2831a114c611228501d4ea6c309d626d'

/** roles get the same sys_id on every instance: the OOB one for admin, one derived from the name otherwise */
export const roleSysId = (role: string): string =>
  role === 'admin' ? ADMIN_ROLE_SYS_ID : createHash('md5').update(`sys_user_role\u0000${role}`).digest('hex')

/** sys_id of the out-of-box `admin` user on every instance (PySNC's tests assume it) */
export const ADMIN_SYS_ID = '6816f79cc0a8016401c5a33be04be441'

export class UserDirectory {
  private readonly accounts = new Map<string, UserAccount>()
  private readonly instance: Instance

  constructor(instance: Instance) {
    this.instance = instance
  }

  add(user: NewUser): UserAccount {
    const existing = this.instance.get('sys_user', user.sysId ?? '')
    const first = user.firstName ?? user.userName
    const last = user.lastName ?? ''
    const ref =
      existing ??
      this.instance.insert(
        'sys_user',
        {
          user_name: user.userName,
          first_name: first,
          last_name: last,
          name: `${first}${last ? ` ${last}` : ''}`,
          email: user.email ?? `${user.userName}@example.com`,
          active: 'true',
          locked_out: 'false',
          // the platform keeps a one-way hash; the Table API shows it masked as a display value
          user_password: passwordHash(user.password),
        },
        'system',
        user.sysId,
      )
    const sysId = ref.store.value(ref.row, 'sys_id')
    const account: UserAccount = {
      userName: user.userName,
      sysId,
      password: user.password,
      roles: new Set(user.roles ?? []),
      active: true,
      lockedOut: false,
    }
    this.accounts.set(user.userName, account)
    for (const role of account.roles) this.linkRole(sysId, role)
    return account
  }

  /** credentials for a sys_user row that already exists (bulk-seeded users) */
  register(userName: string, sysId: string, password: string, roles: string[] = []): UserAccount {
    const account: UserAccount = { userName, sysId, password, roles: new Set(roles), active: true, lockedOut: false }
    this.accounts.set(userName, account)
    for (const role of account.roles) this.linkRole(sysId, role)
    return account
  }

  get(userName: string): UserAccount | undefined {
    const account = this.accounts.get(userName)
    if (!account) return undefined
    // the sys_user row is the source of truth for active / locked_out, as on the platform
    const ref = this.instance.get('sys_user', account.sysId)
    if (ref) {
      account.active = ref.store.value(ref.row, 'active') !== 'false'
      account.lockedOut = ref.store.value(ref.row, 'locked_out') === 'true'
    } else {
      account.active = false
    }
    return account
  }

  /** every account with its roles (passwords left out) */
  list(): Array<{ userName: string; sysId: string; roles: string[]; active: boolean; lockedOut: boolean }> {
    return [...this.accounts.keys()].flatMap((name) => {
      const a = this.get(name)
      return a
        ? [{ userName: a.userName, sysId: a.sysId, roles: [...a.roles], active: a.active, lockedOut: a.lockedOut }]
        : []
    })
  }

  /** user name + password check; undefined when wrong, inactive or locked out */
  verify(userName: string, password: string): UserAccount | undefined {
    const account = this.get(userName)
    if (!account || account.password !== password || !account.active || account.lockedOut) return undefined
    return account
  }

  /** the role's row exists (created with its stable sys_id when missing) */
  ensureRole(role: string): void {
    this.roleId(role)
  }

  /** the sys_id of the role's row, created with its stable sys_id when missing */
  roleId(role: string): string {
    const found = this.findRole(role)
    if (found) return found.store.value(found.row, 'sys_id')
    return this.instance.insert('sys_user_role', { name: role }, 'system', roleSysId(role)).row[0] as string
  }

  /** gives a registered user one more role (a sys_user_has_role row, as the platform keeps it) */
  grant(userName: string, role: string): void {
    const account = this.accounts.get(userName)
    if (!account || account.roles.has(role)) return
    account.roles.add(role)
    this.linkRole(account.sysId, role)
  }

  private linkRole(userSysId: string, role: string): void {
    this.instance.insert('sys_user_has_role', { user: userSysId, role: this.roleId(role), state: 'active' })
  }

  private findRole(role: string): ReturnType<Instance['get']> {
    const t = this.instance.table('sys_user_role')
    const store = this.instance.storeOf(t)
    for (let i = 0; i < store.size; i++) {
      const row = store.at(i) as string[]
      if (store.value(row, 'name') === role) return { table: 'sys_user_role', store, row }
    }
    return undefined
  }
}
