// Attachments: a sys_attachment row per file (readable over the Table API like on an instance)
// and the file's bytes beside it. Metadata fields as the Attachment API answers them
// (https://www.servicenow.com/docs/r/api-reference/rest-apis/c_AttachmentAPI.html).
import { createHash } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import type { Instance, RecordRef, RecordValues } from '../instance/instance.ts'

export interface NewAttachment {
  tableName: string
  tableSysId: string
  fileName: string
  contentType: string
  bytes: Buffer
}

export class AttachmentStore {
  private readonly files = new Map<string, Buffer>()
  private readonly instance: Instance

  constructor(instance: Instance) {
    this.instance = instance
    // a row deleted over the Table API takes its file with it
    instance.onChange((e) => {
      if (e.operation === 'delete' && e.table === 'sys_attachment') this.files.delete(e.sysId)
    })
  }

  add(file: NewAttachment, user: string): RecordRef {
    const ref = this.instance.insert(
      'sys_attachment',
      {
        file_name: file.fileName,
        content_type: file.contentType,
        size_bytes: String(file.bytes.length),
        size_compressed: String(gzipSync(file.bytes).length),
        compressed: 'true',
        table_name: file.tableName,
        table_sys_id: file.tableSysId,
        hash: createHash('sha256').update(file.bytes).digest('hex'),
        state: 'available',
        chunk_size_bytes: '700000',
      },
      user,
    )
    this.files.set(ref.row[0] as string, file.bytes)
    return ref
  }

  get(sysId: string): RecordRef | undefined {
    return this.instance.get('sys_attachment', sysId)
  }

  bytes(sysId: string): Buffer {
    return this.files.get(sysId) ?? Buffer.alloc(0)
  }

  delete(sysId: string): boolean {
    return this.instance.delete('sys_attachment', sysId)
  }

  /** the metadata object the API answers: the row's fields plus its download link */
  metadata(ref: RecordRef, baseUrl: string): RecordValues {
    const values = this.instance.values(ref)
    const { sys_id: sysId = '' } = values
    return { ...values, download_link: `${baseUrl}/api/now/attachment/${sysId}/file` }
  }
}
