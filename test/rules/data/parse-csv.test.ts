import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../rules/data/parse-csv.js';
import { RuleError } from '../../../src/rule/rule-error.js';

function errorOf(text: string): RuleError {
  try {
    parseCsv(text, 'waves.csv', true);
  } catch (error) {
    if (error instanceof RuleError) return error;
    throw error;
  }
  throw new Error('expected a RuleError');
}

describe('CSV parsing', () => {
  it('keeps commas, doubled quotes and newlines inside quoted cells', () => {
    expect(parseCsv('name,note\nwolf,"big, ""grey""\nand fast"\n', 'f.csv', true)).toEqual([{ name: 'wolf', note: 'big, "grey"\nand fast' }]);
  });

  it('reports a bad row at its own line after multi-line quoted cells', () => {
    const text = ['wave,enemies,notes', '1,3,"line one', 'line two', 'line three"', '2,5,"a\r\nb"', '3,4', '4,1,ok'].join('\n');
    const error = errorOf(text);
    expect(error.message).toBe('row has 2 fields, the header has 3');
    expect(error.line).toBe(7);
  });

  it('counts CRLF line ends and skips blank lines without losing count', () => {
    const error = errorOf('a,b\r\n1,2\r\n\r\n"x\r\ny",2\r\n3\r\n');
    expect(error.line).toBe(6);
  });

  it('points an unterminated quote at the line where it opens', () => {
    const error = errorOf('a,b\n1,2\n3,"open\n4,5\n6,7\n');
    expect(error.message).toMatch(/unterminated quoted field/);
    expect(error.line).toBe(3);
  });

  it('types unquoted numbers and booleans, keeps quoted cells as strings', () => {
    expect(parseCsv('id,code,on\n1,"007",true\n', 'f.csv', true)).toEqual([{ id: 1, code: '007', on: true }]);
  });
});
