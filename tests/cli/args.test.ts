import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { parseFlags } from '../../src/cli/args.ts'

const spec = { epochs: 'number', out: 'string', full: 'boolean' } as const

test('flags take --name value and --name=value; booleans are bare or =false', () => {
  assert.equal(parseFlags(['--epochs', '3', '--out=runs/x', '--full'], spec), { epochs: 3, out: 'runs/x', full: true })
  assert.equal(parseFlags(['--full=false'], spec), { full: false })
  assert.equal(parseFlags(['--out=a=b'], spec), { out: 'a=b' })
  assert.equal(parseFlags([], spec), {})
})

test('unknown flags, stray arguments, missing values and bad numbers are errors naming the flag', () => {
  assert.throws(() => parseFlags(['--epoch', '3'], spec), /unknown option --epoch; known options: --epochs, --out, --full/)
  assert.throws(() => parseFlags(['train'], spec), /unexpected argument 'train'/)
  assert.throws(() => parseFlags(['--epochs'], spec), /option --epochs needs a value/)
  assert.throws(() => parseFlags(['--epochs', 'ten'], spec), /option --epochs needs a number, got 'ten'/)
  assert.throws(() => parseFlags(['--epochs='], spec), /needs a number, got ''/)
  assert.throws(() => parseFlags(['--epochs', 'Infinity'], spec), /needs a number/)
})

test.run()
