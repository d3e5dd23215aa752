// fast-check generators of JSON *text* (not values), so the bytes exercise what JSON.stringify never
// writes: whitespace between every token, \u and \/ escapes, multi-byte characters, numbers at the
// edges of what a double holds, deep nesting.
import fc from 'fast-check';

const whitespace = fc.stringMatching(/^[ \t\n\r]{0,3}$/);

const numberText = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => JSON.stringify(x)),
  fc.integer().map(String),
  fc.constantFrom('0', '-0', '0.0', '-0.0e-0', '1E+2', '1e400', '-1e400', '5e-324', '1.7976931348623157e308',
    '9007199254740993', '123456789012345678901234567890', '0.1e+5', '2.5E-3'),
);

/** Each character written plainly, as a \uXXXX escape, or with its short escape. */
const stringText = fc.array(fc.tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), fc.nat(2)), { maxLength: 12 })
  .map((chars) => `"${chars.map(([c, how]) => {
    const plain = JSON.stringify(c).slice(1, -1);
    if (how === 1) return [...c].map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    if (how === 2 && c === '/') return '\\/';
    return plain;
  }).join('')}"`);

const join = (items: [string, string, string][]) => items.map(([before, item, after]) => `${before}${item}${after}`).join(',');

export const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 6, depthIdentifier: 'json' },
    numberText, stringText, fc.constantFrom('true', 'false', 'null'),
    fc.array(fc.tuple(whitespace, tie('value'), whitespace), { maxLength: 4 }).map((items) => `[${join(items)}]`),
    fc.array(fc.tuple(whitespace, fc.tuple(stringText, whitespace, whitespace, tie('value')), whitespace), { maxLength: 4 })
      .map((entries) => `{${join(entries.map(([b, [key, w1, w2, value], a]) => [b, `${key}${w1}:${w2}${value}`, a]))}}`),
  ),
})).value;

/** A top-level JSON array of any elements, as text. */
export const jsonArrayText = fc.tuple(whitespace, fc.array(fc.tuple(whitespace, jsonText, whitespace), { maxLength: 8 }), whitespace)
  .map(([before, items, after]) => `${before}[${join(items)}]${after}`);

/** Cut points for splitting `bytes` into chunks: anywhere, including inside multi-byte characters. */
export const chunkBoundaries = (length: number) => fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, length - 1) }), { maxLength: 20 })
  .map((cuts) => cuts.filter((c) => c < length).sort((a, b) => a - b));

export function chunksOf(bytes: Buffer, cuts: number[]): Buffer[] {
  return [0, ...cuts].map((start, i) => bytes.subarray(start, cuts[i] ?? bytes.length));
}
