// The command line's options: each command declares its options once, as a table (name, type,
// value, default, one-line description) that both the parser and the help text read, so adding
// an option is one line and --help never drifts from what is accepted. Parsing is node:util
// parseArgs, which ships with Node itself (no dependency to keep up). On top of it: numbers are
// checked (a malformed one is an error naming the option), an unknown option lists the known
// ones, and -h/--help anywhere answers with the help text (HelpRequested) instead of running.
import { parseArgs } from 'node:util'

export type OptionType = 'string' | 'number' | 'boolean'

export interface OptionSpec {
  type: OptionType
  /** What the value looks like in the help: N, X, DIR, fashion|mnist (string and number options). */
  value?: string
  /** The default as the help shows it (omitted: none, or described in the description). */
  default?: string
  /** One line: what the option does. */
  description: string
}

export type OptionTable = Record<string, OptionSpec>

export interface CommandSpec<T extends OptionTable = OptionTable> {
  /** The command as typed, with its positional arguments: 'genkata sample <run-dir>'. */
  usage: string
  /** One line: what the command does. */
  description: string
  /** Names of the positional arguments, in order: more of them is an error. */
  positionals?: readonly string[]
  /** Lines shown after the options (subcommands, notes). */
  notes?: readonly string[]
  options: T
}

type ValueOf<S extends OptionSpec> = S['type'] extends 'number' ? number : S['type'] extends 'boolean' ? boolean : string

/** The parsed options: each present option under its name, with its type's value. */
export type Flags<T extends OptionTable> = { [K in keyof T]?: ValueOf<T[K]> }

/** Thrown by parseCommand when the user asked for help; the caller prints `text` and exits 0. */
export class HelpRequested extends Error {
  override name = 'HelpRequested'
  constructor(readonly text: string) {
    super(text)
  }
}

/** Build a command spec; a helper so each table keeps its literal types. */
export function defineCommand<T extends OptionTable>(spec: CommandSpec<T>): CommandSpec<T> {
  return spec
}

function optionLabel(name: string, spec: OptionSpec): string {
  return spec.type === 'boolean' ? `--${name}` : `--${name} ${spec.value ?? (spec.type === 'number' ? 'N' : 'VALUE')}`
}

/** The help text: usage, description, then one line per option with its description and default. */
export function helpText(spec: CommandSpec): string {
  const rows: [string, string][] = Object.entries(spec.options).map(([name, o]) => [
    optionLabel(name, o),
    o.default === undefined ? o.description : `${o.description} (default ${o.default})`,
  ])
  rows.push(['-h, --help', 'show this help and exit'])
  const width = Math.max(...rows.map(([label]) => label.length))
  const lines = [`${spec.usage} [options]`, `  ${spec.description}`, '', 'options:', ...rows.map(([label, text]) => `  ${label.padEnd(width)}  ${text}`)]
  if (spec.notes?.length) lines.push('', ...spec.notes)
  return lines.join('\n')
}

/** A one-line summary for the list of commands: usage and description. */
export function summaryLine(spec: CommandSpec): string {
  return `  ${spec.usage}\n      ${spec.description}`
}

function knownOptions(spec: CommandSpec): string {
  return [...Object.keys(spec.options).map((k) => `--${k}`), '--help'].join(', ')
}

/**
 * Parse argv against a command's table: its options (anywhere) and positional arguments. Throws
 * HelpRequested for -h/--help, and an Error naming the option for anything it cannot accept.
 */
export function parseCommand<T extends OptionTable>(argv: readonly string[], spec: CommandSpec<T>): { flags: Flags<T>; positionals: string[] } {
  const end = argv.indexOf('--')
  const options = end === -1 ? argv : argv.slice(0, end)
  if (options.includes('--help') || options.includes('-h')) throw new HelpRequested(helpText(spec))
  // Two things parseArgs (Node 20) does not do, kept from genkata's old parser: `--switch=false`
  // (and =true), and a negative number as the next argument of a number option (`--beta -1`).
  const forced: Record<string, boolean> = {}
  const args: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const name = end === -1 || i < end ? /^--([^=]+)(?:=(true|false))?$/.exec(arg) : null
    const option = name ? spec.options[name[1]!] : undefined
    if (option?.type === 'boolean' && name![2] !== undefined) forced[name![1]!] = name![2] === 'true'
    else if (option?.type === 'number' && name![2] === undefined && /^-\d|^-\.\d/.test(argv[i + 1] ?? '')) args.push(`${arg}=${argv[++i]}`)
    else args.push(arg)
  }
  const config = Object.fromEntries(Object.entries(spec.options).map(([name, o]) => [name, { type: o.type === 'boolean' ? 'boolean' : 'string' } as const]))
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] }
  try {
    parsed = parseArgs({ args, options: config, strict: true, allowPositionals: true }) as typeof parsed
  } catch (error) {
    throw new Error(parseError(error as Error & { code?: string }, spec))
  }
  const flags: Record<string, string | number | boolean> = {}
  for (const [name, raw] of Object.entries(parsed.values)) {
    if (raw === undefined) continue
    if (spec.options[name]!.type === 'number') {
      const text = raw as string
      const n = Number(text)
      if (text.trim() === '' || !Number.isFinite(n)) throw new Error(`option --${name} needs a number, got '${text}'`)
      flags[name] = n
    } else flags[name] = raw
  }
  Object.assign(flags, forced)
  const expected = spec.positionals ?? []
  if (parsed.positionals.length > expected.length) {
    const extra = parsed.positionals[expected.length]!
    throw new Error(`unexpected argument '${extra}'${expected.length ? `: ${spec.usage} takes ${expected.map((p) => `<${p}>`).join(' ')}` : ''}`)
  }
  return { flags: flags as Flags<T>, positionals: parsed.positionals }
}

/** parseArgs' errors, said the way the rest of genkata says them: the option, and what is known. */
function parseError(error: Error & { code?: string }, spec: CommandSpec): string {
  const option = /'(-[^' ]+)/.exec(error.message)?.[1]
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option ${option}; known options: ${knownOptions(spec)} (${spec.usage} --help describes each)`
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    const name = option.replace(/^--/, '')
    if (spec.options[name]?.type === 'boolean') return `option ${option} takes no value (it is a switch: give it or leave it out)`
    if (/ambiguous/.test(error.message)) return `option ${option} needs a value; to give one that starts with '-', write ${option}=<value>`
    return `option ${option} needs a value`
  }
  return error.message
}

/** The old entry point, kept for callers with a bare {name: type} table and no positionals. */
export type FlagSpec = Record<string, OptionType>

export function parseFlags(argv: readonly string[], spec: FlagSpec): Record<string, string | number | boolean> {
  const options = Object.fromEntries(Object.entries(spec).map(([name, type]) => [name, { type, description: '' }]))
  return parseCommand(argv, { usage: 'genkata', description: '', options }).flags as Record<string, string | number | boolean>
}
