// Does a tree contain reference solution code? Every line inside a BEGIN/END SOLUTION region of
// solutions/ that says something (not a brace, a loop header or a short declaration any code has,
// nor a line the exercise's stub keeps outside its regions) is looked for in every file of the tree.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

const BEGIN = /\/\/\s*BEGIN SOLUTION\b/
const END = /\/\/\s*END SOLUTION\b/
const LOOP_HEADER = /^for \(.*\) \{$/

function walk(dir: string, visit: (path: string) => void): void {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === '.git') continue
    const path = join(dir, name)
    if (statSync(path).isDirectory()) walk(path, visit)
    else visit(path)
  }
}

/** A line worth looking for: over 20 characters, at least 6 names or numbers, not a loop header. */
export function isTelling(line: string): boolean {
  return line.length > 20 && !LOOP_HEADER.test(line) && (line.match(/[A-Za-z_$][\w$]*|\d+(\.\d+)?/g) ?? []).length >= 6
}

/** Telling lines of every solution region under root/solutions, each with the file it came from. */
export function solutionLines(root: string): Map<string, string> {
  const lines = new Map<string, string>()
  walk(join(root, 'solutions'), (path) => {
    if (!path.endsWith('.ts')) return
    const text = readFileSync(path, 'utf8').split('\n')
    const outside = new Set<string>()
    let inside = false
    const found: string[] = []
    for (const raw of text) {
      const line = raw.trim()
      if (BEGIN.test(line)) inside = true
      else if (END.test(line)) inside = false
      else if (inside) found.push(line)
      else outside.add(line)
    }
    // A line the stub keeps (outside a region) is given code, not the answer.
    for (const line of found) if (isTelling(line) && !outside.has(line)) lines.set(line, relative(root, path))
  })
  return lines
}

/** "file: line (from solutions/x.ts)" for each telling solution line found in a file under dest. */
export function scanForSolutionLines(root: string, dest: string): string[] {
  const lines = solutionLines(root)
  const hits: string[] = []
  walk(dest, (path) => {
    const text = readFileSync(path, 'latin1')
    for (const [line, from] of lines) if (text.includes(line)) hits.push(`${relative(dest, path)}: ${line} (from ${from})`)
  })
  return hits
}
