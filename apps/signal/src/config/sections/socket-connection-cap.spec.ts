import {
  defaultMaxConnections,
  FALLBACK_MAX_CONNECTIONS,
  openFileSoftLimit,
} from './socket-connection-cap';

const limits = (
  soft: string,
  hard = soft,
) => `Limit                     Soft Limit           Hard Limit           Units
Max processes             96362                96362                processes
Max open files            ${soft.padEnd(20)} ${hard.padEnd(20)} files
Max locked memory         8388608              8388608              bytes
`;

describe(defaultMaxConnections.name, () => {
  it('should read the soft open-file limit, not the hard one', () => {
    expect(openFileSoftLimit(limits('20000', '1048576'))).toBe(20000);
  });

  it.each([
    ['20000', 18000],
    ['65536', 58982],
    ['1024', 512],
    ['600', 88],
  ])('should leave headroom under a soft limit of %s descriptors: %i sockets', (soft, cap) => {
    expect(defaultMaxConnections(limits(soft))).toBe(cap);
  });

  it('should fall back to a fixed cap when the limit is unlimited or unreadable', () => {
    expect(defaultMaxConnections(limits('unlimited'))).toBe(FALLBACK_MAX_CONNECTIONS);
    expect(defaultMaxConnections('no such line')).toBe(FALLBACK_MAX_CONNECTIONS);
    expect(defaultMaxConnections(null)).toBe(FALLBACK_MAX_CONNECTIONS);
  });
});
