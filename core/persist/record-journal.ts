// The changes an in-memory store made since it was seeded, kept in one folder so that it comes
// back as it was after a restart (the sandbox's emulators). What changed is only marked; a write,
// a little later, appends the current value of each marked record, so a record changed a hundred
// times in a burst is written once, and a store of a million seeded rows costs nothing until a
// row changes. Appends are bounded in size and each ends with a commit line: a torn tail (the
// process killed mid-write) is dropped at replay. When the file has grown to twice what it held
// after its last compaction, it is rewritten with the last value of each record only, to a
// temporary file renamed over it (atomic: either file is whole).
import { mkdir, open, readFile, stat, truncate } from 'node:fs/promises'
import { join } from 'node:path'
import writeFileAtomic from 'write-file-atomic'

const FILE = 'journal.ndjson'

export interface RecordJournalOptions {
  dir: string
  /** the current value of a record (JSON-serialisable), or undefined when it no longer exists */
  read(key: string): unknown
  /** quiet time before marked records are written, in ms (default 200) */
  flushDelayMs?: number
  /** most bytes one append writes; a larger flush is split into several commits (default 4 MiB) */
  maxAppendBytes?: number
  /** the journal is never compacted below this size (default 8 MiB) */
  minCompactBytes?: number
  /** hears a write that failed (its records stay marked and are written with the next one) */
  onError?(error: unknown): void
}

interface Line {
  k?: string
  v?: unknown
  commit?: number
}

/** Applies what the journal in `dir` holds, oldest first; a deleted record comes with `null`. */
export async function replayJournal(
  dir: string,
  apply: (key: string, value: unknown) => void,
): Promise<{ records: number; bytes: number }> {
  let text: string
  try {
    text = await readFile(join(dir, FILE), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: 0, bytes: 0 }
    throw error
  }
  let pending: Array<[string, unknown]> = []
  let committedBytes = 0
  let records = 0
  let offset = 0
  while (offset < text.length) {
    const end = text.indexOf('\n', offset)
    if (end < 0) break // a line without its newline was cut short
    let line: Line
    try {
      line = JSON.parse(text.slice(offset, end)) as Line
    } catch {
      break // damaged: nothing after it was committed whole
    }
    offset = end + 1
    if (line.commit !== undefined) {
      for (const [key, value] of pending) apply(key, value)
      records += pending.length
      pending = []
      committedBytes = Buffer.byteLength(text.slice(0, offset))
    } else if (typeof line.k === 'string') pending.push([line.k, line.v ?? null])
  }
  // later appends continue after the last whole commit
  if (committedBytes < Buffer.byteLength(text)) await truncate(join(dir, FILE), committedBytes)
  return { records, bytes: committedBytes }
}

export class RecordJournal {
  readonly #options: Required<Omit<RecordJournalOptions, 'onError'>> & Pick<RecordJournalOptions, 'onError'>
  readonly #path: string
  #marked = new Set<string>()
  #timer: NodeJS.Timeout | undefined
  /** writes run one after the other */
  #chain: Promise<void> = Promise.resolve()
  #commits = 0
  #bytes = 0
  #compactedBytes = 0
  #closed = false

  /** `bytes`: the size replayJournal found, so that compaction knows where it starts from */
  constructor(options: RecordJournalOptions, bytes = 0) {
    this.#options = {
      flushDelayMs: 200,
      maxAppendBytes: 4 * 1024 * 1024,
      minCompactBytes: 8 * 1024 * 1024,
      ...options,
    }
    this.#path = join(options.dir, FILE)
    this.#bytes = bytes
    this.#compactedBytes = bytes
  }

  /** bytes the journal file holds */
  get bytes(): number {
    return this.#bytes
  }

  /** records marked and not written yet */
  get pending(): number {
    return this.#marked.size
  }

  mark(key: string): void {
    this.#marked.add(key)
    if (this.#timer === undefined && !this.#closed) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined
        this.flush().catch((error: unknown) => this.#options.onError?.(error))
      }, this.#options.flushDelayMs)
      this.#timer.unref()
    }
  }

  /** Writes every marked record now; resolves once it is on disk. */
  flush(): Promise<void> {
    const run = this.#chain.then(() => this.#write())
    this.#chain = run.catch(() => {})
    return run
  }

  /** Writes what is marked; no marks are taken after this. */
  async close(): Promise<void> {
    this.#closed = true
    clearTimeout(this.#timer)
    this.#timer = undefined
    await this.flush()
  }

  async #write(): Promise<void> {
    if (this.#marked.size === 0) return
    const keys = this.#marked
    this.#marked = new Set()
    await mkdir(this.#options.dir, { recursive: true, mode: 0o700 })
    const file = await open(this.#path, 'a', 0o600)
    try {
      let chunk: string[] = []
      let size = 0
      const commit = async () => {
        chunk.push(`${JSON.stringify({ commit: ++this.#commits })}\n`)
        const text = chunk.join('')
        await file.write(text)
        await file.datasync()
        this.#bytes += Buffer.byteLength(text)
        chunk = []
        size = 0
      }
      const written: string[] = []
      try {
        for (const key of keys) {
          const value = this.#options.read(key)
          const line = `${JSON.stringify({ k: key, v: value === undefined ? null : value })}\n`
          chunk.push(line)
          written.push(key)
          size += line.length
          if (size >= this.#options.maxAppendBytes) await commit()
        }
        if (chunk.length > 0) await commit()
      } catch (error) {
        // what was not committed is written again next time
        for (const key of keys) this.#marked.add(key)
        throw error
      }
    } finally {
      await file.close()
    }
    if (this.#bytes >= this.#options.minCompactBytes && this.#bytes >= 2 * this.#compactedBytes) await this.#compact()
  }

  /** Rewrites the journal with the last value of each record, atomically. */
  async #compact(): Promise<void> {
    const last = new Map<string, string>()
    await replayJournal(this.#options.dir, (key, value) => last.set(key, JSON.stringify({ k: key, v: value })))
    const lines = [...last.values()]
    lines.push(JSON.stringify({ commit: ++this.#commits }), '')
    const text = lines.join('\n')
    await writeFileAtomic(this.#path, text, { mode: 0o600, fsync: true })
    this.#bytes = (await stat(this.#path)).size
    this.#compactedBytes = this.#bytes
  }
}
