// Ticketing: the task hierarchy (incident, catalog request, requested item, catalog task).
import { bool, choice, dateTime, dec, int, journal, ref, str } from '../field-builders.ts'
import type { TableDef } from '../types.ts'

const priorities: Array<[string, string]> = [
  ['1', '1 - Critical'],
  ['2', '2 - High'],
  ['3', '3 - Moderate'],
  ['4', '4 - Low'],
  ['5', '5 - Planning'],
]
const impactUrgency: Array<[string, string]> = [
  ['1', '1 - High'],
  ['2', '2 - Medium'],
  ['3', '3 - Low'],
]
const stages: Array<[string, string]> = [
  ['request_approved', 'Request Approved'],
  ['waiting_for_approval', 'Waiting for Approval'],
  ['fulfillment', 'Fulfillment'],
  ['delivery', 'Delivery'],
  ['complete', 'Completed'],
  ['Request Cancelled', 'Request Cancelled'],
]

export const taskTables: TableDef[] = [
  {
    name: 'task',
    label: 'Task',
    extensible: true,
    displayField: 'number',
    numberPrefix: 'TASK',
    fields: [
      str('number', 'Number', 40),
      str('short_description', 'Short description', 160),
      str('description', 'Description', 4000),
      choice(
        'state',
        'State',
        [
          ['-5', 'Pending'],
          ['1', 'Open'],
          ['2', 'Work in Progress'],
          ['3', 'Closed Complete'],
          ['4', 'Closed Incomplete'],
          ['7', 'Closed Skipped'],
        ],
        '1',
      ),
      choice('priority', 'Priority', priorities, '4'),
      choice('impact', 'Impact', impactUrgency, '3'),
      choice('urgency', 'Urgency', impactUrgency, '3'),
      bool('active', 'Active', 'true'),
      dateTime('opened_at', 'Opened'),
      ref('opened_by', 'Opened by', 'sys_user'),
      dateTime('closed_at', 'Closed'),
      ref('assigned_to', 'Assigned to', 'sys_user'),
      ref('assignment_group', 'Assignment group', 'sys_user_group'),
      ref('cmdb_ci', 'Configuration item', 'cmdb_ci'),
      ref('company', 'Company', 'core_company'),
      str('correlation_id', 'Correlation ID', 100),
      str('correlation_display', 'Correlation display', 100),
      str('contact_type', 'Contact type', 40),
      journal('comments', 'Additional comments'),
      journal('work_notes', 'Work notes'),
    ],
  },
  {
    name: 'incident',
    label: 'Incident',
    superClass: 'task',
    numberPrefix: 'INC',
    fields: [
      ref('caller_id', 'Caller', 'sys_user'),
      choice('category', 'Category', [
        ['inquiry', 'Inquiry / Help'],
        ['software', 'Software'],
        ['hardware', 'Hardware'],
        ['network', 'Network'],
        ['database', 'Database'],
      ]),
      str('subcategory', 'Subcategory', 40),
      choice(
        'incident_state',
        'Incident state',
        [
          ['1', 'New'],
          ['2', 'In Progress'],
          ['3', 'On Hold'],
          ['6', 'Resolved'],
          ['7', 'Closed'],
          ['8', 'Canceled'],
        ],
        '1',
      ),
      str('close_code', 'Resolution code', 40),
      str('close_notes', 'Resolution notes', 4000),
    ],
  },
  {
    name: 'sc_request',
    label: 'Request',
    superClass: 'task',
    numberPrefix: 'REQ',
    fields: [
      ref('requested_for', 'Requested for', 'sys_user'),
      choice(
        'request_state',
        'Request state',
        [
          ['requested', 'Pending Approval'],
          ['in_process', 'Approved'],
          ['closed_complete', 'Closed Complete'],
          ['closed_incomplete', 'Closed Incomplete'],
          ['closed_cancelled', 'Closed Cancelled'],
          ['closed_rejected', 'Closed Rejected'],
        ],
        'requested',
      ),
      dec('price', 'Price'),
      str('special_instructions', 'Special instructions', 4000),
      choice('stage', 'Stage', stages, 'request_approved'),
    ],
  },
  {
    name: 'sc_req_item',
    label: 'Requested Item',
    superClass: 'task',
    numberPrefix: 'RITM',
    fields: [
      ref('request', 'Request', 'sc_request'),
      ref('cat_item', 'Item', 'sc_cat_item'),
      ref('requested_for', 'Requested for', 'sys_user'),
      int('quantity', 'Quantity', '1'),
      dec('price', 'Price'),
      choice('stage', 'Stage', stages, 'request_approved'),
    ],
  },
  {
    name: 'sc_task',
    label: 'Catalog Task',
    superClass: 'task',
    numberPrefix: 'SCTASK',
    fields: [ref('request_item', 'Request item', 'sc_req_item'), ref('request', 'Request', 'sc_request')],
  },
]
