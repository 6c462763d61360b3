import { statement } from './statement';

describe('statement', () => {
  it('keeps a name and its text', () => {
    expect(statement('spec_probe', 'SELECT 1')).toEqual({ name: 'spec_probe', text: 'SELECT 1' });
  });

  it('accepts the same name again for the same text (a module loaded twice)', () => {
    statement('spec_twice', 'SELECT 2');
    expect(statement('spec_twice', 'SELECT 2').text).toBe('SELECT 2');
  });

  it('refuses one name for two texts, which node-postgres would refuse on a connection', () => {
    statement('spec_clash', 'SELECT 3');
    expect(() => statement('spec_clash', 'SELECT 4')).toThrow(
      'Two SQL statements are named "spec_clash"',
    );
  });
});
