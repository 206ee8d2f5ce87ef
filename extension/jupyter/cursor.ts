/**
 * Jupyter counts cursor positions in Unicode code points (protocol 5.2 on); TypeScript and the
 * language service count UTF-16 code units, by line and character. The two differ only past an
 * astral character (an emoji, say), where a code point is two units.
 */
import type { CellPosition } from '../../protocol/language';

/** Code-point offset → UTF-16 offset in `text` (clamped to the text). */
export function unitsFromCodePoints(text: string, codePoints: number): number {
  let units = 0;
  for (let seen = 0; seen < codePoints && units < text.length; seen++) {
    const code = text.codePointAt(units)!;
    units += code > 0xffff ? 2 : 1;
  }
  return units;
}

/** UTF-16 offset → code-point offset. */
export function codePointsFromUnits(text: string, units: number): number {
  return [...text.slice(0, units)].length;
}

/** UTF-16 offset → 0-based line and character. */
export function positionAt(text: string, units: number): CellPosition {
  const before = text.slice(0, units);
  const line = before.split('\n').length - 1;
  return { line, character: units - (before.lastIndexOf('\n') + 1) };
}

/** 0-based line and character → UTF-16 offset. */
export function offsetAt(text: string, position: CellPosition): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < position.line && i < lines.length; i++) offset += lines[i].length + 1;
  return offset + position.character;
}

/** The identifier around a UTF-16 offset: [start, end) in UTF-16 units. */
export function wordAt(text: string, units: number): [number, number] {
  let start = units;
  while (start > 0 && /[\p{L}\p{N}_$]/u.test(text[start - 1])) start--;
  let end = units;
  while (end < text.length && /[\p{L}\p{N}_$]/u.test(text[end])) end++;
  return [start, end];
}
