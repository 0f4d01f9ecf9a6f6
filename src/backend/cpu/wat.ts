// A small assembler from WebAssembly's text format (WAT) to its binary format, so the kernels live
// in this repository as readable source (kernels.wat) and are assembled when the backend loads:
// no committed binary, no toolchain to install. It covers the subset the kernels use:
//
//   (module
//     (import "env" "memory" (memory 1 65536 shared))
//     (func $name (export "name") (param $a i32) (result f32) (local $v v128)
//       folded expressions (i32.add (local.get $a) (i32.const 1)) or flat instructions
//       (block $out (loop $next ... (br_if $next ...))) (if (cond) (then ...) (else ...))))
//
// Instructions are looked up in the opcode table below; an unknown one, a bad immediate or an
// unknown name is an error that says where. WebAssembly.validate then checks the typing.

type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128'
const valTypes: Record<ValType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b }

/** What follows an opcode in the binary. */
type Imm = 'none' | 'local' | 'func' | 'label' | 'labels' | 'i32' | 'i64' | 'f32' | 'f64' | 'mem' | 'lane' | 'v128' | 'shuffle' | 'zero'
interface OpInfo {
  code: number[]
  imm: Imm
  /** Natural alignment (log2 bytes) of a memory access. */
  align?: number
}

const table: Record<string, OpInfo> = {}
function ops(imm: Imm, entries: Record<string, number>, prefix?: number, align?: number): void {
  for (const [name, code] of Object.entries(entries)) {
    table[name] = { code: prefix === undefined ? [code] : [prefix, ...uleb(code)], imm, ...(align === undefined ? {} : { align }) }
  }
}
ops('none', { unreachable: 0x00, nop: 0x01, return: 0x0f, drop: 0x1a, select: 0x1b })
ops('label', { br: 0x0c, br_if: 0x0d })
ops('labels', { br_table: 0x0e })
ops('func', { call: 0x10 })
ops('local', { 'local.get': 0x20, 'local.set': 0x21, 'local.tee': 0x22 })
ops('mem', { 'i32.load': 0x28, 'f32.load': 0x2a, 'i32.store': 0x36, 'f32.store': 0x38 }, undefined, 2)
ops('mem', { 'i64.load': 0x29, 'f64.load': 0x2b, 'i64.store': 0x37, 'f64.store': 0x39 }, undefined, 3)
ops('zero', { 'memory.size': 0x3f, 'memory.grow': 0x40 })
// Bulk memory: memory.copy (two memory indices, both 0) and memory.fill (one).
table['memory.copy'] = { code: [0xfc, 0x0a, 0x00], imm: 'zero' }
table['memory.fill'] = { code: [0xfc, 0x0b], imm: 'zero' }
ops('i32', { 'i32.const': 0x41 })
ops('i64', { 'i64.const': 0x42 })
ops('f32', { 'f32.const': 0x43 })
ops('f64', { 'f64.const': 0x44 })
ops('none', {
  'i32.eqz': 0x45, 'i32.eq': 0x46, 'i32.ne': 0x47, 'i32.lt_s': 0x48, 'i32.lt_u': 0x49, 'i32.gt_s': 0x4a,
  'i32.gt_u': 0x4b, 'i32.le_s': 0x4c, 'i32.le_u': 0x4d, 'i32.ge_s': 0x4e, 'i32.ge_u': 0x4f,
  'f32.eq': 0x5b, 'f32.ne': 0x5c, 'f32.lt': 0x5d, 'f32.gt': 0x5e, 'f32.le': 0x5f, 'f32.ge': 0x60,
  'f64.eq': 0x61, 'f64.ne': 0x62, 'f64.lt': 0x63, 'f64.gt': 0x64, 'f64.le': 0x65, 'f64.ge': 0x66,
  'i32.add': 0x6a, 'i32.sub': 0x6b, 'i32.mul': 0x6c, 'i32.div_s': 0x6d, 'i32.div_u': 0x6e, 'i32.rem_s': 0x6f,
  'i32.rem_u': 0x70, 'i32.and': 0x71, 'i32.or': 0x72, 'i32.xor': 0x73, 'i32.shl': 0x74, 'i32.shr_s': 0x75,
  'i32.shr_u': 0x76,
  'f32.abs': 0x8b, 'f32.neg': 0x8c, 'f32.sqrt': 0x91, 'f32.add': 0x92, 'f32.sub': 0x93, 'f32.mul': 0x94,
  'f32.div': 0x95, 'f32.min': 0x96, 'f32.max': 0x97,
  'f64.abs': 0x99, 'f64.neg': 0x9a, 'f64.sqrt': 0x9f, 'f64.add': 0xa0, 'f64.sub': 0xa1, 'f64.mul': 0xa2,
  'f64.div': 0xa3, 'f64.min': 0xa4, 'f64.max': 0xa5,
  'f32.convert_i32_s': 0xb2, 'f32.demote_f64': 0xb6, 'f64.promote_f32': 0xbb,
})
// SIMD: prefix 0xfd, then the opcode as an unsigned LEB128.
ops('mem', { 'v128.load': 0x00, 'v128.store': 0x0b }, 0xfd, 4)
ops('mem', { 'v128.load32_splat': 0x09, 'v128.load32_zero': 0x5c }, 0xfd, 2)
ops('mem', { 'v128.load64_splat': 0x0a, 'v128.load64_zero': 0x5d }, 0xfd, 3)
ops('v128', { 'v128.const': 0x0c }, 0xfd)
ops('shuffle', { 'i8x16.shuffle': 0x0d }, 0xfd)
ops('lane', { 'f32x4.extract_lane': 0x1f, 'f32x4.replace_lane': 0x20, 'f64x2.extract_lane': 0x21, 'f64x2.replace_lane': 0x22 }, 0xfd)
ops('none', {
  'f32x4.splat': 0x13, 'f64x2.splat': 0x14,
  'f32x4.eq': 0x41, 'f32x4.ne': 0x42, 'f32x4.lt': 0x43, 'f32x4.gt': 0x44, 'f32x4.le': 0x45, 'f32x4.ge': 0x46,
  'v128.not': 0x4d, 'v128.and': 0x4e, 'v128.andnot': 0x4f, 'v128.or': 0x50, 'v128.xor': 0x51, 'v128.bitselect': 0x52,
  'f32x4.abs': 0xe0, 'f32x4.neg': 0xe1, 'f32x4.sqrt': 0xe3, 'f32x4.add': 0xe4, 'f32x4.sub': 0xe5,
  'f32x4.mul': 0xe6, 'f32x4.div': 0xe7, 'f32x4.min': 0xe8, 'f32x4.max': 0xe9, 'f32x4.pmin': 0xea, 'f32x4.pmax': 0xeb,
  'f64x2.abs': 0xec, 'f64x2.neg': 0xed, 'f64x2.sqrt': 0xef, 'f64x2.add': 0xf0, 'f64x2.sub': 0xf1,
  'f64x2.mul': 0xf2, 'f64x2.div': 0xf3, 'f64x2.min': 0xf4, 'f64x2.max': 0xf5,
  'f32x4.ceil': 0x67, 'f32x4.floor': 0x68, 'f32x4.trunc': 0x69, 'f32x4.nearest': 0x6a,
  'i32x4.splat': 0x11, 'i32x4.eq': 0x37, 'i32x4.ne': 0x38, 'i32x4.lt_s': 0x39, 'i32x4.gt_s': 0x3b,
  'i32x4.shl': 0xab, 'i32x4.shr_s': 0xac, 'i32x4.shr_u': 0xad, 'i32x4.add': 0xae, 'i32x4.sub': 0xb1,
  'i32x4.mul': 0xb5, 'i32x4.min_s': 0xb6, 'i32x4.max_s': 0xb8,
  'i32x4.trunc_sat_f32x4_s': 0xf8, 'f32x4.convert_i32x4_s': 0xfa,
  'f32x4.demote_f64x2_zero': 0x5e, 'f64x2.promote_low_f32x4': 0x5f, 'v128.any_true': 0x53,
}, 0xfd)
ops('lane', { 'i32x4.extract_lane': 0x1b, 'i32x4.replace_lane': 0x1c }, 0xfd)
// Relaxed SIMD: a*b + c, fused or not (the engine chooses). Without the feature it is lowered to
// f32x4.mul then f32x4.add, the unfused result the definition permits (see assemble's options).
ops('none', { 'f32x4.relaxed_madd': 0x105 }, 0xfd)

/** Every instruction name the assembler knows (for tests and error messages). */
export const instructionNames: readonly string[] = Object.keys(table)

// ---- binary helpers -------------------------------------------------------------------------------

function uleb(value: number): number[] {
  const out: number[] = []
  do {
    let byte = value & 0x7f
    value = Math.floor(value / 128)
    if (value !== 0) byte |= 0x80
    out.push(byte)
  } while (value !== 0)
  return out
}

function sleb(value: bigint): number[] {
  const out: number[] = []
  for (;;) {
    const byte = Number(value & 0x7fn)
    value >>= 7n
    const done = (value === 0n && (byte & 0x40) === 0) || (value === -1n && (byte & 0x40) !== 0)
    out.push(done ? byte : byte | 0x80)
    if (done) return out
  }
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)]
  return [...uleb(bytes.length), ...bytes]
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()]
}

function section(id: number, body: number[]): number[] {
  return body.length === 0 ? [] : [id, ...uleb(body.length), ...body]
}

// ---- parsing ----------------------------------------------------------------------------------------

/** An S-expression: an atom (with its line for errors) or a list. */
type Node = { atom: string; line: number } | { list: Node[]; line: number }

export class WatError extends Error {
  constructor(message: string, line: number) {
    super(`wat: line ${line}: ${message}`)
    this.name = 'WatError'
  }
}

function parse(source: string): Node[] {
  const tokens: { text: string; line: number }[] = []
  const re = /\s+|;;[^\n]*|\(;[\s\S]*?;\)|"(?:[^"\\]|\\.)*"|\(|\)|[^\s()";]+/g
  let line = 1
  for (let m = re.exec(source); m; m = re.exec(source)) {
    const text = m[0]
    if (!/^\s/.test(text) && !text.startsWith(';;') && !text.startsWith('(;')) tokens.push({ text, line })
    line += text.split('\n').length - 1
  }
  let at = 0
  const read = (): Node => {
    const token = tokens[at++]!
    if (token.text === ')') throw new WatError("unexpected ')'", token.line)
    if (token.text !== '(') return { atom: token.text, line: token.line }
    const list: Node[] = []
    while (tokens[at]?.text !== ')') {
      if (at >= tokens.length) throw new WatError("missing ')'", token.line)
      list.push(read())
    }
    at++
    return { list, line: token.line }
  }
  const nodes: Node[] = []
  while (at < tokens.length) nodes.push(read())
  return nodes
}

const isAtom = (n: Node | undefined): n is { atom: string; line: number } => n !== undefined && 'atom' in n
const isList = (n: Node | undefined): n is { list: Node[]; line: number } => n !== undefined && 'list' in n
const head = (n: Node | undefined): string | undefined => (isList(n) && isAtom(n.list[0]) ? n.list[0].atom : undefined)

function valType(n: Node): ValType {
  if (isAtom(n) && n.atom in valTypes) return n.atom as ValType
  throw new WatError(`expected a value type (i32, i64, f32, f64, v128), got ${isAtom(n) ? n.atom : 'a list'}`, n.line)
}

function integer(n: Node | undefined, line: number): bigint {
  if (!isAtom(n)) throw new WatError('expected an integer', line)
  const text = n.atom.replace(/_/g, '')
  const negative = text.startsWith('-')
  const digits = text.replace(/^[-+]/, '')
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(digits)) throw new WatError(`expected an integer, got ${n.atom}`, n.line)
  const value = BigInt(digits)
  return negative ? -value : value
}

function float(n: Node | undefined, line: number): number {
  if (!isAtom(n)) throw new WatError('expected a number', line)
  const text = n.atom.replace(/_/g, '')
  const value = /^[-+]?inf$/.test(text) ? (text.startsWith('-') ? -Infinity : Infinity) : /^[-+]?nan$/.test(text) ? NaN : Number(text)
  if (Number.isNaN(value) && !/nan$/.test(text)) throw new WatError(`expected a number, got ${n.atom}`, n.line)
  return value
}

function floatBytes(value: number, bytes: 4 | 8): number[] {
  const view = new DataView(new ArrayBuffer(bytes))
  if (bytes === 4) view.setFloat32(0, value, true)
  else view.setFloat64(0, value, true)
  return [...new Uint8Array(view.buffer)]
}

interface FuncDef {
  name: string | null
  exportAs: string[]
  params: ValType[]
  results: ValType[]
  locals: ValType[]
  localNames: Map<string, number>
  body: Node[]
  line: number
}

export interface AssembleOptions {
  /** Emit relaxed SIMD instructions (f32x4.relaxed_madd) as such; otherwise lower them. Default true. */
  relaxedSimd?: boolean
}

/** Assemble a module's text into its binary encoding. */
export function assemble(source: string, options: AssembleOptions = {}): Uint8Array<ArrayBuffer> {
  const relaxed = options.relaxedSimd ?? true
  const nodes = parse(source)
  if (nodes.length !== 1 || head(nodes[0]) !== 'module') throw new WatError('expected one (module ...)', nodes[0]?.line ?? 1)
  const fields = (nodes[0] as { list: Node[] }).list.slice(1)

  const imports: number[][] = []
  const funcs: FuncDef[] = []
  for (const field of fields) {
    const kind = head(field)
    const items = isList(field) ? field.list : []
    if (kind === 'import') {
      const [, mod, nm, desc] = items
      if (!isAtom(mod) || !isAtom(nm) || head(desc) !== 'memory') throw new WatError('only memory imports are supported', field.line)
      const limits = (desc as { list: Node[] }).list.slice(1).filter((n) => !(isAtom(n) && n.atom.startsWith('$')))
      const shared = limits.some((n) => isAtom(n) && n.atom === 'shared')
      const numbers = limits.filter((n) => !(isAtom(n) && n.atom === 'shared')).map((n) => Number(integer(n, field.line)))
      const flags = (numbers.length > 1 ? 1 : 0) | (shared ? 2 : 0)
      imports.push([...name(JSON.parse(mod.atom)), ...name(JSON.parse(nm.atom)), 0x02, flags, ...numbers.flatMap(uleb)])
    } else if (kind === 'func') {
      funcs.push(readFunc(items.slice(1), field.line))
    } else {
      throw new WatError(`unsupported module field (${kind ?? '?'})`, field.line)
    }
  }

  const funcIndex = new Map<string, number>()
  funcs.forEach((f, i) => f.name !== null && funcIndex.set(f.name, i))
  const typeKeys: string[] = []
  const typeOf = (f: FuncDef): number => {
    const key = `${f.params.join(',')}->${f.results.join(',')}`
    if (!typeKeys.includes(key)) typeKeys.push(key)
    return typeKeys.indexOf(key)
  }
  const funcTypes = funcs.map(typeOf)
  const types = typeKeys.map((key) => {
    const [params, results] = key.split('->').map((s) => (s ? s.split(',') : [])) as [ValType[], ValType[]]
    return [0x60, ...vec(params.map((t) => [valTypes[t]])), ...vec(results.map((t) => [valTypes[t]]))]
  })
  const exports = funcs.flatMap((f, i) => f.exportAs.map((e) => [...name(e), 0x00, ...uleb(i)]))
  const bodies = funcs.map((f) => {
    const code = [...vec(f.locals.map((t) => [1, valTypes[t]])), ...encodeBody(f, funcIndex, relaxed), 0x0b]
    return [...uleb(code.length), ...code]
  })
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, imports.length ? vec(imports) : []),
    ...section(3, vec(funcTypes.map(uleb))),
    ...section(7, exports.length ? vec(exports) : []),
    ...section(10, vec(bodies)),
  ])
}

function readFunc(items: Node[], line: number): FuncDef {
  const f: FuncDef = { name: null, exportAs: [], params: [], results: [], locals: [], localNames: new Map(), body: [], line }
  let i = 0
  const first = items[0]
  if (isAtom(first) && first.atom.startsWith('$')) {
    f.name = first.atom
    i++
  }
  const declare = (list: Node[], into: ValType[]) => {
    if (isAtom(list[1]) && list[1].atom.startsWith('$')) {
      f.localNames.set(list[1].atom, f.params.length + f.locals.length)
      into.push(valType(list[2]!))
    } else {
      for (const t of list.slice(1)) into.push(valType(t))
    }
  }
  for (; i < items.length; i++) {
    const item = items[i]!
    const kind = head(item)
    const list = isList(item) ? item.list : []
    if (kind === 'export') f.exportAs.push(JSON.parse((list[1] as { atom: string }).atom))
    else if (kind === 'param') declare(list, f.params)
    else if (kind === 'result') f.results.push(...list.slice(1).map(valType))
    else if (kind === 'local') declare(list, f.locals)
    else break
  }
  f.body = items.slice(i)
  return f
}

function encodeBody(f: FuncDef, funcIndex: Map<string, number>, relaxed: boolean): number[] {
  const out: number[] = []
  const labels: (string | null)[] = []

  const localIndex = (n: Node | undefined, line: number): number => {
    if (isAtom(n) && n.atom.startsWith('$')) {
      const index = f.localNames.get(n.atom)
      if (index === undefined) throw new WatError(`unknown local ${n.atom} in ${f.name ?? 'a function'}`, n.line)
      return index
    }
    return Number(integer(n, line))
  }
  const labelDepth = (n: Node | undefined, line: number): number => {
    if (isAtom(n) && n.atom.startsWith('$')) {
      const at = labels.lastIndexOf(n.atom)
      if (at < 0) throw new WatError(`unknown label ${n.atom}`, n.line)
      return labels.length - 1 - at
    }
    return Number(integer(n, line))
  }

  /** Encode one instruction whose immediates are taken from `imms`; returns how many it used. */
  const instruction = (op: string, imms: Node[], line: number): number => {
    const info = table[op]
    if (!info) throw new WatError(`unknown instruction ${op}`, line)
    out.push(...info.code)
    switch (info.imm) {
      case 'none': return 0
      case 'zero': out.push(0x00); return 0
      case 'local': out.push(...uleb(localIndex(imms[0], line))); return 1
      case 'label': out.push(...uleb(labelDepth(imms[0], line))); return 1
      case 'labels': {
        // br_table: the targets, then the default; every immediate that names a label.
        const targets = imms.filter((n, k) => imms.slice(0, k + 1).every((m) => isAtom(m) && /^(\$|\d)/.test(m.atom)))
        if (targets.length === 0) throw new WatError('br_table needs at least a default label', line)
        out.push(...uleb(targets.length - 1), ...targets.flatMap((t) => uleb(labelDepth(t, line))))
        return targets.length
      }
      case 'func': {
        const target = imms[0]
        const index = isAtom(target) && target.atom.startsWith('$') ? funcIndex.get(target.atom) : Number(integer(target, line))
        if (index === undefined) throw new WatError(`unknown function ${(target as { atom: string }).atom}`, line)
        out.push(...uleb(index))
        return 1
      }
      case 'i32': out.push(...sleb(BigInt.asIntN(32, integer(imms[0], line)))); return 1
      case 'i64': out.push(...sleb(BigInt.asIntN(64, integer(imms[0], line)))); return 1
      case 'f32': out.push(...floatBytes(float(imms[0], line), 4)); return 1
      case 'f64': out.push(...floatBytes(float(imms[0], line), 8)); return 1
      case 'lane': out.push(Number(integer(imms[0], line))); return 1
      case 'shuffle': {
        for (let k = 0; k < 16; k++) out.push(Number(integer(imms[k], line)))
        return 16
      }
      case 'v128': {
        const shape = isAtom(imms[0]) ? imms[0].atom : ''
        const lanes = { f32x4: 4, i32x4: 4, f64x2: 2 }[shape]
        if (!lanes) throw new WatError(`v128.const needs f32x4, i32x4 or f64x2, got ${shape}`, line)
        for (let k = 1; k <= lanes; k++) {
          if (shape === 'i32x4') out.push(...floatBytesOfInt(integer(imms[k], line)))
          else out.push(...floatBytes(float(imms[k], line), shape === 'f32x4' ? 4 : 8))
        }
        return 1 + lanes
      }
      case 'mem': {
        let offset = 0
        let align = info.align!
        let used = 0
        for (const imm of imms) {
          const m = isAtom(imm) ? /^(offset|align)=(\d+)$/.exec(imm.atom) : null
          if (!m) break
          if (m[1] === 'offset') offset = Number(m[2])
          else align = Math.log2(Number(m[2]))
          used++
        }
        out.push(...uleb(align), ...uleb(offset))
        return used
      }
    }
  }

  const blockType = (items: Node[], from: number): [number[], number] => {
    const item = items[from]
    if (head(item) === 'result') return [[valTypes[valType((item as { list: Node[] }).list[1]!)]], from + 1]
    return [[0x40], from]
  }

  const expr = (node: Node): void => {
    if (!isList(node)) throw new WatError(`expected an expression, got ${node.atom}`, node.line)
    const [first, ...rest] = node.list
    if (!isAtom(first)) throw new WatError('expected an instruction name', node.line)
    const op = first.atom
    if (op === 'block' || op === 'loop' || op === 'if') {
      let at = 0
      const first = rest[0]
      const label = isAtom(first) && first.atom.startsWith('$') ? first.atom : null
      if (label !== null) at++
      const [type, next] = blockType(rest, at)
      at = next
      if (op === 'if') {
        while (at < rest.length && head(rest[at]) !== 'then' && head(rest[at]) !== 'else') expr(rest[at++]!)
        out.push(0x04, ...type)
        labels.push(label)
        const then = rest[at++]
        if (head(then) !== 'then') throw new WatError('(if ...) needs a (then ...)', node.line)
        sequence((then as { list: Node[] }).list.slice(1))
        const otherwise = rest[at]
        if (head(otherwise) === 'else') {
          out.push(0x05)
          sequence((otherwise as { list: Node[] }).list.slice(1))
        }
      } else {
        out.push(op === 'block' ? 0x02 : 0x03, ...type)
        labels.push(label)
        sequence(rest.slice(at))
      }
      labels.pop()
      out.push(0x0b)
      return
    }
    if (op === 'f32x4.relaxed_madd' && !relaxed) {
      // (f32x4.relaxed_madd a b c) as (f32x4.add (f32x4.mul a b) c)
      const operands = rest.filter(isList)
      if (operands.length !== 3) throw new WatError('f32x4.relaxed_madd needs three folded operands to be lowered', node.line)
      expr(operands[0]!)
      expr(operands[1]!)
      instruction('f32x4.mul', [], node.line)
      expr(operands[2]!)
      instruction('f32x4.add', [], node.line)
      return
    }
    // Folded form: (op immediates... operands...): the operands are evaluated first.
    const imms = rest.filter(isAtom)
    for (const operand of rest.filter(isList)) expr(operand)
    const used = instruction(op, imms, node.line)
    if (used < imms.length) throw new WatError(`too many immediates for ${op}`, node.line)
  }

  const sequence = (items: Node[]): void => {
    for (let i = 0; i < items.length; ) {
      const item = items[i]!
      if (isList(item)) {
        expr(item)
        i++
      } else {
        if (item.atom === 'f32x4.relaxed_madd' && !relaxed) throw new WatError('f32x4.relaxed_madd can only be lowered in folded form', item.line)
        i += 1 + instruction(item.atom, items.slice(i + 1).filter((_, k, all) => all.slice(0, k + 1).every(isAtom)), item.line)
      }
    }
  }

  sequence(f.body)
  return out
}

function floatBytesOfInt(value: bigint): number[] {
  const view = new DataView(new ArrayBuffer(4))
  view.setInt32(0, Number(BigInt.asIntN(32, value)), true)
  return [...new Uint8Array(view.buffer)]
}
