// A small, strict flag parser: --name value or --name=value, booleans as bare flags. Unknown
// flags and malformed numbers are errors that name the flag, never silently ignored.

export type FlagSpec = Record<string, 'string' | 'number' | 'boolean'>

export function parseFlags(argv: readonly string[], spec: FlagSpec): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (!arg.startsWith('--')) throw new Error(`unexpected argument '${arg}'`)
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined]
    const kind = spec[name]
    if (!kind) throw new Error(`unknown option --${name}; known options: ${Object.keys(spec).map((k) => `--${k}`).join(', ')}`)
    if (kind === 'boolean') {
      out[name] = inline === undefined ? true : inline !== 'false'
      continue
    }
    const value = inline ?? argv[++i]
    if (value === undefined) throw new Error(`option --${name} needs a value`)
    if (kind === 'number') {
      const n = Number(value)
      if (value.trim() === '' || !Number.isFinite(n)) throw new Error(`option --${name} needs a number, got '${value}'`)
      out[name] = n
    } else out[name] = value
  }
  return out
}
