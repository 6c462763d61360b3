import { redactUrl } from './redact-url';

describe('redactUrl', () => {
  it.each([
    [
      'postgresql://git_auth:s3cret%21@db.internal:5432/git_auth',
      'postgresql://git_auth:***@db.internal:5432/git_auth',
    ],
    ['postgresql://git_auth@db:5432/git_auth', 'postgresql://git_auth@db:5432/git_auth'],
    [
      'postgres://u@h/d?sslmode=require&password=hunter2',
      'postgres://u@h/d?sslmode=require&password=***',
    ],
    ['https://collector:4318', 'https://collector:4318'],
    ['https://user:pw@collector:4318/', 'https://user:***@collector:4318/'],
    ['not a url', '(not a URL)'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});
