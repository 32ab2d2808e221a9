// System properties (sys_properties): name, value, type, description as the platform's System
// Property form has them. The release properties an instance reports are seeded from
// seed/release.ts. The plugin list (v_plugin) as System Definition > Plugins shows it: `active`
// holds `active` or `inactive`; reading it needs admin (the out-of-box ACL, seed/out-of-box.ts).
import { bool, choice, int, ref, str } from '../field-builders.ts'
import type { TableDef } from '../types.ts'

export const systemTables: TableDef[] = [
  {
    name: 'sys_properties',
    label: 'System Property',
    displayField: 'name',
    fields: [
      str('name', 'Name', 100),
      str('value', 'Value', 4000),
      choice(
        'type',
        'Type',
        [
          ['string', 'string'],
          ['integer', 'integer'],
          ['boolean', 'true | false'],
          ['choicelist', 'choice list'],
          ['password', 'password'],
          ['password2', 'password2'],
          ['short_string', 'short string'],
          ['timezone', 'timezone'],
          ['uploaded_image', 'uploaded image'],
        ],
        'string',
      ),
      str('description', 'Description', 512),
      str('choices', 'Choices', 512),
      str('suffix', 'Suffix', 100),
      bool('is_private', 'Private'),
      bool('ignore_cache', 'Ignore cache'),
      str('read_roles', 'Read roles', 255),
      str('write_roles', 'Write roles', 255),
    ],
  },
  {
    name: 'v_plugin',
    label: 'Plugin',
    displayField: 'name',
    fields: [
      str('id', 'ID', 255),
      str('name', 'Name', 255),
      choice(
        'active',
        'Status',
        [
          ['active', 'Active'],
          ['inactive', 'Inactive'],
        ],
        'inactive',
      ),
      str('version', 'Version', 40),
    ],
  },
  {
    // attachment metadata; the file bytes live beside it (attachments/store.ts)
    name: 'sys_attachment',
    label: 'Attachment',
    displayField: 'file_name',
    fields: [
      str('file_name', 'File name', 100),
      str('content_type', 'Content type', 100),
      str('size_bytes', 'Size bytes', 40),
      str('size_compressed', 'Size compressed', 40),
      bool('compressed', 'Compressed'),
      str('table_name', 'Table name', 100),
      str('table_sys_id', 'Table sys ID', 32),
      str('hash', 'Hash', 64),
      str('state', 'State', 40),
      int('chunk_size_bytes', 'Chunk size bytes'),
      str('image_width', 'Image width', 40),
      str('image_height', 'Image height', 40),
      str('average_image_color', 'Average image color', 40),
    ],
  },
  {
    // the system log; a developer instance holds thousands of rows (PySNC's live tests read > 600)
    name: 'syslog',
    label: 'System Log',
    displayField: 'message',
    fields: [
      choice(
        'level',
        'Level',
        [
          ['-1', 'Debug'],
          ['0', 'Information'],
          ['1', 'Warning'],
          ['2', 'Error'],
        ],
        '0',
      ),
      str('message', 'Message', 4000),
      str('source', 'Source', 100),
      str('context_map', 'Context map', 4000),
    ],
  },
  {
    // application files: every configuration record extends it
    name: 'sys_metadata',
    label: 'Application File',
    extensible: true,
    displayField: 'sys_name',
    fields: [
      str('sys_name', 'Display name', 255),
      str('sys_update_name', 'Update name', 250),
      str('sys_scope', 'Application', 32),
      str('sys_package', 'Package', 32),
      str('sys_policy', 'Protection policy', 40),
    ],
  },
  {
    name: 'sys_script',
    label: 'Business Rule',
    superClass: 'sys_metadata',
    displayField: 'name',
    fields: [
      str('name', 'Name', 100),
      str('collection', 'Table', 80),
      choice(
        'when',
        'When',
        [
          ['before', 'before'],
          ['after', 'after'],
          ['async', 'async'],
          ['display', 'display'],
        ],
        'before',
      ),
      bool('active', 'Active', 'true'),
      int('order', 'Order', '100'),
      bool('action_insert', 'Insert'),
      bool('action_update', 'Update'),
      bool('action_delete', 'Delete'),
      bool('action_query', 'Query'),
      str('condition', 'Condition', 254),
      str('script', 'Script', 8000),
      str('description', 'Description', 4000),
    ],
  },
  {
    name: 'alm_asset',
    label: 'Asset',
    extensible: true,
    displayField: 'display_name',
    fields: [
      str('display_name', 'Display name', 255),
      str('asset_tag', 'Asset tag', 40),
      str('serial_number', 'Serial number', 100),
      ref('ci', 'Configuration Item', 'cmdb_ci'),
      ref('assigned_to', 'Assigned to', 'sys_user'),
      ref('location', 'Location', 'cmn_location'),
      choice(
        'install_status',
        'State',
        [
          ['1', 'In use'],
          ['6', 'In stock'],
          ['7', 'Retired'],
        ],
        '6',
      ),
    ],
  },
]
