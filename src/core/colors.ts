import { createColors } from 'picocolors';

/**
 * Colour only when a person is watching: picocolors also turns colour on whenever `CI` is set, which puts escape
 * codes into logs and into output that scripts and tests parse. FORCE_COLOR and NO_COLOR keep their usual meaning.
 */
function colourWanted(): boolean {
  const force = process.env.FORCE_COLOR;
  if (force !== undefined && force !== '0' && force !== 'false') return true;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  return Boolean(process.stdout.isTTY) && process.env.TERM !== 'dumb';
}

export const pc = createColors(colourWanted());
