// Run a kiln verb in this process, as if typed: the demo prints the command, then does exactly what it does.
import { KilnError } from '../../core/errors.js';

/** `args` as after `kiln`; throws when the command fails (it has printed its own error by then) */
export async function runKiln(args: readonly string[], log: (line: string) => void): Promise<void> {
  log(`$ kiln ${args.map((a) => (/[\s"'$]/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);
  // imported here, not at the top: the program lists every command, the demo among them
  const { buildProgram } = await import('../program.js');
  const before = process.exitCode;
  process.exitCode = undefined;
  let code: typeof process.exitCode;
  try {
    await buildProgram().parseAsync([...args], { from: 'user' });
  } finally {
    code = process.exitCode;
    process.exitCode = before;
  }
  if (code !== undefined && code !== 0) throw new KilnError('E_STEP_FAILED', `kiln ${args[0]} failed (exit code ${code}); the demo stops here`);
}
