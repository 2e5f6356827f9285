import { describe, expect, it } from 'vitest';
import { formatLogLine } from '../../../host/core/formatLogLine.js';
import { resolveLogFormat } from '../../../host/core/logFormat.js';
import { parseAppLogLine } from '../../../host/core/parseAppLogLine.js';

const record = {
  time: '2026-01-02T03:04:05.678Z',
  level: 'information',
  message: "Executing 'Functions.runJob' (Id=abc)",
  category: 'Function.runJob',
  functionName: 'runJob',
  invocationId: 'abc',
};

describe('local host log lines', () => {
  it('are JSON with the host fields first and the message text kept exactly', () => {
    const line = formatLogLine({ ...record, fields: { jobId: 'j1' } }, 'json');
    expect(JSON.parse(line)).toEqual({ time: record.time, level: 'information', message: record.message, category: 'Function.runJob', function: 'runJob', invocationId: 'abc', jobId: 'j1' });
    expect(line).toContain(record.message);
    expect(formatLogLine({ ...record, message: 'a\nb' }, 'json')).not.toContain('\n');
  });

  it('read as `[time] [function] message` in text, the fields appended compactly', () => {
    expect(formatLogLine(record, 'text')).toBe(`[${record.time}] [runJob] ${record.message}`);
    expect(formatLogLine({ ...record, message: 'step', fields: { jobId: 'j1', note: 'two words' } }, 'text')).toBe(`[${record.time}] [runJob] step  jobId=j1 note="two words"`);
    expect(formatLogLine({ time: record.time, level: 'information', message: 'Host stopped.', category: 'Host' }, 'text')).toBe(`[${record.time}] Host stopped.`);
  });

  it('take the app’s JSON lines apart, and leave anything else as text', () => {
    expect(parseAppLogLine(JSON.stringify({ time: 't', level: 'warning', message: 'm', invocationId: 'i', function: 'f', jobId: 'j' }))).toEqual({ time: 't', message: 'm', fields: { jobId: 'j' } });
    expect(parseAppLogLine('plain text')).toBeUndefined();
    expect(parseAppLogLine('{not json}')).toBeUndefined();
    expect(parseAppLogLine('{"no":"message"}')).toBeUndefined();
  });

  it('are text on a terminal and JSON otherwise, unless LOCAL_HOST_LOG_FORMAT says', () => {
    expect(resolveLogFormat(undefined, true)).toBe('text');
    expect(resolveLogFormat(undefined, false)).toBe('json');
    expect(resolveLogFormat('TEXT', false)).toBe('text');
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(() => resolveLogFormat('yaml', true)).toThrow(RangeError);
  });
});
