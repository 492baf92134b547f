import { expect } from 'chai';
import { ConfigError, EXAMPLE_SESSION_SECRET, loadConfig } from '../../server/platform/config.js';

describe('configuration', () => {
  it('applies safe defaults for a developer machine', () => {
    const config = loadConfig({});
    expect(config.PORT).to.equal(3000);
    expect(config.MONGODB_URI).to.equal(undefined);
    expect(config.SESSION_SECRET).to.have.length.of.at.least(32);
  });

  it('treats blank variables as unset', () => {
    expect(loadConfig({ MONGODB_URI: '  ', PORT: '' }).MONGODB_URI).to.equal(undefined);
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({ PORT: 'eighty', MONGODB_URI: 'postgres://x', LOG_LEVEL: 'loud', SMTP_URL: 'http://mail' });
      expect.fail('should have thrown');
    } catch (err) {
      expect(err).to.be.instanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'MONGODB_URI', 'LOG_LEVEL', 'SMTP_URL']) expect(problems).to.contain(name);
    }
  });

  it('refuses to start in production without a private session secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).to.throw(ConfigError, /SESSION_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: EXAMPLE_SESSION_SECRET })).to.throw(ConfigError, /SESSION_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'short' })).to.throw(ConfigError, /SESSION_SECRET/);
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) }).SESSION_SECRET).to.equal('x'.repeat(40));
  });
});
