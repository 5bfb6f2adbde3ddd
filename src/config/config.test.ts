import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDatabaseUrl } from './config.ts';

describe('configuration', () => {
  it('defaults to SQLite under ./data and port 3000', () => {
    const c = loadConfig({}, '/srv/rasd');
    expect(c.database).toEqual({ engine: 'sqlite', file: '/srv/rasd/data/rasd.db' });
    expect(c.port).toBe(3000);
  });

  it('accepts relative and absolute sqlite paths and postgres URLs', () => {
    expect(parseDatabaseUrl('sqlite:db/x.db', '/a')).toEqual({ engine: 'sqlite', file: '/a/db/x.db' });
    expect(parseDatabaseUrl('sqlite:/var/lib/rasd.db', '/a')).toEqual({ engine: 'sqlite', file: '/var/lib/rasd.db' });
    expect(parseDatabaseUrl('postgres://u:p@db:5432/rasd')).toEqual({ engine: 'postgres', url: 'postgres://u:p@db:5432/rasd' });
  });

  it.each([
    ['nonsense', 'DATABASE_URL'],
    ['mysql://x/y', 'DATABASE_URL'],
    ['postgres://host-without-db', 'DATABASE_URL'],
    ['sqlite:', 'DATABASE_URL'],
  ])('refuses DATABASE_URL=%s naming the variable', (value, variable) => {
    expect(() => loadConfig({ DATABASE_URL: value })).toThrowError(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: value })).toThrowError(new RegExp(variable));
  });

  it.each(['0', '70000', 'abc', '-1'])('refuses PORT=%s naming the variable', (port) => {
    expect(() => loadConfig({ PORT: port })).toThrowError(/PORT/);
  });

  it('refuses an unknown log level naming the variable', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrowError(/LOG_LEVEL/);
  });
});
