/** Replaces account keys, SAS signatures, function keys and bearer tokens in text meant for logs. */
export function redactSecrets(text: string): string {
  return text
    .replace(/(AccountKey|SharedAccessSignature|SharedAccessKey)=[^;\s"']+/gi, '$1=[redacted]')
    .replace(/([?&](sig|code)=)[^&\s"']+/gi, '$1[redacted]')
    .replace(/(x-functions-key|x-ms-registration-key|authorization)(["']?\s*[:=]\s*["']?)[^\s"',;]+/gi, '$1$2[redacted]')
    .replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/g, 'Bearer [redacted]');
}
