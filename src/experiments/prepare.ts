// One arm's run folder: train it, resume it, or reuse it. An experiment can be interrupted and run
// again, and a user can drop a run trained elsewhere into OUT/<arm>: a checkpoint trained to the
// epochs asked for (or more) is reused; one trained to fewer is resumed up to them; a run made
// with other settings (anything but the epochs, the backend and where the data was found) is an
// error naming the folder and the settings that differ, never silently retrained or mixed in.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { readCheckpoint } from '../nn/checkpoint.ts'
import { CHECKPOINT_FILE, differingSettings as differingRunSettings, SETTINGS_FILE } from '../train/run_folder.ts'
import { trainVae } from '../train/vae_trainer.ts'
import { trainGan } from '../train/gan_trainer.ts'
import type { Arm } from './types.ts'

export interface PreparedArm {
  dir: string
  action: 'trained' | 'resumed' | 'reused'
  epoch: number
}

/** The settings that differ, as "name: X there, Y here", for the error message (run_folder.ts's check, as training makes it). */
export function differingSettings(arm: Arm, saved: Record<string, unknown>): string[] {
  return differingRunSettings(arm.config as unknown as Record<string, unknown>, saved)
}

/** The epochs the checkpoint in `dir` was trained for (its extra's epoch). */
export function checkpointEpoch(dir: string): number {
  const extra = readCheckpoint(join(dir, CHECKPOINT_FILE)).extra as { epoch?: unknown } | null
  if (!extra || typeof extra.epoch !== 'number') throw new Error(`${join(dir, CHECKPOINT_FILE)} says nothing of its epoch: not a genkata VAE or GAN run's checkpoint`)
  return extra.epoch
}

function train(arm: Arm, dir: string, resume: boolean, log: (line: string) => void): void {
  if (arm.family === 'vae') trainVae(arm.config, dir, { resume, log })
  else trainGan(arm.config, dir, { resume, log })
}

export function prepareArm(arm: Arm, dir: string, options: { experiment: string; log: (line: string) => void }): PreparedArm {
  const { log } = options
  const wanted = arm.config.epochs
  const settingsFile = join(dir, SETTINGS_FILE)
  if (!existsSync(join(dir, CHECKPOINT_FILE))) {
    log(`arm ${arm.name} (${arm.label}): training ${arm.config.model} into ${dir} for ${wanted} epochs`)
    train(arm, dir, false, log)
    return { dir, action: 'trained', epoch: wanted }
  }
  if (!existsSync(settingsFile)) throw new Error(`${dir} holds a checkpoint but no ${SETTINGS_FILE}: it is not a genkata run folder; move it away or choose another --out`)
  let saved: Record<string, unknown>
  try {
    saved = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>
  } catch (error) {
    throw new Error(`${settingsFile}: not valid JSON (${(error as Error).message})`)
  }
  const differing = differingSettings(arm, saved)
  if (differing.length > 0) {
    throw new Error(
      `${dir} holds a run with other settings than the arm '${arm.name}' of experiment '${options.experiment}' (${differing.join('; ')}): move it away, or choose another --out`,
    )
  }
  const epoch = checkpointEpoch(dir)
  if (epoch >= wanted) {
    log(`arm ${arm.name} (${arm.label}): reusing ${dir}, already trained for ${epoch} epoch${epoch === 1 ? '' : 's'}${epoch > wanted ? ` (${wanted} asked for)` : ''}`)
    return { dir, action: 'reused', epoch }
  }
  log(`arm ${arm.name} (${arm.label}): resuming ${dir} from epoch ${epoch} to ${wanted}`)
  train(arm, dir, true, log)
  return { dir, action: 'resumed', epoch: wanted }
}
