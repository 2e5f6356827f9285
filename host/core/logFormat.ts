/**
 * How the local host prints log lines: readable text on a terminal, one JSON object per line
 * otherwise (for log collectors and tests). `LOCAL_HOST_LOG_FORMAT=json|text` overrides the choice;
 * the setting is this host's own (the Functions host in Azure sends logs to its own sinks).
 */
export type LogFormat = 'json' | 'text';

export function resolveLogFormat(setting: string | undefined, stdoutIsTty: boolean): LogFormat {
  if (setting === undefined || setting === '') return stdoutIsTty ? 'text' : 'json';
  const value = setting.toLowerCase();
  if (value === 'json' || value === 'text') return value;
  throw new RangeError(`LOCAL_HOST_LOG_FORMAT must be 'json' or 'text', not '${setting}'.`);
}
