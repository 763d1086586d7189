import { loadSignalConfig } from '../signal-config';
import { parseHttp } from './http.section';

describe(parseHttp.name, () => {
  it('should refuse a headers timeout above the request timeout', () => {
    expect(() =>
      loadSignalConfig({ HTTP_HEADERS_TIMEOUT_MS: '40000', HTTP_REQUEST_TIMEOUT_MS: '30000' }),
    ).toThrow('- HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS');
  });
});
