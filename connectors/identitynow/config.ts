// The IdentityNow module's section of the configuration (`identitynow.*`): the ticket poll job,
// the Identity Security Cloud tenant and its work-item intake. Composed into the hub's one schema
// (modules.ts), so the README table and the environment names come from here too.
import { Type, type Static } from 'typebox'

export const IdentityNowSettingsSchema = Type.Object(
  {
    ticketPollCron: Type.String({
      minLength: 1,
      default: '* * * * *',
      env: 'CROSSWALK_IDN_TICKET_POLL_CRON',
      description: 'Cron of the ServiceNow ticket status poll job of the IdentityNow SIM; "off" for none.',
    }),
    tenant: Type.Object(
      {
        url: Type.String({
          pattern: '^(https?://.+)?$',
          default: '',
          env: 'CROSSWALK_IDN_TENANT_URL',
          description:
            'Identity Security Cloud API URL (https://{tenant}.api.identitynow.com): completed tickets close their access requests there, and its manual work items on managed sources are pulled (workItems). Empty: no tenant.',
        }),
        clientId: Type.String({
          default: '',
          env: 'CROSSWALK_IDN_CLIENT_ID',
          description: 'OAuth client id (client credentials) of an API client on that tenant.',
        }),
        clientSecret: Type.Optional(
          Type.String({
            minLength: 1,
            env: 'CROSSWALK_IDN_CLIENT_SECRET',
            secret: true,
            description:
              'Its secret; sealed in the vault at start (identitynow/tenant-client-secret), which is read when this is unset.',
          }),
        ),
      },
      { default: {} },
    ),
    workItems: Type.Object(
      {
        enabled: Type.Boolean({
          default: true,
          env: 'CROSSWALK_IDN_WORK_ITEMS',
          description:
            "Pull the tenant's pending manual work items on managed sources and turn them into tickets (needs identitynow.tenant).",
        }),
        pollMinutes: Type.Integer({
          minimum: 1,
          maximum: 59,
          default: 5,
          env: 'CROSSWALK_IDN_WORK_ITEMS_MINUTES',
          description: 'Minutes between passes over the pending work items.',
        }),
        ownerIds: Type.Array(Type.String({ minLength: 1 }), {
          default: [],
          description: "Identity ids of the work items' owners to read (admin client); empty: the client's own.",
        }),
      },
      { default: {} },
    ),
  },
  { default: {} },
)

export type IdentityNowSettings = Static<typeof IdentityNowSettingsSchema>

declare module '../../core/config/schema.ts' {
  interface ModuleSettings {
    identitynow: IdentityNowSettings
  }
}
