// genkata doctor: which backends start on this machine, on what, and which one a run would use.
import { defineCommand, helpText, parseCommand } from '../args.ts'
import { doctor as runDoctor, formatDoctorReport } from '../../backend/doctor.ts'

export const doctorSpec = defineCommand({
  usage: 'genkata doctor',
  description: 'which backends work here (adapter, probe error, time) and which one a run would use',
  options: {
    json: { type: 'boolean', description: 'the report as JSON' },
  },
})

export const doctorUsage = helpText(doctorSpec)

export function doctor(argv: string[]): void {
  const { flags } = parseCommand(argv, doctorSpec)
  const report = runDoctor()
  console.log(flags.json ? JSON.stringify(report, null, 2) : formatDoctorReport(report))
}
