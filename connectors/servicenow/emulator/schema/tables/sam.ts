// Software Asset Management tables. Discovery-model status and product-type values are stored
// in lower case with spaces, as SAP LeanIX's documented filter expects (docs/reference/servicenow.md §5.2):
// statusINmanually normalized,normalized,partially normalized^norm_typeINlicensable,not licensable,unknown
import { bool, choice, date, dateTime, int, ref, str } from '../field-builders.ts'
import type { TableDef } from '../types.ts'

export const samTables: TableDef[] = [
  {
    name: 'cmdb_sam_sw_discovery_model',
    label: 'Software Discovery Model',
    displayField: 'display_name',
    fields: [
      str('display_name', 'Display name', 255),
      str('publisher', 'Publisher', 255),
      str('product', 'Product', 255),
      str('version', 'Version', 255),
      choice(
        'status',
        'Normalization status',
        [
          ['new', 'New'],
          ['normalized', 'Normalized'],
          ['partially normalized', 'Partially Normalized'],
          ['publisher normalized', 'Publisher Normalized'],
          ['manually normalized', 'Manually Normalized'],
          ['match not found', 'Match Not Found'],
        ],
        'new',
      ),
      str('norm_publisher', 'Normalized publisher', 255),
      str('norm_product', 'Normalized product', 255),
      str('norm_version', 'Normalized version', 255),
      str('norm_full_version', 'Normalized full version', 255),
      str('norm_edition', 'Normalized edition', 255),
      str('norm_platform', 'Normalized platform', 255),
      str('norm_language', 'Normalized language', 255),
      choice('norm_type', 'Product type', [
        ['licensable', 'Licensable'],
        ['not licensable', 'Not Licensable'],
        ['unknown', 'Unknown'],
        ['child', 'Child'],
        ['driver', 'Driver'],
        ['patch', 'Patch'],
      ]),
      ref('software_model', 'Software model', 'cmdb_software_product_model'),
      int('install_count', 'Install count', '0'),
    ],
  },
  {
    name: 'cmdb_sam_sw_install',
    label: 'Software Installation',
    displayField: 'display_name',
    fields: [
      str('display_name', 'Display name', 255),
      str('publisher', 'Publisher', 255),
      str('version', 'Version', 255),
      ref('installed_on', 'Installed on', 'cmdb_ci'),
      ref('discovery_model', 'Discovery model', 'cmdb_sam_sw_discovery_model'),
      ref('software_model', 'Software model', 'cmdb_software_product_model'),
      date('install_date', 'Install date'),
      dateTime('last_scanned', 'Last scanned'),
      dateTime('last_used', 'Last used'),
      bool('active', 'Active', 'true'),
    ],
  },
  {
    name: 'cmdb_software_instance',
    label: 'Software Instance',
    displayField: 'name',
    fields: [
      str('name', 'Name', 255),
      ref('software', 'Software', 'cmdb_ci_spkg'),
      ref('installed_on', 'Installed on', 'cmdb_ci'),
    ],
  },
]
