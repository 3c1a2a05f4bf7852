import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('starts on embedded defaults with an empty environment', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.dataDir).toMatch(/data$/);
    expect(c.knowledgeDir).toMatch(/knowledge$/);
    expect(c.logLevel).toBe('info');
    expect(c.webChat).toBe(true);
  });

  it('turns the web chat off in production unless asked for', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).webChat).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', ENABLE_WEB_CHAT: 'true' }).webChat).toBe(true);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', LOG_LEVEL: '  ' }).port).toBe(3000);
  });

  it('names every invalid variable at once', () => {
    try {
      loadConfig({ PORT: 'abc', LOG_LEVEL: 'loud', MATCH_ANSWER_THRESHOLD: '2', ENABLE_WEB_CHAT: 'maybe' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const message = (err as Error).message;
      for (const name of ['PORT="abc"', 'LOG_LEVEL="loud"', 'MATCH_ANSWER_THRESHOLD="2"', 'ENABLE_WEB_CHAT="maybe"']) {
        expect(message).toContain(name);
      }
    }
  });

  it('reads the decision thresholds, the ambiguity one included', () => {
    expect(loadConfig({}).thresholds).toMatchObject({ answer: 0.65, margin: 0.02, ambiguous: 0.6, suggest: 0.15 });
    expect(loadConfig({ MATCH_AMBIGUOUS_LEARNED: '0.8' }).thresholds.ambiguous).toBe(0.8);
    expect(() => loadConfig({ MATCH_AMBIGUOUS_LEARNED: '1.5' })).toThrow(/MATCH_AMBIGUOUS_LEARNED/);
  });

  it('refuses a suggest threshold above the answer threshold', () => {
    expect(() => loadConfig({ MATCH_ANSWER_THRESHOLD: '0.3', MATCH_SUGGEST_THRESHOLD: '0.5' })).toThrow(/MATCH_SUGGEST_THRESHOLD/);
  });

  it('reads the answer footer parts', () => {
    expect(loadConfig({ ANSWER_FOOTER: 'legal' }).footer).toMatchObject({ legalBasis: true, reviewedOn: false, links: false });
    expect(loadConfig({ ANSWER_FOOTER: 'none' }).footer).toMatchObject({ legalBasis: false, reviewedOn: false });
    expect(() => loadConfig({ ANSWER_FOOTER: 'legal,footnotes' })).toThrow(/ANSWER_FOOTER/);
  });

  it('reads the "sắp thay đổi" horizon of kb:check, 45 days unless set, and refuses what is not a number of days', () => {
    expect(loadConfig({}).kbLookaheadDays).toBe(45);
    expect(loadConfig({ KB_LOOKAHEAD_DAYS: '90' }).kbLookaheadDays).toBe(90);
    expect(() => loadConfig({ KB_LOOKAHEAD_DAYS: '0' })).toThrow(/KB_LOOKAHEAD_DAYS="0": từ 1 đến 365 ngày/);
    expect(() => loadConfig({ KB_LOOKAHEAD_DAYS: '4.5' })).toThrow(/KB_LOOKAHEAD_DAYS="4.5"/);
  });
});
