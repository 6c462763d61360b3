import { IsBoolean, IsInt, IsOptional, IsString, Min } from 'class-validator';
import { InvalidConfigurationError, readEnv, ToBoolean, ToInteger, ToList } from './env';

class Sample {
  @ToInteger()
  @IsInt()
  @Min(1)
  PORT: number = 3000;

  @ToBoolean()
  @IsBoolean()
  FLAG: boolean = true;

  @IsOptional()
  @IsString()
  NAME?: string;

  @ToList()
  @IsString({ each: true })
  LIST: string[] = [];
}

describe('readEnv', () => {
  it('applies defaults for unset and empty variables', () => {
    expect(readEnv(Sample, { PORT: '', FLAG: '  ' })).toMatchObject({
      PORT: 3000,
      FLAG: true,
      LIST: [],
    });
  });

  it('converts whole numbers, booleans and lists', () => {
    const config = readEnv(Sample, { PORT: '8080', FLAG: 'false', LIST: 'a, b,,c ' });
    expect(config).toMatchObject({ PORT: 8080, FLAG: false, LIST: ['a', 'b', 'c'] });
  });

  it.each([
    ['PORT', { PORT: '80x' }],
    ['PORT', { PORT: '0' }],
    ['FLAG', { FLAG: 'maybe' }],
  ])('names %s when its value is wrong', (variable, env) => {
    expect(() => readEnv(Sample, env)).toThrow(InvalidConfigurationError);
    expect(() => readEnv(Sample, env)).toThrow(
      new RegExp(`^Invalid configuration:\\n  ${variable}: `),
    );
  });
});
