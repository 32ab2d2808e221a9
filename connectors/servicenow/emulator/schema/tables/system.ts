// System properties (sys_properties): name, value, type, description as the platform's System
// Property form has them. The release properties an instance reports are seeded from
// seed/release.ts.
import { bool, choice, int, str } from '../field-builders.ts'
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
]
