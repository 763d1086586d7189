import { IHeaders } from 'kafkajs';

/** Kafka headers as strings; of a repeated header, the last value counts. */
export function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    result[name] = (Array.isArray(value) ? value[value.length - 1] : value).toString();
  }
  return result;
}
