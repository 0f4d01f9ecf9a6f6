// The report layer: PNG images, plots, image grids, metrics files and the run's index.html. It
// takes plain arrays and typed arrays and depends on nothing else in genkata, so the CLI, the
// models and scripts can all use it.
export * from './atomic.ts'
export * from './canvas.ts'
export * from './png.ts'
export * from './font.ts'
export * from './ticks.ts'
export * from './plot.ts'
export * from './scatter.ts'
export * from './grid.ts'
export * from './metrics.ts'
export * from './html.ts'
export * from './step_log.ts'
export * from './step_curves.ts'
export * from './snapshots.ts'
export * from './run_page.ts'
