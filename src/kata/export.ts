// The student edition: a repository an instructor hands out. It holds the library, the generated
// stubs, the graded tests, the docs and the grader, and nothing of solutions/: every #kata import
// resolves to exercises/, the manifest and second hints travel in exercises/, and it gets its own
// README and a GitHub Classroom workflow. No git history: it is written file by file.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { HINTS_PATH, planGeneration } from './generate.ts'
import { type Manifest, STUDENT_MANIFEST_PATH } from './manifest.ts'

/** Copied as they are, where present. */
const COPIED = ['src', 'bin', 'docs', 'assets', 'tests/graded', 'tests/helpers', 'scripts/kata/grade.ts', 'tsconfig.json', 'package-lock.json', 'LICENSE']
/** The instructor's tools: they only make sense next to solutions/. */
const LEFT_OUT = new Set(['src/kata/generate.ts', 'src/kata/export.ts', 'src/kata/autograder.ts', 'src/kata/mutants.ts', 'src/kata/zip.ts', 'src/kata/leak_scan.ts'])

export interface ExportReport {
  dest: string
  files: number
}

/** Writes the student edition of the repository at `root` into `dest` (which must not exist or be empty). */
export function exportStudentEdition(root: string, dest: string): ExportReport {
  if (existsSync(dest) && readdirSync(dest).length > 0) throw new Error(`kata:export: ${dest} is not empty; give a new directory`)
  // Generated afresh from solutions/: the export never depends on exercises/ being up to date.
  const plan = planGeneration(root)
  mkdirSync(dest, { recursive: true })
  for (const entry of COPIED) {
    const from = join(root, entry)
    if (!existsSync(from)) continue
    mkdirSync(dirname(join(dest, entry)), { recursive: true })
    cpSync(from, join(dest, entry), {
      recursive: true,
      filter: (src) => !LEFT_OUT.has(src.slice(root.length).replace(/^\/+/, '')) && !src.split('/').includes('node_modules'),
    })
  }
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dest, path)), { recursive: true })
    writeFileSync(join(dest, path), text)
  }
  for (const [path, text] of plan.files) write(path, text)
  write(STUDENT_MANIFEST_PATH, `${JSON.stringify({ exercises: plan.manifest.exercises }, null, 2)}\n`)
  write('package.json', studentPackageJson(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>))
  write('tsconfig.json', studentTsconfig(readFileSync(join(root, 'tsconfig.json'), 'utf8')))
  write('README.md', studentReadme(plan.manifest))
  write('.github/workflows/classroom.yml', classroomWorkflow(plan.manifest))
  write('.gitignore', 'node_modules/\nresults.json\nruns/\ndata/\n')
  return { dest, files: countFiles(dest) }
}

function countFiles(dir: string): number {
  let n = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) n += entry.isDirectory() ? countFiles(join(dir, entry.name)) : 1
  return n
}

/** The repository's package.json with #kata/* always on exercises/ and the student's scripts. */
export function studentPackageJson(pkg: Record<string, unknown>): string {
  const { c8: _c8, imports: _imports, scripts: _scripts, ...rest } = pkg
  const out = {
    ...rest,
    scripts: {
      start: 'tsx src/cli/main.ts start',
      grade: 'tsx scripts/kata/grade.ts',
      test: 'tsx scripts/kata/grade.ts',
      typecheck: 'tsc --noEmit',
    },
    // Dependencies stay as they are, so package-lock.json still matches and `npm install` works.
    imports: { '#kata/*': './exercises/*.ts' },
  }
  return `${JSON.stringify(out, null, 2)}\n`
}

function studentTsconfig(text: string): string {
  const config = JSON.parse(text) as { include?: string[] }
  config.include = (config.include ?? []).filter((p) => p !== 'solutions' && p !== 'bench')
  return `${JSON.stringify(config, null, 2)}\n`
}

export function studentReadme(manifest: Manifest): string {
  const total = manifest.exercises.reduce((s, e) => s + e.points, 0)
  return [
    '    npm install          # once: the dependencies (Node 20 or later)',
    '    npm run grade        # grade your exercises: a table, and results.json',
    '',
    '# genkata: the student edition',
    '',
    'A test-driven kata in TypeScript: build a tensor library with reverse-mode autodiff, then train',
    'VAEs and GANs with it. The library is here; its core pieces are yours to write, one graded exercise',
    'at a time. Each exercise is a file under `exercises/` whose functions throw `NotImplementedError`',
    'until you replace the throw with your code. docs/ has a chapter per group of exercises: read the',
    'chapter, then write the exercise.',
    '',
    '## Grading',
    '',
    '    npm run grade                    # every exercise, on your whole tree',
    '    npm run grade -- --only 1.1      # one exercise (by id or name)',
    '    npm run grade -- --hint 1.2      # a second hint, for when you are stuck',
    '',
    'The grader type-checks your files first and shows the first TypeScript error of each (it does not',
    'score it), then runs each exercise\'s graded tests (tests/graded/) on your whole tree: a later',
    'exercise builds on the earlier ones, so when one of its tests trips over an earlier exercise you have',
    'not finished, the table names that exercise. An untouched exercise shows "not started". A test',
    'named "... [x3]" counts three times. Each failure shows the expected and the actual value; a',
    'property test shows its counterexample and its seed (fixed, so a score never changes between runs).',
    'results.json holds every failure in full.',
    '',
    'Run one graded file yourself with the library on your exercises:',
    '',
    '    node --conditions=exercises --import tsx tests/graded/1.1_strides.test.ts',
    '',
    'Once every exercise passes, train on your own code (the reference backend runs your kernels):',
    '',
    '    npx genkata train vae --mine',
    '',
    '## Submitting',
    '',
    'Commit and push your work: only the files under `exercises/` are graded. On GitHub Classroom, every',
    'push runs the autograding workflow (.github/workflows/classroom.yml), one check per exercise. On',
    'Gradescope, upload your `exercises/` folder (or the whole repository, or a GitHub link): the',
    'autograder grades each exercise alone, on the reference for everything else, and ignores every',
    'other file you send. An exercise that imports from a solutions/ or tests/ folder scores 0.',
    '',
    '## Exercises',
    '',
    '| id | exercise | title | points |',
    '|----|----------|-------|--------|',
    ...manifest.exercises.map((e) => `| ${e.id} | ${e.name} | ${e.title} | ${e.points} |`),
    '',
    `${total} points in all.`,
    '',
  ].join('\n')
}

/**
 * GitHub Classroom's autograding workflow: one command-grader step per exercise (full marks when
 * its graded tests all pass on the student's tree), then the reporter that sums them.
 */
export function classroomWorkflow(manifest: Manifest): string {
  const stepId = (id: string) => `ex-${id.replace(/\./g, '-')}`
  const lines = [
    'name: Autograding Tests',
    "'on':",
    '- push',
    '- workflow_dispatch',
    '- repository_dispatch',
    'permissions:',
    '  checks: write',
    '  actions: read',
    '  contents: read',
    'jobs:',
    '  run-autograding-tests:',
    '    runs-on: ubuntu-latest',
    "    if: github.actor != 'github-classroom[bot]'",
    '    steps:',
    '    - name: Checkout code',
    '      uses: actions/checkout@v4',
    '    - name: Node 20',
    '      uses: actions/setup-node@v4',
    '      with:',
    "        node-version: '20'",
    '    - name: Install',
    '      run: npm ci',
  ]
  for (const ex of manifest.exercises) {
    lines.push(
      `    - name: ${ex.id} ${ex.name}`,
      `      id: ${stepId(ex.id)}`,
      '      uses: classroom-resources/autograding-command-grader@v1',
      '      with:',
      `        test-name: ${ex.id} ${ex.name}`,
      "        setup-command: ''",
      `        command: npm run grade -- --only ${ex.id} --expect full --no-typecheck --results /tmp/results-${ex.id}.json`,
      '        timeout: 5',
      `        max-score: ${ex.points}`,
    )
  }
  lines.push(
    '    - name: Autograding Reporter',
    '      uses: classroom-resources/autograding-grading-reporter@v1',
    '      env:',
    ...manifest.exercises.map((ex) => `        ${stepId(ex.id).toUpperCase()}_RESULTS: "\${{steps.${stepId(ex.id)}.outputs.result}}"`),
    '      with:',
    `        runners: ${manifest.exercises.map((ex) => stepId(ex.id)).join(',')}`,
    '',
  )
  return lines.join('\n')
}

/** Re-exported for the CLI and tests: where the hints live in either tree. */
export { HINTS_PATH }
