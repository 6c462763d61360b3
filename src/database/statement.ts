/**
 * A constant SQL text and the name it is prepared under on each pooled connection (PrismaService.queryRows):
 * PostgreSQL parses and plans a named statement once per connection instead of on every execution, which is
 * about a third of the server's CPU on the OAuth flow's short statements (issue 14). Names are checked unique
 * here, at load: node-postgres refuses one name prepared with two texts on a connection only when it happens.
 */
export interface Statement {
  readonly name: string;
  readonly text: string;
}

const names = new Map<string, string>();

export function statement(name: string, text: string): Statement {
  const known = names.get(name);
  if (known !== undefined && known !== text)
    throw new Error(`Two SQL statements are named "${name}"`);
  names.set(name, text);
  return { name, text };
}
