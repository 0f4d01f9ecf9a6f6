// genkata doctor: which backends start on this machine, on what, and which one a run would use.
import { parseFlags } from '../args.ts'
import { doctor as runDoctor, formatDoctorReport } from '../../backend/doctor.ts'

export const doctorUsage = `genkata doctor [--json]     which backends work here (adapter, probe error, time) and which is selected`

export function doctor(argv: string[]): void {
  const flags = parseFlags(argv, { json: 'boolean' })
  const report = runDoctor()
  console.log(flags.json ? JSON.stringify(report, null, 2) : formatDoctorReport(report))
}
