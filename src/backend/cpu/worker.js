// The entry point of a cpu backend worker thread. Node 20 does not carry tsx's loader into worker
// threads, so this plain-JavaScript file registers it and then loads the TypeScript worker.
import { register } from 'tsx/esm/api'

register()
await import('./worker_main.ts')
