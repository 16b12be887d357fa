// Numbers both stores hold exactly as given. The memory store keeps JS doubles, exact for
// integers up to 2^53; DynamoDB keeps 38 significant digits with magnitudes from 1e-130 to about
// 1e126, and the SDK refuses to write or read a number past 2^53. What fits both: zero, or a
// magnitude from 1e-130 up to Number.MAX_SAFE_INTEGER.
export const SMALLEST_MAGNITUDE = 1e-130;
export const LARGEST_MAGNITUDE = Number.MAX_SAFE_INTEGER;

/** What is wrong with storing `value`, or undefined when both stores keep it as it is. */
export function storableNumberProblem(value: number): string | undefined {
  if (!Number.isFinite(value)) return 'must be a finite number';
  const magnitude = Math.abs(value);
  if (magnitude > LARGEST_MAGNITUDE) return `must be at most ${LARGEST_MAGNITUDE} in size`;
  if (magnitude !== 0 && magnitude < SMALLEST_MAGNITUDE) return 'must be 0 or at least 1e-130 in size';
  return undefined;
}

/**
 * A number typed on a phone, in plain decimal notation: digits with an optional sign and one
 * decimal point or comma ("1989", "-3", "5,25", ".5"). Anything JavaScript would also read as a
 * number ("0x7C5", "1e3", "1_000", "Infinity") is not what a team meant to write.
 */
const DECIMAL = /^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$/;

export function readDecimal(text: string): number | { error: string } {
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) return { error: 'must be a number written with digits, like 1989 or 5.25' };
  const value = Number(trimmed.replace(',', '.'));
  const problem = storableNumberProblem(value);
  return problem ? { error: problem } : value;
}
