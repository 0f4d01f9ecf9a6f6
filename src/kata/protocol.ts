// What a grading child sends its parent over the report channel (src/kata/harness/child.ts), and
// how the parent reads it: one line per message, "<secret> <json>", anything else dropped.

export type ChildMessage =
  | { type: 'test'; suite: string; name: string; outcome: 'passed' | 'failed' | 'skipped'; error?: string; notImplemented?: string | undefined }
  | { type: 'crash'; error: string; notImplemented?: string | undefined }
  | { type: 'ignored'; what: string[] }
  | { type: 'done' }

export interface ChannelReport {
  tests: Array<Extract<ChildMessage, { type: 'test' }>>
  crash: Extract<ChildMessage, { type: 'crash' }> | null
  ignored: string[]
  done: boolean
  /** Lines that did not carry the secret (someone else wrote to the channel). */
  forged: number
}

/** Reads the channel's text; a line without the secret, or malformed, is counted and ignored. */
export function parseChannel(text: string, secret: string): ChannelReport {
  const report: ChannelReport = { tests: [], crash: null, ignored: [], done: false, forged: 0 }
  for (const line of text.split('\n')) {
    if (line === '') continue
    if (!line.startsWith(`${secret} `)) {
      report.forged++
      continue
    }
    let message: ChildMessage
    try {
      message = JSON.parse(line.slice(secret.length + 1)) as ChildMessage
    } catch {
      report.forged++
      continue
    }
    // Nothing counts after "done": the harness exits right after sending it.
    if (report.done) continue
    if (message.type === 'test') report.tests.push(message)
    else if (message.type === 'crash') report.crash = message
    else if (message.type === 'ignored') report.ignored.push(...message.what)
    else if (message.type === 'done') report.done = true
  }
  return report
}
