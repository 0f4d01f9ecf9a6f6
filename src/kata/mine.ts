// `genkata train ... --mine`: the capstone in one short command. Called first by src/cli/main.ts,
// it re-runs the same command under --conditions=exercises (every #kata import from the student's
// exercises/) on the reference backend (the one built from the student's kernels), and says so.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const MINE_FLAG = '--mine'
export const MINE_NOTICE = 'genkata: --mine: running on your own code (every #kata import from exercises/, node --conditions=exercises) on the reference backend, which runs your kernels'

export interface Reexec {
  /** node's arguments for the re-run. */
  nodeArgs: string[]
  env: NodeJS.ProcessEnv
}

/** The re-run for argv (process.argv.slice(2)) carrying --mine, or null when it does not. */
export function mineReexec(argv: string[], env: NodeJS.ProcessEnv, main: string, loader: string): Reexec | null {
  if (!argv.includes(MINE_FLAG)) return null
  const args = argv.filter((a) => a !== MINE_FLAG)
  return { nodeArgs: ['--conditions=exercises', '--import', loader, main, ...args], env: { ...env, GENKATA_BACKEND: 'reference' } }
}

/**
 * With --mine in argv, re-runs this command as the student's own code and exits with its status;
 * otherwise returns. src/cli/main.ts calls it before loading any library module.
 */
export function rerunIfMine(argv: string[]): void {
  const reexec = mineReexec(argv, process.env, fileURLToPath(new URL('../cli/main.ts', import.meta.url)), import.meta.resolve('tsx'))
  if (!reexec) return
  console.log(MINE_NOTICE)
  const r = spawnSync(process.execPath, reexec.nodeArgs, { stdio: 'inherit', env: reexec.env })
  process.exit(r.status ?? 1)
}
