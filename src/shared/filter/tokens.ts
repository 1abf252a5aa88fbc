/** Lexer for MLflow's search filter and order_by strings. */

export type Token =
  | { kind: 'ident'; text: string; pos: number }
  | { kind: 'quoted'; quote: '"' | '`'; text: string; pos: number }
  | { kind: 'string'; text: string; pos: number }
  | { kind: 'number'; text: string; pos: number }
  | { kind: 'op'; text: string; pos: number }
  | { kind: 'punct'; text: '(' | ')' | ',' | '.'; pos: number };

export class FilterSyntaxError extends Error {}

const identStart = /[A-Za-z_]/;
const identChar = /[A-Za-z0-9_\-/:]/;
const numberPattern = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;

/** Splits `text` into tokens; throws FilterSyntaxError naming the position of a bad character. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === "'" || c === '"' || c === '`') {
      const { value, end } = readQuoted(text, i);
      if (c === "'") tokens.push({ kind: 'string', text: value, pos: i });
      else tokens.push({ kind: 'quoted', quote: c, text: value, pos: i });
      i = end;
    } else if (c === '(' || c === ')' || c === ',' || c === '.') {
      const num = c === '.' ? numberPattern.exec(text.slice(i)) : null;
      if (num && prevIsNotIdent(tokens)) {
        tokens.push({ kind: 'number', text: num[0], pos: i });
        i += num[0].length;
      } else {
        tokens.push({ kind: 'punct', text: c, pos: i });
        i += 1;
      }
    } else if (c === '<' || c === '>' || c === '=' || c === '!') {
      const two = text.slice(i, i + 2);
      if (two === '<=' || two === '>=' || two === '!=' || two === '==' || two === '<>') {
        tokens.push({ kind: 'op', text: two === '==' ? '=' : two === '<>' ? '!=' : two, pos: i });
        i += 2;
      } else if (c === '!') {
        throw new FilterSyntaxError(`unexpected '!' at position ${i}; did you mean '!='?`);
      } else {
        tokens.push({ kind: 'op', text: c, pos: i });
        i += 1;
      }
    } else if (/[0-9+-]/.test(c)) {
      const num = numberPattern.exec(text.slice(i));
      if (!num) throw new FilterSyntaxError(`unexpected '${c}' at position ${i}`);
      tokens.push({ kind: 'number', text: num[0], pos: i });
      i += num[0].length;
    } else if (identStart.test(c)) {
      let j = i + 1;
      while (j < text.length && identChar.test(text[j]!)) j += 1;
      tokens.push({ kind: 'ident', text: text.slice(i, j), pos: i });
      i = j;
    } else {
      throw new FilterSyntaxError(`unexpected '${c}' at position ${i}`);
    }
  }
  return tokens;
}

function prevIsNotIdent(tokens: Token[]): boolean {
  const prev = tokens[tokens.length - 1];
  return !prev || prev.kind === 'op' || (prev.kind === 'punct' && prev.text !== ')');
}

/** Reads a quoted run starting at `start`; a doubled quote or a backslash escapes the quote. */
function readQuoted(text: string, start: number): { value: string; end: number } {
  const quote = text[start]!;
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      value += text[i + 1];
      i += 2;
    } else if (c === quote) {
      if (text[i + 1] === quote) {
        value += quote;
        i += 2;
      } else {
        return { value, end: i + 1 };
      }
    } else {
      value += c;
      i += 1;
    }
  }
  throw new FilterSyntaxError(`unterminated ${quote} quote starting at position ${start}`);
}
