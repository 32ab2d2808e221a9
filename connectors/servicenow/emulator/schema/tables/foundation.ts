// Foundation tables: people, groups, companies, locations, departments.
import { bool, choice, ref, str } from '../field-builders.ts'
import type { TableDef } from '../types.ts'

/** the time zones offered on the user form (a selection of the platform's list) */
const TIME_ZONES = [
  'GMT',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Paris',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'Asia/Kolkata',
  'Asia/Tokyo',
  'Australia/Sydney',
]

export const foundationTables: TableDef[] = [
  {
    name: 'sys_user',
    label: 'User',
    displayField: 'name',
    fields: [
      str('user_name', 'User ID', 40),
      str('first_name', 'First name', 50),
      str('last_name', 'Last name', 50),
      str('name', 'Name', 151),
      str('email', 'Email', 100),
      bool('active', 'Active', 'true'),
      bool('locked_out', 'Locked out'),
      bool('web_service_access_only', 'Web service access only'),
      ref('department', 'Department', 'cmn_department'),
      ref('location', 'Location', 'cmn_location'),
      ref('company', 'Company', 'core_company'),
      ref('manager', 'Manager', 'sys_user'),
      str('title', 'Title', 60),
      str('employee_number', 'Employee number', 40),
      str('phone', 'Business phone', 40),
      str('mobile_phone', 'Mobile phone', 40),
      { name: 'user_password', label: 'Password', type: 'password', maxLength: 255 },
      choice(
        'time_zone',
        'Time zone',
        TIME_ZONES.map((z) => [z, z]),
      ),
      choice('date_format', 'Date format', [
        ['dd-MM-yyyy', 'dd-MM-yyyy'],
        ['dd/MM/yyyy', 'dd/MM/yyyy'],
        ['dd.MM.yyyy', 'dd.MM.yyyy'],
        ['MM-dd-yyyy', 'MM-dd-yyyy'],
        ['yyyy-MM-dd', 'yyyy-MM-dd'],
      ]),
    ],
  },
  {
    name: 'sys_user_group',
    label: 'Group',
    displayField: 'name',
    fields: [
      str('name', 'Name', 80),
      str('description', 'Description', 1000),
      ref('manager', 'Manager', 'sys_user'),
      str('email', 'Group email', 100),
      bool('active', 'Active', 'true'),
      str('type', 'Type', 1024),
      ref('parent', 'Parent', 'sys_user_group'),
    ],
  },
  {
    name: 'sys_user_grmember',
    label: 'Group Member',
    fields: [ref('user', 'User', 'sys_user'), ref('group', 'Group', 'sys_user_group')],
  },
  {
    name: 'sys_user_role',
    label: 'Role',
    displayField: 'name',
    fields: [str('name', 'Name', 100), str('description', 'Description', 1000)],
  },
  {
    name: 'sys_user_has_role',
    label: 'User Role',
    fields: [ref('user', 'User', 'sys_user'), ref('role', 'Role', 'sys_user_role'), str('state', 'State', 40)],
  },
  {
    name: 'sys_group_has_role',
    label: 'Group Role',
    fields: [
      ref('group', 'Group', 'sys_user_group'),
      ref('role', 'Role', 'sys_user_role'),
      bool('inherits', 'Inherits', 'true'),
    ],
  },
  {
    name: 'core_company',
    label: 'Company',
    displayField: 'name',
    fields: [
      str('name', 'Name', 80),
      bool('manufacturer', 'Manufacturer'),
      bool('vendor', 'Vendor'),
      str('website', 'Website', 1024),
      str('country', 'Country', 40),
    ],
  },
  {
    name: 'cmn_location',
    label: 'Location',
    displayField: 'name',
    fields: [str('name', 'Name', 100), str('city', 'City', 100), str('country', 'Country', 40)],
  },
  {
    name: 'cmn_department',
    label: 'Department',
    displayField: 'name',
    fields: [str('name', 'Name', 100), str('id', 'ID', 40), ref('dept_head', 'Department head', 'sys_user')],
  },
]
