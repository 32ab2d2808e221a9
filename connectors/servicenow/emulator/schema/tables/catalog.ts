// Service Catalog definitions: items, categories, and the variables an item asks for; and where
// an order keeps its answers. On the platform a requested item's variable answers are
// sc_item_option rows (item_option_new = the variable, value = the answer) linked to the RITM by
// sc_item_option_mtom (request_item, sc_item_option): the tables and fields public Table API
// clients read, e.g. gflewis/servicenow-soap lib/ServiceNow/SOAP.pm (getVariables reads
// item_option_new, sc_item_option and sc_item_option_mtom) and ServiceNowDevProgram/code-snippets
// ("Variable Ownerships": sc_item_option_mtom_list.do?sysparm_query=request_item=<RITM>).
// Variables shared by several items live in a variable set (item_option_new_set; ServiceNow SDK
// docs, "VariableSet": "Creates a Variable Set (item_option_new_set)"): each is an item_option_new
// row whose variable_set points at the set (column listed in CData's item_option_new reference),
// and the set is attached to items by io_set_item (sc_cat_item, variable_set, order: ServiceNow
// docs, CatalogItemVariableSetM2M, "Catalog Variable Sets table [io_set_item]"). Only single-row
// sets are modelled; multi-row sets keep their answers elsewhere (sc_multi_row_question_answer).
import { bool, choice, dec, int, ref, str } from '../field-builders.ts'
import type { TableDef } from '../types.ts'

export const catalogTables: TableDef[] = [
  {
    name: 'sc_catalog',
    label: 'Catalog',
    displayField: 'title',
    fields: [str('title', 'Title', 100), str('description', 'Description', 1000), bool('active', 'Active', 'true')],
  },
  {
    name: 'sc_category',
    label: 'Category',
    displayField: 'title',
    fields: [str('title', 'Title', 100), ref('sc_catalog', 'Catalog', 'sc_catalog'), bool('active', 'Active', 'true')],
  },
  {
    name: 'sc_cat_item',
    label: 'Catalog Item',
    extensible: true,
    displayField: 'name',
    fields: [
      str('name', 'Name', 100),
      str('short_description', 'Short description', 1000),
      str('description', 'Description', 8000),
      bool('active', 'Active', 'true'),
      ref('category', 'Category', 'sc_category'),
      str('sc_catalogs', 'Catalogs', 1024),
      dec('price', 'Price'),
      ref('group', 'Fulfillment group', 'sys_user_group'),
      choice('type', 'Type', [
        ['item', 'Item'],
        ['bundle', 'Bundle'],
        ['package', 'Package'],
      ]),
      bool('no_quantity', 'No quantity'),
    ],
  },
  {
    name: 'item_option_new_set',
    label: 'Variable Set',
    displayField: 'title',
    fields: [
      str('title', 'Title', 100),
      str('name', 'Name', 100),
      str('description', 'Description', 1000),
      int('order', 'Order', '100'),
    ],
  },
  {
    name: 'io_set_item',
    label: 'Catalog Variable Sets',
    fields: [
      ref('sc_cat_item', 'Catalog item', 'sc_cat_item'),
      ref('variable_set', 'Variable set', 'item_option_new_set'),
      int('order', 'Order', '100'),
    ],
  },
  {
    name: 'item_option_new',
    label: 'Variable',
    displayField: 'question_text',
    fields: [
      ref('cat_item', 'Catalog item', 'sc_cat_item'),
      ref('variable_set', 'Variable set', 'item_option_new_set'),
      str('name', 'Name', 100),
      str('question_text', 'Question', 255),
      choice('type', 'Type', [
        ['6', 'Single Line Text'],
        ['2', 'Multi Line Text'],
        ['8', 'Reference'],
        ['7', 'CheckBox'],
      ]),
      bool('mandatory', 'Mandatory'),
      int('order', 'Order', '100'),
    ],
  },
  {
    name: 'sc_item_option',
    label: 'Options',
    displayField: 'value',
    fields: [
      ref('item_option_new', 'Question', 'item_option_new'),
      str('value', 'Value', 4000),
      int('order', 'Order', '100'),
    ],
  },
  {
    name: 'sc_item_option_mtom',
    label: 'Variable Ownership',
    fields: [
      ref('request_item', 'Requested item', 'sc_req_item'),
      ref('sc_item_option', 'Variable answer', 'sc_item_option'),
    ],
  },
]
