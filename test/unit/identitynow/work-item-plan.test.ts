// Manual work items to plans: every account operation and attribute operation; the plan, and so
// the correlation id, does not depend on the order the tenant lists items in; work items on
// other sources are not ours; what cannot be read is said, not guessed.
import { test } from 'tap'
import { planOf, workItemIdOf } from '../../../connectors/identitynow/intake/work-item-plan.ts'
import type { ApprovalItem, WorkItem } from '../../../connectors/identitynow/tenant/client.ts'
import { correlationId, type ProvisioningPlan } from '../../../connectors/identitynow/provisioning/plan.ts'

const managed = new Map([['HR Portal', 'src-hr']])
const item = (approvalItems: ApprovalItem[], extra: Partial<WorkItem> = {}): WorkItem => ({
  id: 'wi-1',
  type: 'ManualAction',
  state: 'Pending',
  requesterId: 'req-1',
  requesterDisplayName: 'Rita Requester',
  description: 'Create an Account for Jane Doe on HR Portal',
  approvalItems,
  ...extra,
})
const line = (id: string, name: string | null, operation: string, value: string | null = null): ApprovalItem => ({
  id,
  account: 'jane.doe',
  application: 'HR Portal',
  name,
  operation,
  value,
  state: 'Pending',
})
const planIn = (conversion: ReturnType<typeof planOf>): ProvisioningPlan => {
  if (conversion.kind !== 'plan') throw new Error(`expected a plan, got ${conversion.kind}`)
  return conversion.plan
}

test('every account operation, with its attribute lines', async (t) => {
  for (const op of ['Create', 'Enable', 'Disable', 'Unlock', 'Delete', 'Modify']) {
    const plan = planIn(planOf(item([line('a', null, op.toLowerCase()), line('b', 'title', 'Set', 'Eng')]), managed))
    t.match(plan.accountRequests, [
      {
        source: { id: 'src-hr', name: 'HR Portal' },
        nativeIdentity: 'jane.doe',
        operation: op,
        attributeRequests: [{ name: 'title', value: 'Eng', operation: 'Set' }],
      },
    ])
  }
  const plan = planIn(
    planOf(
      item([line('a', 'groups', 'Add', 'VPN'), line('b', 'groups', 'Remove', 'Old'), line('c', 'x', 'Set')]),
      managed,
    ),
  )
  t.match(plan, {
    requestId: 'work-item:wi-1',
    identity: { id: 'jane.doe', name: 'jane.doe' },
    requester: { id: 'req-1', name: 'Rita Requester' },
    arguments: { workItemId: 'wi-1', action: 'ManualWorkItem' },
    accountRequests: [
      {
        operation: 'Modify',
        attributeRequests: [
          { name: 'groups', value: 'Old', operation: 'Remove' },
          { name: 'groups', value: 'VPN', operation: 'Add' },
          { name: 'x', operation: 'Set' },
        ],
      },
    ],
  })
  t.equal(workItemIdOf(plan), 'wi-1')
  t.equal(workItemIdOf({ requestId: 'IR-1' }), undefined)
})

test('the same work item listed in another order gives the same correlation id', async (t) => {
  const lines = [line('a', null, 'Create'), line('b', 'title', 'Set', 'Eng'), line('c', 'dept', 'Set', 'R&D')]
  const one = planIn(planOf(item(lines), managed))
  const two = planIn(planOf(item([...lines].reverse(), { description: 'reworded later' }), managed))
  const id = (p: ProvisioningPlan) => correlationId(p, 'src-hr', p.accountRequests)
  t.equal(id(one), id(two))
  const other = planIn(planOf(item(lines, { id: 'wi-2' }), managed))
  t.not(id(other), id(one), 'another work item with the same content is another plan')
})

test('not ours, mixed, unreadable; remediation items', async (t) => {
  t.same(planOf(item([{ ...line('a', null, 'Create'), application: 'Badges' }]), managed), { kind: 'not-ours' })
  t.same(planOf(item([]), managed), { kind: 'not-ours' })
  t.match(planOf(item([line('a', null, 'Create'), { ...line('b', null, 'Create'), application: 'Badges' }]), managed), {
    kind: 'unreadable',
    reason: /mixes/,
  })
  t.match(planOf(item([line('a', null, 'Teleport')]), managed), { kind: 'unreadable', reason: /"Teleport"/ })
  t.match(planOf(item([line('a', 'groups', 'Merge', 'X')]), managed), { kind: 'unreadable', reason: /"Merge"/ })

  const revoked = planIn(
    planOf(
      item([], {
        type: 'Remediation',
        remediationItems: [
          {
            id: 'r1',
            targetId: 'idn-7',
            targetName: 'jane.doe',
            targetDisplayName: 'Jane Doe',
            applicationName: 'HR Portal',
            attributeName: 'groups',
            attributeOperation: 'Remove',
            attributeValue: 'Payroll',
            nativeIdentity: 'jane.doe',
          },
        ],
      }),
      managed,
    ),
  )
  t.match(revoked, {
    identity: { id: 'idn-7', name: 'Jane Doe' },
    accountRequests: [
      { operation: 'Modify', attributeRequests: [{ name: 'groups', value: 'Payroll', operation: 'Remove' }] },
    ],
  })
})
